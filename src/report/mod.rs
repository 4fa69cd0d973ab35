//! Stage 4: findings rendered for a reader; one file per output format.

pub mod escape;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::error::{Error, Result};
use crate::pipeline::Outcome;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// JUnit XML: a suite per system, a test case per rule
    Junit,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab Code Quality JSON
    Gitlab,
    /// A Markdown summary, for a job summary or a PR comment
    Markdown,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        <Format as clap::ValueEnum>::from_str(s, true).map_err(|_| {
            format!("unknown format {s:?} (text, json, sarif, junit, github, gitlab, markdown)")
        })
    }
}

/// One `--output FORMAT=PATH`.
#[derive(Debug, Clone)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (format, path) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not FORMAT=PATH"))?;
        if path.is_empty() {
            return Err(format!("{s:?} has no path after ="));
        }
        Ok(OutputSpec {
            format: format.parse()?,
            path: PathBuf::from(path),
        })
    }
}

pub fn render(
    format: Format,
    outcome: &Outcome,
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::render(outcome, out, color),
        Format::Json => json::render(outcome, out),
        Format::Sarif => sarif::render(outcome, out),
        Format::Junit => junit::render(outcome, out),
        Format::Github => github::render(outcome, out),
        Format::Gitlab => gitlab::render(outcome, out),
        Format::Markdown => markdown::render(outcome, out),
    }
}

pub fn write_file(spec: &OutputSpec, outcome: &Outcome) -> Result<()> {
    let mut buf = Vec::new();
    render(spec.format, outcome, &mut buf, false).map_err(|e| Error::io(&spec.path, e))?;
    std::fs::write(&spec.path, buf).map_err(|e| Error::io(&spec.path, e))
}
