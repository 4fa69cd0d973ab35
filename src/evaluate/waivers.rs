//! Waivers: auditable exceptions. A valid waiver marks matching findings as
//! waived (still reported, no longer failing); an invalid one waives nothing
//! and is itself an error; one that matches nothing is a warning, so stale
//! exceptions do not pile up unnoticed.

use crate::finding::{Approval, Finding, Severity};
use crate::glob::PathGlobs;
use crate::load::node::Node;

pub const RULE: &str = "waiver";

/// Rules no waiver may silence: their exception is a verified approval
/// (governance-change) or none at all (a prohibited practice is prohibited;
/// a card that cannot be read cannot be judged).
pub const NOT_WAIVABLE: &[&str] = &["card-invalid", "governance-change", "prohibited-practice"];

/// How far ahead a waiver may expire unless `[params] max_waiver_days` says otherwise.
pub const MAX_WAIVER_DAYS: i64 = 180;

/// Whether `text` says something: at least two words and eight letters or
/// digits, and no template placeholder. ".", "x", "n/a" and "TBD" say nothing.
pub fn substantive(text: &str) -> bool {
    let text = text.trim();
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    words >= 2 && letters >= 8 && !crate::load::placeholder::is_placeholder(text)
}

/// The bounds every waiver is held to.
#[derive(Debug, Clone, Copy)]
pub struct Bounds<'a> {
    /// `YYYY-MM-DD`.
    pub now: &'a str,
    pub max_days: i64,
}
const CONTROLS: &[&str] = &["iso42001:A.6.2.7"];

#[derive(Debug)]
pub enum Scope {
    /// From a card: the findings of that system.
    System(String),
    /// From config: findings in files matching the glob (relative to the
    /// scan root, gitignore semantics), and the glob as written.
    Files(PathGlobs, String),
}

#[derive(Debug)]
pub struct Waiver {
    pub rule: String,
    pub scope: Scope,
    pub reason: String,
    pub approved_by: String,
    pub expires: Option<String>,
    /// Where the waiver is written, for its own findings.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub system: Option<String>,
    /// For a card waiver, its record path (`waivers.2`).
    pub field: Option<String>,
    /// Who approved it: the name written beside it, until verified.
    pub approval: Approval,
    /// Set when the waiver cannot be honoured.
    pub invalid: Option<String>,
    /// For a card waiver, the system's owner: never its own approver.
    pub owner: Option<String>,
}

