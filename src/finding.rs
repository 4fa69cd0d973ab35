//! What the gate reports: one finding per problem, at a file, line and column.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    /// The default `--fail-on`: errors fail the gate.
    #[default]
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "note" | "info" => Some(Severity::Note),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// The system's id (its directory relative to the scan root); `None` for repository findings.
    pub system: Option<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub field: Option<String>,
    /// What a finding that names no field is about, stable across edits
    /// (`system app`): its fingerprints use it instead of file and message.
    #[serde(skip)]
    pub key: Option<String>,
    pub controls: Vec<String>,
    pub waived: bool,
    /// Held by the baseline: a legacy finding, reported, that does not fail
    /// the gate (`aimsgate baseline`; docs/adopting.md).
    pub baselined: bool,
    /// The baseline entry that holds it: its owner and due date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineMark>,
    /// How to fix it, from the rule's remediation.
    #[serde(skip)]
    pub help: Option<String>,
    /// For a waived finding, the waiver's justification (reason, approver, expiry).
    #[serde(skip)]
    pub waiver: Option<String>,
    /// Who approved the exception that waives this finding, and whether
    /// aimsgate verified it: a name written in a file is only a claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// For an exception written in the record itself (a risk acceptance, a
    /// not_applicable), the record path where it is written.
    #[serde(skip)]
    pub exception: Option<String>,
}

/// What a baseline entry says of the finding it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselineMark {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
}

impl BaselineMark {
    /// "baselined (owner Risk ML, due 2027-03-31)" for the text outputs.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            self.owner.as_deref().map(|o| format!("owner {o}")),
            self.due.as_deref().map(|d| format!("due {d}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "baselined: a legacy finding, in the adoption backlog".into()
        } else {
            format!(
                "baselined: a legacy finding, in the adoption backlog ({})",
                parts.join(", ")
            )
        }
    }
}

/// An approval as the outputs show it (`approval: {by, verified, via}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    /// Who approved: the name written in the file, or the verified reviewer.
    pub by: String,
    /// True only when aimsgate checked it with the code host (a review on
    /// the head commit by an approver who is not the author).
    pub verified: bool,
    /// `claim` (written in a card), `config` (written in aimsgate.toml),
    /// `github-review`, `gitlab-approval`, or `codeowners` (left to branch protection).
    pub via: String,
}

impl Approval {
    /// A name written in a file, not verified.
    pub fn claim(by: &str, via: &str) -> Approval {
        Approval {
            by: by.trim().to_string(),
            verified: false,
            via: via.to_string(),
        }
    }

    /// `verified (github-review)`, `not verified`, or for CODEOWNERS `left to branch protection`.
    pub fn status(&self) -> String {
        match (self.verified, self.via.as_str()) {
            (true, via) => format!("verified ({via})"),
            (false, "codeowners") => "left to branch protection (CODEOWNERS), not verified".into(),
            (false, _) => "not verified".into(),
        }
    }

    /// "approved by X, not verified" or "approved by X, verified (github-review)".
    pub fn describe(&self) -> String {
        let by = if self.by.is_empty() {
            "nobody named"
        } else {
            &self.by
        };
        match (self.verified, self.via.as_str()) {
            (true, via) => format!("approved by {by}, verified ({via})"),
            (false, "codeowners") => {
                format!(
                    "owned by {by} in CODEOWNERS: approval left to branch protection, not verified"
                )
            }
            (false, _) => format!("approved by {by}, not verified"),
        }
    }
}

impl Finding {
    /// Waived or held by the baseline: reported, but it does not fail the gate.
    pub fn excused(&self) -> bool {
        self.waived || self.baselined
    }

    /// Findings sort by file, position, then rule, so output is deterministic.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.file,
            self.line,
            self.column,
            &self.rule,
            &self.message,
        )
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub systems: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub waived: usize,
    /// Findings the baseline holds (not counted as errors or warnings).
    pub baselined: usize,
}

impl Summary {
    pub fn tally(systems: usize, findings: &[Finding]) -> Summary {
        let mut s = Summary {
            systems,
            ..Summary::default()
        };
        for f in findings {
            if f.waived {
                s.waived += 1;
                continue;
            }
            if f.baselined {
                s.baselined += 1;
                continue;
            }
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }
}
