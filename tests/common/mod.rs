//! Shared helpers for the integration tests: a fixture repository in a temp
//! dir, and runs of the real `aimsgate` binary on it.

#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date every run uses, so date checks are reproducible.
pub const NOW: &str = "2026-11-29";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_aimsgate")
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture repository: files written from (path, contents) pairs into a TempDir.
pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Default for Repo {
    fn default() -> Self {
        Self::new()
    }
}

impl Repo {
    pub fn new() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("create a temp dir"),
        }
    }

    pub fn with(files: &[(&str, &str)]) -> Repo {
        let repo = Repo::new();
        for (path, contents) in files {
            repo.write(path, contents);
        }
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` at `rel`, creating parent directories.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Repo {
        let full = self.path().join(rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create parent dirs");
        }
        std::fs::write(&full, contents).expect("write fixture file");
        self
    }

    #[cfg(unix)]
    pub fn symlink(&self, target: impl AsRef<Path>, rel: &str) -> &Repo {
        let full = self.path().join(rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create parent dirs");
        }
        std::os::unix::fs::symlink(target, full).expect("create symlink");
        self
    }

    /// `aimsgate ARGS...` run in the repository directory.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.current_dir(self.path())
            .args(args)
            .env_remove("NO_COLOR");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("run aimsgate"))
    }

    /// `aimsgate check . --now NOW --format json EXTRA...`, with the JSON parsed.
    pub fn check(&self, extra: &[&str]) -> Run {
        let mut args = vec!["check", ".", "--now", NOW, "--format", "json"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        run.expect_json()
    }

    /// `aimsgate check . --now NOW --format text EXTRA...`.
    pub fn check_text(&self, extra: &[&str]) -> Run {
        let mut args = vec!["check", ".", "--now", NOW, "--format", "text"];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `aimsgate inspect . --now NOW`, parsed.
    pub fn inspect(&self) -> Vec<Value> {
        let run = self.run(&["inspect", ".", "--now", NOW]);
        assert_eq!(run.code, 0, "inspect failed: {}", run.stderr);
        match serde_json::from_str(&run.stdout) {
            Ok(Value::Array(items)) => items,
            other => panic!(
                "inspect did not print a JSON array: {other:?}\n{}",
                run.stdout
            ),
        }
    }

    /// The `kind: system` entries of `inspect`.
    pub fn inspect_systems(&self) -> Vec<Value> {
        self.inspect()
            .into_iter()
            .filter(|d| d["kind"] == "system")
            .collect()
    }
}

/// A finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub json: Option<Value>,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            json: None,
        }
    }
}

/// A finding as the JSON report carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct F {
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub system: Option<String>,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub field: Option<String>,
    pub waived: bool,
    pub baselined: bool,
}

impl F {
    fn from_json(v: &Value) -> F {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        F {
            rule: s("rule"),
            severity: s("severity"),
            message: s("message"),
            system: v["system"].as_str().map(str::to_string),
            file: s("file"),
            line: v["line"].as_u64().unwrap_or(0),
            column: v["column"].as_u64().unwrap_or(0),
            field: v["field"].as_str().map(str::to_string),
            waived: v["waived"].as_bool().unwrap_or(false),
            baselined: v["baselined"].as_bool().unwrap_or(false),
        }
    }
}

impl Run {
    /// Parses stdout as the JSON report; a tool error (exit 2) leaves `json` empty.
    pub fn expect_json(mut self) -> Run {
        if self.code != 2 {
            match serde_json::from_str(&self.stdout) {
                Ok(v) => self.json = Some(v),
                Err(e) => panic!(
                    "stdout is not JSON ({e}); exit {}\nstdout:\n{}\nstderr:\n{}",
                    self.code, self.stdout, self.stderr
                ),
            }
        }
        self
    }

    pub fn doc(&self) -> &Value {
        self.json.as_ref().unwrap_or_else(|| {
            panic!(
                "no JSON report; exit {}\nstderr: {}",
                self.code, self.stderr
            )
        })
    }

    pub fn findings(&self) -> Vec<F> {
        self.doc()["findings"]
            .as_array()
            .map(|a| a.iter().map(F::from_json).collect())
            .unwrap_or_default()
    }

    pub fn summary(&self, key: &str) -> u64 {
        self.doc()["summary"][key]
            .as_u64()
            .unwrap_or_else(|| panic!("summary.{key} missing: {}", self.doc()["summary"]))
    }

    /// Findings of `rule`.
    pub fn rule(&self, rule: &str) -> Vec<F> {
        self.findings()
            .into_iter()
            .filter(|f| f.rule == rule)
            .collect()
    }

    /// Findings of `rule` in `file`.
    pub fn at(&self, rule: &str, file: &str) -> Vec<F> {
        self.rule(rule)
            .into_iter()
            .filter(|f| f.file == file)
            .collect()
    }

    /// The one finding of `rule` in `file` at `line`, or a panic listing all findings.
    pub fn expect(&self, rule: &str, file: &str, line: u64) -> F {
        let hits: Vec<F> = self
            .at(rule, file)
            .into_iter()
            .filter(|f| f.line == line)
            .collect();
        match hits.first() {
            Some(f) => f.clone(),
            None => panic!(
                "expected {rule} at {file}:{line}; got:\n{}",
                self.describe()
            ),
        }
    }

    /// One line per finding, for assertion messages.
    pub fn describe(&self) -> String {
        match &self.json {
            None => format!("exit {} stderr: {}", self.code, self.stderr),
            Some(_) => {
                let lines: Vec<String> = self
                    .findings()
                    .iter()
                    .map(|f| {
                        format!(
                            "  {}:{}:{} {}[{}] field={:?}: {}",
                            f.file, f.line, f.column, f.severity, f.rule, f.field, f.message
                        )
                    })
                    .collect();
                format!("exit {}\n{}", self.code, lines.join("\n"))
            }
        }
    }

    /// Rule ids of the error findings (not waived).
    pub fn error_rules(&self) -> Vec<String> {
        self.findings()
            .into_iter()
            .filter(|f| f.severity == "error" && !f.waived)
            .map(|f| f.rule)
            .collect()
    }

    /// A tool error: exit 2 and exactly one stderr line starting `aimsgate: error:`.
    pub fn assert_tool_error(&self, mentions: &[&str]) {
        assert_eq!(
            self.code, 2,
            "expected a tool error (exit 2); got exit {}\nstdout: {}\nstderr: {}",
            self.code, self.stdout, self.stderr
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "stderr is not one line: {:?}", self.stderr);
        assert!(
            lines[0].starts_with("aimsgate: error:"),
            "stderr does not start with `aimsgate: error:`: {:?}",
            lines[0]
        );
        for m in mentions {
            assert!(
                lines[0].contains(m),
                "stderr {:?} does not mention {m:?}",
                lines[0]
            );
        }
    }
}

/// 1-based line of the first line of `text` that, trimmed, starts with `prefix`,
/// searching from line `from` (1-based) on.
pub fn line_of(text: &str, prefix: &str, from: usize) -> u64 {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.trim_start().starts_with(prefix))
        .map(|(i, _)| i as u64 + 1)
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} from line {from}"))
}

/// Code that trains a model: what discovery counts as ML code (the call is
/// at line 3, column 1).
pub const TRAINING: &str =
    "from sklearn.linear_model import LogisticRegression\n\nLogisticRegression().fit(X, y)\n";

/// A notebook whose one code cell trains a model (on line 1 of the file).
pub const NOTEBOOK: &str = r#"{"cells": [{"cell_type": "code", "source": ["import torch\n", "loss.backward()\n"]}], "nbformat": 4}"#;

/// A minimal-risk card that satisfies every built-in rule.
pub const MINIMAL_CARD: &str = "\
name: Spam Filter
version: 1.0.0
owner: {name: Workplace IT, contact: it@example.com}
lifecycle: development
risk:
  tier: minimal
  rationale: Quarantines bulk email; nothing is deleted and no decision is made about anyone.
  affects_people: false
intended_use:
  primary: [Quarantine unsolicited bulk email in the shared mailbox]
  users: [Mailbox team]
  out_of_scope: [Detecting phishing or malware]
limitations: [About 1 in 500 genuine emails is quarantined]
evaluation:
  - {metric: precision, value: 0.99, dataset: mailbox-sample, split: test}
human_oversight: {mode: on-the-loop, overseer: Mailbox team}
";

/// A high-risk card that satisfies every built-in rule, with its impact
/// assessment (`IMPACT_ASSESSMENT.md`) and datasheet (`data/DATASHEET.md`):
/// write all three with [`high_risk_repo`].
pub const HIGH_CARD: &str = "\
name: Credit Scorer
version: 2.0.0
owner:
  name: Risk ML Team
  contact: risk-ml@example.com
lifecycle: development
risk:
  tier: high
  rationale: Credit decisions about people (EU AI Act Annex III 5(b))
  annex_iii_area: essential-services
  affects_people: true
intended_use:
  primary: [Recommend approve or refer on loan applications]
  users: [Credit officers]
  out_of_scope: [Automatic decline without review]
limitations: [Lower accuracy for applicants with a thin credit file]
datasets:
  - {id: loans-2024, datasheet: data/DATASHEET.md, role: train}
evaluation:
  - {metric: auc, value: 0.88, dataset: loans-2024, split: test}
impact_assessment: IMPACT_ASSESSMENT.md
fairness:
  protected_attributes: [sex]
  results:
    - attribute: sex
      metric: demographic_parity_ratio
      value: 0.93
      threshold: 0.8
      groups: {female: 0.31, male: 0.33}
      n: {female: 4100, male: 4300}
human_oversight:
  mode: in-the-loop
  overseer: Credit officer
  can_override: true
  can_stop: true
  stop_mechanism: Feature flag credit_model_enabled
  automation_bias_mitigation: Reason codes shown; 5% of approvals re-reviewed
transparency: {disclosure: Applicants are told a model assists the decision}
";

pub const IMPACT_ASSESSMENT: &str = "\
---
approved_by: AI Governance Board
approved_at: 2026-10-01
next_review: 2027-10-01
impacts:
  - {scope: individuals, description: Wrongful refusal of credit, severity: high, mitigation: Officer reviews every refer, residual: low}
  - {scope: groups, description: Disparate approval rates, severity: medium, mitigation: Quarterly bias test, residual: low}
  - {scope: society, description: Reduced access to credit, severity: low, mitigation: Appeals process, residual: low}
---

# Impact assessment
";

pub const DATASHEET: &str = "\
---
name: Loan applications 2024
license: proprietary
provenance: {source: Core banking system, collection_method: Application forms, period: 2024}
preprocessing: Deduplicated; free-text fields removed
personal_data: {present: true, categories: [income, age], legal_basis: contract, dpia: DPIA.md}
---

# Loan applications 2024
";

/// A complete high-risk system under `dir` (`""` for the root).
pub fn high_risk_files(dir: &str, card: &str) -> Vec<(String, String)> {
    let p = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    vec![
        (p("model_card.yaml"), card.to_string()),
        (p("IMPACT_ASSESSMENT.md"), IMPACT_ASSESSMENT.to_string()),
        (p("data/DATASHEET.md"), DATASHEET.to_string()),
        (p("data/DPIA.md"), "# DPIA\n\nDone.\n".to_string()),
    ]
}

pub fn high_risk_repo(card: &str) -> Repo {
    let repo = Repo::new();
    for (path, contents) in high_risk_files("", card) {
        repo.write(&path, contents);
    }
    repo
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A repository with a base commit and the author's change on top.
pub struct Change {
    pub repo: Repo,
    pub base: String,
}

impl Change {
    /// Commits `files` as the base, applies `edit`, commits that as the head.
    pub fn new(files: &[(String, String)], edit: impl FnOnce(&Repo)) -> Change {
        let repo = Repo::new();
        for (path, contents) in files {
            repo.write(path, contents);
        }
        git(repo.path(), &["init", "-q", "-b", "main"]);
        git(repo.path(), &["add", "-A"]);
        git(repo.path(), &["commit", "-q", "-m", "base"]);
        let base = git(repo.path(), &["rev-parse", "HEAD"]);
        edit(&repo);
        git(repo.path(), &["add", "-A"]);
        git(
            repo.path(),
            &["commit", "-q", "--allow-empty", "-m", "the change"],
        );
        Change { repo, base }
    }

    pub fn without_base(&self) -> Run {
        self.repo.check(&[])
    }

    pub fn with_base(&self) -> Run {
        self.repo.check(&["--base", &self.base])
    }
}