impl Waiver {
    /// Checks reason, approver and expiry against `bounds` (ISO dates compare as text).
    pub fn validate(&mut self, bounds: Bounds) {
        let now = bounds.now;
        let mut problems = Vec::new();
        if self.rule.trim().is_empty() {
            problems.push("names no rule".to_string());
        } else if NOT_WAIVABLE.contains(&self.rule.trim()) {
            problems.push(format!(
                "waives {}, which no waiver may waive (it needs a verified approval)",
                self.rule.trim()
            ));
        }
        if self.reason.trim().is_empty() {
            problems.push("gives no reason".to_string());
        } else if !substantive(&self.reason) {
            problems.push(format!("gives no real reason ({:?})", self.reason.trim()));
        }
        let approver = self.approved_by.trim();
        if approver.is_empty() {
            problems.push("names no approver (approved_by)".to_string());
        } else if crate::load::placeholder::is_placeholder(approver)
            || !approver.chars().any(char::is_alphanumeric)
        {
            problems.push(format!("names no real approver ({approver:?})"));
        } else if self
            .owner
            .as_deref()
            .is_some_and(|owner| owner.trim().eq_ignore_ascii_case(approver))
        {
            problems.push(format!(
                "is approved by the system's own owner ({approver}): an exception needs someone else"
            ));
        }
        match &self.expires {
            None => problems.push(format!(
                "has no expires date (at most {} days ahead)",
                bounds.max_days
            )),
            Some(expires) => match crate::pipeline::parse_date(expires) {
                Err(_) => problems.push(format!("expires {expires:?} is not a date (YYYY-MM-DD)")),
                Ok(_) if expires.as_str() < now => problems.push(format!("expired on {expires}")),
                Ok(_) => {
                    if let Some(days) = crate::audit::days_between(now, expires) {
                        if days > bounds.max_days {
                            problems.push(format!(
                                "expires {expires}, {days} days ahead: at most {} ([params] max_waiver_days)",
                                bounds.max_days
                            ));
                        }
                    }
                }
            },
        }
        if !problems.is_empty() {
            let earlier = self.invalid.take();
            self.invalid = Some(
                earlier
                    .into_iter()
                    .chain(problems)
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
    }

    fn matches(&self, finding: &Finding, root_relative_file: &str) -> bool {
        if finding.rule != self.rule {
            return false;
        }
        match &self.scope {
            Scope::System(id) => finding.system.as_deref() == Some(id.as_str()),
            Scope::Files(globs, _) => globs.is_match(root_relative_file),
        }
    }

    /// The reason, who approved it and until when, in one line.
    pub fn justification(&self) -> String {
        let mut text = format!("{} ({}", self.reason.trim(), self.approval.describe());
        if let Some(expires) = &self.expires {
            text.push_str(&format!(", expires {expires}"));
        }
        text.push(')');
        text
    }

    fn describe(&self) -> String {
        match &self.scope {
            Scope::System(_) => format!("waiver for {}", self.rule),
            Scope::Files(_, glob) => format!("waiver for {} on {}", self.rule, glob),
        }
    }
}

/// Waivers written in a card's `waivers` list.
pub fn from_record(record: &Node, system: &str) -> Vec<Waiver> {
    let Some(list) = record.get("waivers") else {
        return Vec::new();
    };
    let Some(items) = list.as_array() else {
        return vec![Waiver {
            rule: String::new(),
            scope: Scope::System(system.to_string()),
            reason: String::new(),
            approved_by: String::new(),
            expires: None,
            file: list.pos.file.to_string(),
            line: list.pos.line,
            column: list.pos.column,
            system: Some(system.to_string()),
            field: Some("waivers".into()),
            approval: Approval::claim("", "claim"),
            invalid: Some("waivers must be a list of {rule, reason, approved_by, expires}".into()),
            owner: None,
        }];
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let text = |key: &str| {
                item.get(key)
                    .map(|v| match &v.kind {
                        crate::load::node::Kind::String(s) => s.clone(),
                        _ => v.to_json().to_string(),
                    })
                    .unwrap_or_default()
            };
            Waiver {
                rule: text("rule"),
                scope: Scope::System(system.to_string()),
                reason: text("reason"),
                approved_by: text("approved_by"),
                expires: item.get("expires").map(|_| text("expires")),
                file: item.pos.file.to_string(),
                line: item.pos.line,
                column: item.pos.column,
                system: Some(system.to_string()),
                field: Some(format!("waivers.{i}")),
                approval: Approval::claim(&text("approved_by"), "claim"),
                invalid: None,
                owner: owner_of(record),
            }
        })
        .collect()
}

/// `owner.name`, or `owner` written as a string.
fn owner_of(record: &Node) -> Option<String> {
    let owner = record.get("owner")?;
    let name = owner.get("name").unwrap_or(owner);
    match &name.kind {
        crate::load::node::Kind::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// Marks findings waived; returns the waivers' own findings (invalid, unused)
/// and how many findings each waiver waives.
/// `root_relative` gives a finding's file relative to the scan root.
pub fn apply(
    waivers: &[Waiver],
    findings: &mut [Finding],
    root_relative: &dyn Fn(&Finding) -> String,
) -> (Vec<Finding>, Vec<usize>) {
    let mut counts = vec![0usize; waivers.len()];
    for finding in findings.iter_mut() {
        let file = root_relative(finding);
        for (i, w) in waivers.iter().enumerate() {
            if w.invalid.is_none() && w.matches(finding, &file) {
                finding.waived = true;
                finding.waiver.get_or_insert_with(|| w.justification());
                finding.approval.get_or_insert_with(|| w.approval.clone());
                counts[i] += 1;
            }
        }
    }
    let mut own = Vec::new();
    for (w, used) in waivers.iter().zip(counts.iter().map(|n| *n > 0)) {
        let (severity, message) = match &w.invalid {
            Some(problem) => (
                Severity::Error,
                format!("{} {problem}, so it waives nothing", w.describe()),
            ),
            None if !used => (
                Severity::Warning,
                format!("{} matches no finding; remove it", w.describe()),
            ),
            None => continue,
        };
        own.push(Finding {
            rule: RULE.into(),
            severity,
            message,
            system: w.system.clone(),
            file: w.file.clone(),
            line: w.line,
            column: w.column,
            field: None,
            key: None,
            controls: CONTROLS.iter().map(|c| c.to_string()).collect(),
            waived: false,
            baselined: false,
            baseline: None,
            help: Some(
                "Give every waiver a rule, a reason, an approver (approved_by) and an expiry date (expires: YYYY-MM-DD) in the future".into(),
            ),
            waiver: None,
            approval: None,
            exception: None,
        });
    }
    (own, counts)
}

/// An exception as the register and the audit report list it: a waiver, a
/// risk acceptance or a not_applicable, with its approval and what it waives.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Exception {
    /// `waiver`, `risk acceptance`, `not applicable` or `accepted`.
    pub kind: String,
    pub rule: String,
    /// The system it belongs to, or a config waiver's path glob.
    pub scope: String,
    pub reason: String,
    pub approval: Approval,
    pub expires: Option<String>,
    /// Why it waives nothing, when it does not count.
    pub invalid: Option<String>,
    /// Findings it waives.
    pub waived: usize,
    pub file: String,
    pub line: u32,
}

impl Exception {
    pub fn of_waiver(w: &Waiver, waived: usize) -> Exception {
        Exception {
            kind: "waiver".into(),
            rule: w.rule.clone(),
            scope: match &w.scope {
                Scope::System(id) => id.clone(),
                Scope::Files(_, glob) => glob.clone(),
            },
            reason: w.reason.clone(),
            approval: w.approval.clone(),
            expires: w.expires.clone(),
            invalid: w.invalid.clone(),
            waived,
            file: w.file.clone(),
            line: w.line,
        }
    }

    /// The exception a policy result reports (`accepted`), when `f` has one.
    pub fn of_finding(f: &Finding) -> Option<Exception> {
        f.exception.as_ref()?;
        let approval = f.approval.clone()?;
        Some(Exception {
            kind: match f.rule.as_str() {
                "bias-threshold" => "risk acceptance",
                "bias-evaluation" => "not applicable",
                _ => "accepted",
            }
            .into(),
            rule: f.rule.clone(),
            scope: f.system.clone().unwrap_or_default(),
            reason: f.waiver.clone().unwrap_or_default(),
            approval,
            expires: None,
            invalid: (!f.waived)
                .then(|| "new or changed in this change without a verified approval".to_string()),
            waived: usize::from(f.waived),
            file: f.file.clone(),
            line: f.line,
        })
    }
}
