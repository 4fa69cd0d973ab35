//! The baseline: findings a legacy repository had when it adopted the gate,
//! recorded so that they are reported but do not fail it, while every new
//! finding does. Like waivers it acts on the findings of other rules, so
//! aimsgate applies it itself, after the policies and the waivers.
//!
//! An entry is keyed by a fingerprint of the finding's rule, system and field
//! (its file and message when it names no field), never its line: editing
//! elsewhere in a card keeps it matching. The file only shrinks: an entry that matches
//! nothing is `baseline-stale`, and one past its `due` date stops holding its
//! finding (`baseline-due`), so the adoption plan has dates an auditor sees.

use crate::error::{Error, Result};
use crate::finding::{BaselineMark, Finding, Severity};
use crate::load::format::Limits;
use crate::load::node::{Kind, Node};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Where `aimsgate baseline` writes, and `check` looks, by default.
pub const DEFAULT_FILE: &str = "aimsgate-baseline.json";
/// The file format's version; a file of another version is a tool error.
pub const VERSION: u64 = 1;
/// An entry that matches no finding.
pub const STALE: &str = "baseline-stale";
/// An entry past its due date.
pub const DUE: &str = "baseline-due";
const CONTROLS: &[&str] = &["iso42001:A.6.2.7"];

/// Rules whose findings a baseline never holds: those no waiver may waive,
/// and the findings about exceptions and the baseline itself.
pub const NEVER: &[&str] = &[
    "card-invalid",
    "governance-change",
    "prohibited-practice",
    "waiver",
    STALE,
    DUE,
];

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a finding that names no field, what it is about (`system app`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub file: String,
    /// What the finding said when it was recorded, for the people who read
    /// the file; part of the match only for a finding that names no field.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `YYYY-MM-DD`: past it the finding fails again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The entry's line in the file it was read from (1 for a new entry).
    #[serde(skip)]
    pub line: u32,
}

impl Entry {
    /// The entry recording `finding` (root-relative system and file).
    pub fn of(finding: &Finding) -> Entry {
        Entry {
            fingerprint: fingerprint_of(finding),
            rule: finding.rule.clone(),
            system: finding.system.clone(),
            field: finding.field.clone(),
            key: finding.key.clone(),
            file: finding.file.clone(),
            message: finding.message.clone(),
            owner: None,
            due: None,
            line: 1,
        }
    }

    /// "impact-assessment on loan-approval (impact_assessment)".
    pub fn describe(&self) -> String {
        let at = self.field.as_deref().unwrap_or(&self.file);
        match &self.system {
            Some(system) => format!("{} on {system} ({at})", self.rule),
            None => format!("{} ({at})", self.rule),
        }
    }

    fn mark(&self) -> BaselineMark {
        BaselineMark {
            owner: self.owner.clone(),
            due: self.due.clone(),
        }
    }
}

/// A baseline file: who wrote it, when, and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Baseline {
    pub version: u64,
    pub tool: String,
    pub created: String,
    pub entries: Vec<Entry>,
}

impl Baseline {
    pub fn new(created: &str, mut entries: Vec<Entry>) -> Baseline {
        entries.sort_by(|a, b| {
            (&a.system, &a.rule, &a.field, &a.file).cmp(&(&b.system, &b.rule, &b.field, &b.file))
        });
        Baseline {
            version: VERSION,
            tool: format!("aimsgate {}", env!("CARGO_PKG_VERSION")),
            created: created.to_string(),
            entries,
        }
    }

