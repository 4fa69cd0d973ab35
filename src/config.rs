//! `aimsgate.toml`: what to scan, which policies, their parameters, and justified overrides.

use crate::error::{Error, Result};
use crate::load::format::Limits;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "aimsgate.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub discovery: Discovery,
    #[serde(default)]
    pub systems: Vec<DeclaredSystem>,
    #[serde(default)]
    pub policies: Policies,
    /// Free-form values handed to policies as `input.params`, over the built-in defaults.
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Per-rule overrides, each with the reason an auditor will ask for.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleOverride>,
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Where relative paths in this file are resolved from (the file's directory).
    #[serde(skip)]
    pub base: PathBuf,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    /// Extra card globs, on top of the defaults.
    #[serde(default)]
    pub cards: Vec<String>,
    /// Extra ML-code globs, on top of the defaults.
    #[serde(default)]
    pub ml_code: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredSystem {
    pub path: String,
    pub card: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    #[serde(default = "yes")]
    pub builtin: bool,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub data: Vec<String>,
}

impl Default for Policies {
    fn default() -> Self {
        Policies {
            builtin: true,
            paths: Vec::new(),
            data: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    /// `error`, `warning`, `note` or `off`.
    pub severity: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    #[serde(default = "default_max_file_bytes")]
    pub max_file_bytes: u64,
    #[serde(default = "default_max_depth")]
    pub max_depth: usize,
    #[serde(default = "default_max_nodes")]
    pub max_nodes: usize,
    /// Wall-clock budget for evaluating one system's policies.
    #[serde(default = "default_eval_timeout_ms")]
    pub eval_timeout_ms: u64,
}

fn default_max_file_bytes() -> u64 {
    Limits::default().max_file_bytes
}
fn default_max_depth() -> usize {
    Limits::default().max_depth
}
fn default_max_nodes() -> usize {
    Limits::default().max_nodes
}
fn default_eval_timeout_ms() -> u64 {
    2_000
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_file_bytes: default_max_file_bytes(),
            max_depth: default_max_depth(),
            max_nodes: default_max_nodes(),
            eval_timeout_ms: default_eval_timeout_ms(),
        }
    }
}

impl LimitsConfig {
    pub fn parser_limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_depth: self.max_depth,
            max_nodes: self.max_nodes,
        }
    }
}

impl Config {
    /// Reads `explicit`, or `aimsgate.toml` at `root` when it exists, or the defaults.
    pub fn load(explicit: Option<&Path>, root: &Path) -> Result<Config> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let candidate = root.join(FILE_NAME);
                if !candidate.is_file() {
                    return Ok(Config {
                        base: root.to_path_buf(),
                        ..Config::default()
                    });
                }
                candidate
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.clone(),
            message: crate::error::one_line(e.message()),
        })?;
        config.base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        config.validate(&path)?;
        Ok(config)
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let bad = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        for (rule, o) in &self.rules {
            if !matches!(o.severity.as_str(), "error" | "warning" | "note" | "off") {
                return Err(bad(format!(
                    "rules.{rule}.severity must be error, warning, note or off, not {:?}",
                    o.severity
                )));
            }
            if o.reason.trim().is_empty() {
                return Err(bad(format!(
                    "rules.{rule}.reason must say why the severity is changed"
                )));
            }
        }
        if self.limits.max_depth == 0
            || self.limits.max_nodes == 0
            || self.limits.eval_timeout_ms == 0
        {
            return Err(bad("limits must be greater than zero".into()));
        }
        Ok(())
    }

    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.base.join(relative)
    }
}
