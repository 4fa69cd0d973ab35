//! GitLab Code Quality (a Code Climate subset): a JSON array of issues with
//! `description`, `check_name` (the rule), `fingerprint`, `severity` and
//! `location.path` / `location.lines.begin`.
//!
//! Severity: an error on a `prohibited`-tier system is `blocker`, on a
//! `high`-risk one `critical`, any other error (limited or minimal tier, the
//! repository's own rules) `major`; a warning is `minor`, a note `info`.
//!
//! Waived findings are left out: a waiver is an approved exception, and the
//! merge-request widget then shows the issue as resolved. (The JSON, SARIF and
//! JUnit reports still carry them.)
//!
//! The fingerprint is the SARIF partial fingerprint's identity (a hash of rule,
//! file and field, or message when there is no field, never the line) with the
//! occurrence among equal identities, hashed again: stable across runs and
//! line moves, unique within a report.

use crate::finding::{Finding, Severity};
use crate::pipeline::Outcome;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Write;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &build(outcome))?;
    writeln!(out)
}

pub fn build(outcome: &Outcome) -> Value {
    let identities = super::sarif::identities(&outcome.findings);
    let issues: Vec<Value> = outcome
        .findings
        .iter()
        .zip(&identities)
        .filter(|(f, _)| !f.waived)
        .map(|(f, (hash, occurrence))| {
            let tier = f.system.as_deref().and_then(|id| {
                outcome
                    .systems
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.tier.as_str())
            });
            json!({
                "type": "issue",
                "engine_name": "aimsgate",
                "check_name": f.rule,
                "description": description(f),
                // A baselined finding is known legacy: shown, not blocking.
                "severity": if f.baselined { "info" } else { severity(f.severity, tier) },
                "fingerprint": fingerprint(hash, *occurrence),
                "location": {
                    "path": f.file,
                    "lines": {"begin": f.line.max(1)},
                },
            })
        })
        .collect();
    Value::Array(issues)
}

/// The Code Quality severity of a finding on a system of `tier` (`None` for
/// repository findings).
pub fn severity(severity: Severity, tier: Option<&str>) -> &'static str {
    match (severity, tier) {
        (Severity::Error, Some("prohibited")) => "blocker",
        (Severity::Error, Some("high")) => "critical",
        (Severity::Error, _) => "major",
        (Severity::Warning, _) => "minor",
        (Severity::Note, _) => "info",
    }
}

/// The message, and the controls it serves; one line (GitLab shows it as text).
fn description(f: &Finding) -> String {
    let mut text: String = f
        .message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if !f.controls.is_empty() {
        text.push_str(&format!(" [{}]", f.controls.join(", ")));
    }
    text
}

fn fingerprint(identity: &str, occurrence: usize) -> String {
    let digest = Sha256::digest(format!("{identity}:{occurrence}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_mapping() {
        assert_eq!(severity(Severity::Error, Some("high")), "critical");
        assert_eq!(severity(Severity::Error, Some("prohibited")), "blocker");
        assert_eq!(severity(Severity::Error, Some("limited")), "major");
        assert_eq!(severity(Severity::Error, None), "major");
        assert_eq!(severity(Severity::Warning, Some("high")), "minor");
        assert_eq!(severity(Severity::Note, None), "info");
    }

    #[test]
    fn fingerprints_differ_by_occurrence() {
        assert_ne!(fingerprint("abc", 1), fingerprint("abc", 2));
        assert_eq!(fingerprint("abc", 1).len(), 32);
    }
}
