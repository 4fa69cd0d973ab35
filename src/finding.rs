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
    pub controls: Vec<String>,
    pub waived: bool,
    /// How to fix it, from the rule's remediation.
    #[serde(skip)]
    pub help: Option<String>,
    /// For a waived finding, the waiver's justification (reason, approver, expiry).
    #[serde(skip)]
    pub waiver: Option<String>,
}

impl Finding {
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
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }
}
