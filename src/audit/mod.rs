//! Governance views of a scan: the AI-system register (`aimsgate inventory`)
//! and the audit evidence report (`aimsgate report`: Statement of
//! Applicability, controls x systems, per-system evidence, waivers, reviews).
//!
//! Both run the gate (`pipeline::check`) and read the outcome; nothing here
//! evaluates policies itself.

pub mod controls;
pub mod cyclonedx;
pub mod escape;
pub mod evidence;
mod html;
pub mod inventory;
mod markdown;

use crate::finding::{Finding, Severity};
use crate::pipeline::SystemSummary;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// Bumped on any incompatible change to the JSON documents of this module.
pub const FORMAT_VERSION: u32 = 1;

/// A system's gate result, counted from its own findings (not repository ones).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Gate {
    /// `pass` or `fail`: fail when an error is neither waived nor baselined.
    pub status: &'static str,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub waived: usize,
    /// Legacy findings the baseline holds: the system's adoption backlog.
    pub baselined: usize,
}

impl Gate {
    pub fn of(system: &str, findings: &[Finding]) -> Gate {
        let mut gate = Gate::default();
        for f in findings
            .iter()
            .filter(|f| f.system.as_deref() == Some(system))
        {
            if f.waived {
                gate.waived += 1;
                continue;
            }
            if f.baselined {
                gate.baselined += 1;
                continue;
            }
            match f.severity {
                Severity::Error => gate.errors += 1,
                Severity::Warning => gate.warnings += 1,
                Severity::Note => gate.notes += 1,
            }
        }
        gate.status = if gate.errors > 0 { "fail" } else { "pass" };
        gate
    }
}

/// The facts a register row shows, read from a system's record.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    pub name: Option<String>,
    pub version: Option<String>,
    pub owner: Owner,
    pub lifecycle: Option<String>,
    /// The effective tier (the declared one when valid, else `high`).
    pub risk_tier: String,
    /// `risk.tier` as written, when it is text.
    pub declared_tier: Option<String>,
    pub impact_assessment: Assessment,
    pub datasets: Vec<String>,
    pub suppliers: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Owner {
    pub name: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Assessment {
    /// The document it was read from; `None` when written inline or absent.
    pub file: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub next_review: Option<String>,
}

impl Assessment {
    /// No assessment was read: absent, or a link that could not be followed.
    pub fn is_empty(&self) -> bool {
        self.file.is_none()
            && self.approved_by.is_none()
            && self.approved_at.is_none()
            && self.next_review.is_none()
    }
}

impl Facts {
    pub fn of(system: &SystemSummary) -> Facts {
        let record = system.record.to_json();
        let get = |key: &str| record.get(key).unwrap_or(&Value::Null);
        let risk = get("risk");
        let ia = get("impact_assessment");
        Facts {
            name: text(get("name")),
            version: text(get("version")),
            owner: owner(get("owner")),
            lifecycle: text(get("lifecycle")),
            risk_tier: system.tier.clone(),
            declared_tier: text(risk.get("tier").unwrap_or(&Value::Null)),
            impact_assessment: Assessment {
                file: system.documents.get("impact_assessment").cloned(),
                approved_by: ia.get("approved_by").and_then(text),
                approved_at: ia.get("approved_at").and_then(text),
                next_review: ia.get("next_review").and_then(text),
            },
            datasets: datasets(get("datasets")),
            suppliers: suppliers(get("suppliers"), get("base_model")),
        }
    }

    /// The tier as a reader should see it: flagged when it was not declared.
    pub fn tier_label(&self) -> String {
        match &self.declared_tier {
            Some(t) if *t == self.risk_tier => self.risk_tier.clone(),
            _ => format!("{} (not declared)", self.risk_tier),
        }
    }
}

/// A scalar as text: strings trimmed (blank is none), numbers and booleans as written.
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn owner(v: &Value) -> Owner {
    match v {
        Value::Object(_) => Owner {
            name: v.get("name").and_then(text),
            contact: v.get("contact").and_then(text),
        },
        Value::Array(items) => {
            let names: Vec<String> = items
                .iter()
                .filter_map(|i| i.get("name").and_then(text).or_else(|| text(i)))
                .collect();
            let contacts: Vec<String> = items
                .iter()
                .filter_map(|i| i.get("contact").and_then(text))
                .collect();
            Owner {
                name: (!names.is_empty()).then(|| names.join(", ")),
                contact: (!contacts.is_empty()).then(|| contacts.join(", ")),
            }
        }
        other => Owner {
            name: text(other),
            contact: None,
        },
    }
}

fn datasets(v: &Value) -> Vec<String> {
    let items = match v {
        Value::Array(items) => items.as_slice(),
        _ => return Vec::new(),
    };
    items
        .iter()
        .filter_map(|i| match i {
            Value::Object(_) => i
                .get("id")
                .and_then(text)
                .or_else(|| i.get("name").and_then(text)),
            other => text(other),
        })
        .collect()
}

fn suppliers(list: &Value, base_model: &Value) -> Vec<String> {
    let mut out: Vec<String> = match list {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::Object(_) => i.get("name").and_then(text),
                other => text(other),
            })
            .collect(),
        _ => Vec::new(),
    };
    let bases: Vec<String> = match base_model {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    };
    for b in bases {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// The commit checked out at a scan root, when it is in a git work tree.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    pub commit: String,
    /// Tracked files differ from the commit: the evidence is not all committed.
    pub dirty: bool,
}