    /// The file's text: pretty JSON, one key a line, so that a pull request's
    /// diff shows each entry added or removed.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a baseline file; anything but a well-formed one is a tool error
    /// naming the file and line, never a baseline that holds nothing (or
    /// everything). `shown` names the file in errors.
    pub fn parse(text: &str, shown: &str, limits: &Limits) -> Result<Baseline> {
        let file: Arc<str> = Arc::from(shown);
        let bad = |line: u32, message: String| {
            Error::Usage(format!("baseline {shown}:{line}: {message}"))
        };
        let root = crate::load::json::parse_json(text, &file, limits)
            .map_err(|e| bad(e.line, format!("not a baseline file: {}", e.message)))?;
        let Kind::Object(keys) = &root.kind else {
            return Err(bad(
                root.pos.line,
                "not a baseline file: expected a JSON object".into(),
            ));
        };
        for entry in keys {
            if !["version", "tool", "created", "entries"].contains(&entry.key.as_str()) {
                return Err(bad(
                    entry.key_pos.line,
                    format!("unknown key {:?}", entry.key),
                ));
            }
        }
        let version = root.get("version").and_then(number);
        if version != Some(VERSION) {
            return Err(bad(
                root.get("version").map_or(root.pos.line, |v| v.pos.line),
                format!(
                    "version {} is not one this aimsgate reads (it reads version {VERSION})",
                    root.get("version")
                        .map_or("missing".into(), |v| v.to_json().to_string())
                ),
            ));
        }
        let text_of = |node: Option<&Node>| node.and_then(Node::as_str).map(str::to_string);
        let entries = match root.get("entries") {
            None => Vec::new(),
            Some(Node {
                kind: Kind::Array(items),
                ..
            }) => items
                .iter()
                .map(|item| entry(item, shown))
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(bad(other.pos.line, "entries must be a list".into()));
            }
        };
        Ok(Baseline {
            version: VERSION,
            tool: text_of(root.get("tool")).unwrap_or_default(),
            created: text_of(root.get("created")).unwrap_or_default(),
            entries,
        })
    }
}

fn number(node: &Node) -> Option<u64> {
    match &node.kind {
        Kind::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn entry(node: &Node, shown: &str) -> Result<Entry> {
    let line = node.pos.line;
    let bad = |message: String| Error::Usage(format!("baseline {shown}:{line}: {message}"));
    let Kind::Object(keys) = &node.kind else {
        return Err(bad("an entry must be an object".into()));
    };
    const KEYS: &[&str] = &[
        "fingerprint",
        "rule",
        "system",
        "field",
        "key",
        "file",
        "message",
        "owner",
        "due",
        "severity",
    ];
    for key in keys {
        if !KEYS.contains(&key.key.as_str()) {
            return Err(bad(format!(
                "unknown key {:?} (an entry has {})",
                key.key,
                KEYS.join(", ")
            )));
        }
    }
    let text = |key: &str, required: bool| -> Result<Option<String>> {
        match node.get(key).map(|n| &n.kind) {
            None | Some(Kind::Null) if !required => Ok(None),
            Some(Kind::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
            _ => Err(bad(format!("{key} must be a non-empty string"))),
        }
    };
    let due = text("due", false)?;
    if let Some(due) = &due {
        if crate::pipeline::parse_date(due).is_err() {
            return Err(bad(format!("due {due:?} is not a date (YYYY-MM-DD)")));
        }
    }
    let entry = Entry {
        fingerprint: text("fingerprint", true)?.unwrap_or_default(),
        rule: text("rule", true)?.unwrap_or_default(),
        system: text("system", false)?,
        field: text("field", false)?,
        key: text("key", false)?,
        file: text("file", true)?.unwrap_or_default(),
        message: text("message", false)?.unwrap_or_default(),
        owner: text("owner", false)?,
        due,
        line,
    };
    // The fingerprint is what matches; one that its own rule, system and
    // field do not produce was edited by hand to hold something else.
    let expected = fingerprint(
        &entry.rule,
        entry.system.as_deref(),
        entry.field.as_deref(),
        entry.key.as_deref(),
        &entry.file,
        &entry.message,
    );
    if entry.fingerprint != expected {
        return Err(bad(format!(
            "fingerprint {:?} does not match its rule, system and field (expected {expected:?}): \
             re-create the entry with `aimsgate baseline`",
            entry.fingerprint
        )));
    }
    Ok(entry)
}

/// The fingerprint of a finding of `rule` on `system` at `field`: never its
/// line, so it survives edits elsewhere, nor its message, whose dates and
/// values change. A finding that names no field (ML code without a card, an
/// empty section) is told apart by its file and message instead, as the
/// SARIF partial fingerprint does.
pub fn fingerprint(
    rule: &str,
    system: Option<&str>,
    field: Option<&str>,
    key: Option<&str>,
    file: &str,
    message: &str,
) -> String {
    let mut hash = Sha256::new();
    let parts: [&str; 5] = match (field, key) {
        (Some(field), _) => [rule, system.unwrap_or(""), "field", field, ""],
        (None, Some(key)) => [rule, system.unwrap_or(""), "key", key, ""],
        (None, None) => [rule, system.unwrap_or(""), "file", file, message],
    };
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(10)
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn fingerprint_of(f: &Finding) -> String {
    fingerprint(
        &f.rule,
        f.system.as_deref(),
        f.field.as_deref(),
        f.key.as_deref(),
        &f.file,
        &f.message,
    )
}

/// Whether a baseline may hold `finding`: it would fail the gate at some
/// `--fail-on` (an unwaived error or warning) and its rule is not in [`NEVER`].
pub fn holdable(finding: &Finding) -> bool {
    !finding.waived
        && !finding.baselined
        && finding.severity >= Severity::Warning
        && !NEVER.contains(&finding.rule.as_str())
}

/// How a baseline is applied to one scan root's findings.
pub struct Apply<'a> {
    pub baseline: &'a Baseline,
    /// The baseline file, root-relative, where its own findings point.
    pub file: &'a str,
    pub now: &'a str,
    /// Entries matching nothing are stale only when every system was
    /// evaluated: a scoped run (pre-commit, --changed-since) sees a few.
    pub judge_stale: bool,
}

impl Apply<'_> {
    /// Marks the findings the baseline holds as baselined and returns its
    /// own findings (stale entries, entries past due).
    pub fn apply(&self, findings: &mut [Finding]) -> Vec<Finding> {
        let mut unused = by_fingerprint(&self.baseline.entries);
        let mut used = BTreeSet::new();
        let mut own = Vec::new();
        for finding in findings.iter_mut().filter(|f| holdable(f)) {
            let fp = fingerprint_of(finding);
            let Some((i, entry)) = unused.get_mut(fp.as_str()).and_then(Vec::pop) else {
                continue;
            };
            used.insert(i);
            match &entry.due {
                Some(due) if due.as_str() < self.now => own.push(self.finding(
                    entry,
                    Severity::Warning,
                    DUE,
                    format!(
                        "the baseline entry for {} was due on {due}{}: its finding fails the gate again; fix it, or agree a new date with the governance function",
                        entry.describe(),
                        owned_by(entry)
                    ),
                )),
                _ => {
                    finding.baselined = true;
                    finding.baseline = Some(entry.mark());
                }
            }
        }
        for (i, entry) in self.baseline.entries.iter().enumerate() {
            if used.contains(&i) {
                continue;
            }
            if NEVER.contains(&entry.rule.as_str()) {
                own.push(self.finding(
                    entry,
                    Severity::Warning,
                    STALE,
                    format!(
                        "the baseline entry for {} holds nothing: {} findings cannot be baselined (like a waiver, they need a fix or a verified approval); remove it",
                        entry.describe(),
                        entry.rule
                    ),
                ));
            } else if self.judge_stale {
                own.push(self.finding(
                    entry,
                    Severity::Warning,
                    STALE,
                    format!(
                        "the baseline entry for {} matches no finding: it was fixed, so remove it (`aimsgate baseline --prune`) and the baseline only shrinks",
                        entry.describe()
                    ),
                ));
            }
        }
        own
    }

    fn finding(&self, entry: &Entry, severity: Severity, rule: &str, message: String) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            message,
            system: None,
            file: self.file.to_string(),
            line: entry.line,
            column: 1,
            field: None,
            key: None,
            controls: CONTROLS.iter().map(|c| c.to_string()).collect(),
            waived: false,
            baselined: false,
            baseline: None,
            help: Some(if rule == DUE {
                "Fix the finding, then prune the entry (`aimsgate baseline --prune`); or have the governance function agree a new due date".into()
            } else {
                "Remove the entries that match no finding (`aimsgate baseline --prune`): removing entries never needs an approval".into()
            }),
            waiver: None,
            approval: None,
            exception: None,
        }
    }
}

fn owned_by(entry: &Entry) -> String {
    entry
        .owner
        .as_deref()
        .map(|o| format!(" (owner {o})"))
        .unwrap_or_default()
}

/// What a change did to the baseline, for `governance-change`: entries
/// added, and entries whose due date moved later or went. Removing entries
/// is always allowed, and so is an earlier date or a new owner.
pub fn loosened(old: &Baseline, new: &Baseline) -> Vec<(Entry, Option<Entry>)> {
    let mut before = by_fingerprint(&old.entries);
    let mut out = Vec::new();
    for e in &new.entries {
        match before.get_mut(e.fingerprint.as_str()).and_then(Vec::pop) {
            None => out.push((e.clone(), None)),
            Some((_, was)) => {
                let later = match (&was.due, &e.due) {
                    (Some(_), None) => true,
                    (Some(a), Some(b)) => b > a,
                    (None, _) => false,
                };
                if later {
                    out.push((e.clone(), Some(was.clone())));
                }
            }
        }
    }
    out
}