pub fn revision(root: &Path) -> Option<Revision> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    if git(&["rev-parse", "--is-inside-work-tree"]).as_deref() != Some("true") {
        return None;
    }
    let commit = git(&["rev-parse", "HEAD"])?;
    let dirty = git(&["status", "--porcelain", "--untracked-files=no", "--", "."])
        .is_some_and(|s| !s.is_empty());
    Some(Revision { commit, dirty })
}

/// A legacy finding the baseline holds: one item of the adoption backlog.
#[derive(Debug, Clone, Serialize)]
pub struct BacklogItem {
    /// The system, or none for a repository finding (ML code without a card).
    pub system: Option<String>,
    pub rule: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub file: String,
    pub line: u32,
    pub message: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// Days from the run's date to `due`.
    pub days_left: Option<i64>,
}

impl BacklogItem {
    /// `2027-06-30 (in 206 days)`, or `no date`.
    pub fn due_note(&self) -> String {
        match (&self.due, self.days_left) {
            (Some(due), Some(d)) => format!("{due} (in {d} days)"),
            (Some(due), None) => due.clone(),
            (None, _) => "no date".into(),
        }
    }
}

/// The adoption backlog: every baselined finding, soonest due first.
pub fn backlog(findings: &[Finding], now: &str) -> Vec<BacklogItem> {
    let mut items: Vec<BacklogItem> = findings
        .iter()
        .filter(|f| f.baselined)
        .map(|f| {
            let mark = f.baseline.clone().unwrap_or(crate::finding::BaselineMark {
                owner: None,
                due: None,
            });
            BacklogItem {
                system: f.system.clone(),
                rule: f.rule.clone(),
                severity: f.severity,
                field: f.field.clone(),
                file: f.file.clone(),
                line: f.line,
                message: f.message.clone(),
                days_left: mark.due.as_deref().and_then(|d| days_between(now, d)),
                owner: mark.owner,
                due: mark.due,
            }
        })
        .collect();
    items.sort_by(|a, b| {
        (a.due.is_none(), &a.due, &a.system, &a.rule).cmp(&(
            b.due.is_none(),
            &b.due,
            &b.system,
            &b.rule,
        ))
    });
    items
}

/// Days from `from` to `to` (both `YYYY-MM-DD`); `None` when either is not a date.
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(day_number(to)? - day_number(from)?)
}

fn day_number(date: &str) -> Option<i64> {
    // Dates may carry a time (TOML datetimes): only the date counts.
    let date = date.get(..10)?;
    crate::pipeline::parse_date(date).ok()?;
    let y: i64 = date[0..4].parse().ok()?;
    let m: i64 = date[5..7].parse().ok()?;
    let d: i64 = date[8..10].parse().ok()?;
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Writes `bytes` to `path`, or to standard output when `path` is `None`.
pub fn emit(path: Option<&Path>, bytes: &[u8]) -> crate::error::Result<()> {
    use std::io::Write;
    match path {
        Some(path) => std::fs::write(path, bytes).map_err(|e| crate::error::Error::io(path, e)),
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(crate::error::Error::io("<stdout>", e)),
                Ok(()) => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_arithmetic() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-11-29"), Some(20_786));
        assert_eq!(days_between("2026-11-29", "2026-12-29"), Some(30));
        assert_eq!(days_between("2026-11-29", "2026-11-01"), Some(-28));
        assert_eq!(days_between("2026-11-29", "soon"), None);
        assert_eq!(days_between("2026-11-29", "2027-10-01T00:00:00"), Some(306));
    }

    #[test]
    fn owners_in_every_shape() {
        let o = owner(&serde_json::json!([{"name": "A", "contact": "a@x"}, {"name": "B"}]));
        assert_eq!(o.name.as_deref(), Some("A, B"));
        assert_eq!(o.contact.as_deref(), Some("a@x"));
        assert_eq!(
            owner(&serde_json::json!("Team")).name.as_deref(),
            Some("Team")
        );
    }
}