/// `entries` (with their index) by fingerprint, each list reversed so that
/// `pop` takes them in file order: one entry holds one finding, so entries
/// and findings of one fingerprint are matched by count.
pub fn by_fingerprint(entries: &[Entry]) -> BTreeMap<&str, Vec<(usize, &Entry)>> {
    let mut map: BTreeMap<&str, Vec<(usize, &Entry)>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate().rev() {
        map.entry(e.fingerprint.as_str()).or_default().push((i, e));
    }
    map
}

/// The entries of `head` that `base` already holds with a due date no later:
/// under `--base`, what a change may use of its own baseline before a
/// governance approver approves what it added.
pub fn trusted(base: &Baseline, head: &Baseline) -> Baseline {
    let loosened: BTreeSet<(String, u32)> = loosened(base, head)
        .into_iter()
        .map(|(e, _)| (e.fingerprint, e.line))
        .collect();
    Baseline {
        entries: head
            .entries
            .iter()
            .filter(|e| !loosened.contains(&(e.fingerprint.clone(), e.line)))
            .cloned()
            .collect(),
        ..head.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, system: Option<&str>, field: Option<&str>, line: u32) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Error,
            message: "m".into(),
            system: system.map(str::to_string),
            file: "a/model_card.yaml".into(),
            line,
            column: 1,
            field: field.map(str::to_string),
            key: None,
            controls: vec![],
            waived: false,
            baselined: false,
            baseline: None,
            help: None,
            waiver: None,
            approval: None,
            exception: None,
        }
    }

    #[test]
    fn fingerprints_ignore_lines_and_messages() {
        let a = finding("owner", Some("a"), Some("owner.contact"), 3);
        let mut b = finding("owner", Some("a"), Some("owner.contact"), 40);
        b.message = "other words".into();
        assert_eq!(fingerprint_of(&a), fingerprint_of(&b));
        let c = finding("owner", Some("b"), Some("owner.contact"), 3);
        assert_ne!(fingerprint_of(&a), fingerprint_of(&c));
        // A field named like a file does not collide with a file.
        assert_ne!(
            fingerprint("r", None, Some("x"), None, "y", "m"),
            fingerprint("r", None, None, None, "x", "m")
        );
        // With a field, the file and message do not count; without one, they do.
        assert_eq!(
            fingerprint("r", None, Some("x"), None, "a", "m"),
            fingerprint("r", None, Some("x"), None, "b", "n")
        );
        assert_ne!(
            fingerprint("r", None, None, None, "a", "section \"A\" is empty"),
            fingerprint("r", None, None, None, "a", "section \"B\" is empty")
        );
        // A key stands for both: a system without a card is the same system
        // whichever of its files comes first and whatever its lines.
        assert_eq!(
            fingerprint("r", None, None, Some("system app"), "app/a.py", "at 3"),
            fingerprint("r", None, None, Some("system app"), "app/b.py", "at 9")
        );
        assert_ne!(
            fingerprint("r", None, None, Some("system app"), "x", "m"),
            fingerprint("r", None, None, Some("system web"), "x", "m")
        );
    }

    #[test]
    fn written_files_read_back() {
        let mut e = Entry::of(&finding("owner", Some("a"), Some("owner"), 1));
        e.owner = Some("Risk ML".into());
        e.due = Some("2027-01-31".into());
        let written = Baseline::new("2026-12-06", vec![e]).to_json();
        let read = Baseline::parse(&written, "b.json", &Limits::default()).expect("parse");
        assert_eq!(read.entries.len(), 1);
        assert_eq!(read.entries[0].owner.as_deref(), Some("Risk ML"));
        assert_eq!(read.entries[0].line, 6);
    }

    #[test]
    fn hostile_files_are_tool_errors() {
        let e = Entry::of(&finding("owner", Some("a"), Some("owner"), 1));
        let good = Baseline::new("2026-12-06", vec![e]).to_json();
        for (text, says) in [
            ("[]".to_string(), "expected a JSON object"),
            ("{\"version\": 2}".to_string(), "version 2"),
            (
                "{\"version\": 1, \"entries\": {}}".to_string(),
                "must be a list",
            ),
            ("{\"version\": 1, \"extra\": 1}".to_string(), "unknown key"),
            (
                good.replace("\"rule\": \"owner\"", "\"rule\": \"monitoring\""),
                "does not match",
            ),
            (
                good.replacen(
                    "\"owner\",",
                    "\"owner\",\n      \"due_date\": \"2027-01-01\",",
                    1,
                ),
                "unknown key",
            ),
            (
                good.replace(
                    "\"file\": \"a/model_card.yaml\"",
                    "\"file\": \"a/model_card.yaml\", \"due\": \"soon\"",
                ),
                "not a date",
            ),
            (
                "{\"version\": 1, \"entries\": [3]}".to_string(),
                "must be an object",
            ),
            ("{".to_string(), "not a baseline file"),
        ] {
            let error = Baseline::parse(&text, "b.json", &Limits::default())
                .expect_err(&text)
                .to_string();
            assert!(error.contains(says), "{text}: {error}");
            assert!(error.starts_with("baseline b.json:"), "{error}");
        }
    }

    fn baseline(entries: Vec<Entry>) -> Baseline {
        Baseline::new("2026-12-06", entries)
    }

    #[test]
    fn applies_stales_and_expires() {
        let held = finding("owner", Some("a"), Some("owner"), 5);
        let overdue = finding("monitoring", Some("a"), Some("monitoring"), 9);
        let mut due = Entry::of(&overdue);
        due.due = Some("2026-01-01".into());
        let gone = Entry::of(&finding("limitations", Some("a"), Some("limitations"), 1));
        let never = Entry::of(&finding("prohibited-practice", Some("a"), None, 1));
        let b = baseline(vec![Entry::of(&held), due, gone, never]);
        let mut findings = vec![
            held.clone(),
            overdue.clone(),
            finding("evaluation", Some("a"), Some("evaluation"), 2),
            finding("prohibited-practice", Some("a"), None, 1),
        ];
        let apply = Apply {
            baseline: &b,
            file: "aimsgate-baseline.json",
            now: "2026-12-06",
            judge_stale: true,
        };
        let own = apply.apply(&mut findings);
        let baselined: Vec<&str> = findings
            .iter()
            .filter(|f| f.baselined)
            .map(|f| f.rule.as_str())
            .collect();
        assert_eq!(baselined, ["owner"]);
        let mut rules: Vec<(&str, Severity)> =
            own.iter().map(|f| (f.rule.as_str(), f.severity)).collect();
        rules.sort();
        assert_eq!(
            rules,
            [
                (DUE, Severity::Warning),
                (STALE, Severity::Warning),
                (STALE, Severity::Warning)
            ]
        );
        // A scoped run says nothing of entries it could not see.
        let mut findings = vec![held];
        let scoped = Apply {
            judge_stale: false,
            ..apply
        };
        let own = scoped.apply(&mut findings);
        assert!(findings[0].baselined);
        assert_eq!(own.len(), 1, "{own:?}");
    }

    #[test]
    fn duplicates_need_an_entry_each() {
        let f = finding("placeholder-text", Some("a"), Some("name"), 1);
        let b = baseline(vec![Entry::of(&f)]);
        let mut findings = vec![f.clone(), f];
        Apply {
            baseline: &b,
            file: "b.json",
            now: "2026-12-06",
            judge_stale: true,
        }
        .apply(&mut findings);
        assert_eq!(findings.iter().filter(|f| f.baselined).count(), 1);
    }

    #[test]
    fn only_additions_and_later_dates_loosen() {
        let a = Entry::of(&finding("owner", Some("a"), Some("owner"), 1));
        let b = Entry::of(&finding("owner", Some("b"), Some("owner"), 1));
        let mut dated = a.clone();
        dated.due = Some("2027-01-01".into());
        let mut later = a.clone();
        later.due = Some("2027-06-01".into());
        let old = baseline(vec![dated.clone(), b.clone()]);
        assert!(loosened(&old, &baseline(vec![dated.clone()])).is_empty());
        assert!(loosened(&old, &baseline(vec![])).is_empty());
        let added = loosened(&baseline(vec![dated.clone()]), &old);
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].0.system.as_deref(), Some("b"));
        assert_eq!(
            loosened(&old, &baseline(vec![later.clone(), b.clone()])).len(),
            1
        );
        assert_eq!(
            loosened(&old, &baseline(vec![a.clone(), b.clone()])).len(),
            1
        );
        let head = baseline(vec![later, b]);
        let kept = trusted(&old, &head);
        assert_eq!(kept.entries.len(), 1);
        assert_eq!(kept.entries[0].system.as_deref(), Some("b"));
    }
}
