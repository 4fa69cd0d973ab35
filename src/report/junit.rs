//! JUnit XML: a `<testsuite>` per system (and one for the repository's own
//! rules, such as ML code without a card), a `<testcase>` per rule evaluated
//! on it, passing rules included.
//!
//! - a finding that fails the gate (not waived, at or above `--fail-on`:
//!   errors by default) fails its rule: `<failure message=... type=RULE>`
//!   whose text has one `file:line:col: message` line per such finding;
//! - other findings leave the rule passing and are listed in its
//!   `<system-out>`;
//! - a rule whose only findings are waived is `<skipped message="waived: ...">`,
//!   and one whose only findings the baseline holds `<skipped message="baselined ...">`.

use super::escape::terminal;
use crate::finding::Finding;
use crate::pipeline::Outcome;
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::{BTreeSet, HashSet};
use std::io::Write;

/// The suite (and class) name of the repository-level rules.
pub const REPOSITORY_SUITE: &str = "(repository)";

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let report = build(outcome);
    report
        .serialize(&mut *out)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    writeln!(out)
}

pub fn build(outcome: &Outcome) -> Report {
    let mut report = Report::new("aimsgate");
    let mut names: HashSet<String> = HashSet::new();
    let known: BTreeSet<&str> = outcome.systems.iter().map(|s| s.id.as_str()).collect();
    for system in &outcome.systems {
        let findings: Vec<&Finding> = outcome
            .findings
            .iter()
            .filter(|f| f.system.as_deref() == Some(system.id.as_str()))
            .collect();
        let name = unique(&mut names, &clean(&system.id));
        let mut suite = TestSuite::new(name.clone());
        suite.add_property(Property::new("card", clean(&system.card)));
        if let Some(n) = &system.name {
            suite.add_property(Property::new("name", clean(n)));
        }
        suite.add_property(Property::new("tier", clean(&system.tier)));
        suite.add_property(Property::new("format", clean(&system.format)));
        suite.add_test_cases(cases(outcome, &name, &system.rules, &findings));
        report.add_test_suite(suite);
    }
    let rest: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| !f.system.as_deref().is_some_and(|id| known.contains(id)))
        .collect();
    if !rest.is_empty() || !outcome.repository_rules.is_empty() {
        let name = unique(&mut names, REPOSITORY_SUITE);
        let mut suite = TestSuite::new(name.clone());
        suite.add_test_cases(cases(outcome, &name, &outcome.repository_rules, &rest));
        report.add_test_suite(suite);
    }
    report
}

/// A test case per rule: the rules evaluated, plus any a finding names.
fn cases(outcome: &Outcome, class: &str, rules: &[String], findings: &[&Finding]) -> Vec<TestCase> {
    let ids: BTreeSet<&str> = rules
        .iter()
        .map(String::as_str)
        .chain(findings.iter().map(|f| f.rule.as_str()))
        .collect();
    let mut seen = HashSet::new();
    ids.into_iter()
        .map(|rule| {
            let mine: Vec<&Finding> = findings
                .iter()
                .copied()
                .filter(|f| f.rule == rule)
                .collect();
            let mut case = TestCase::new(
                unique(&mut seen, &clean(rule)),
                status(outcome, rule, &mine),
            );
            case.set_classname(class);
            let others: Vec<String> = mine
                .iter()
                .filter(|f| !outcome.fails(f))
                .map(|f| line(f, true))
                .collect();
            // A skipped case lists its (waived) findings in its own text.
            let skipped = !mine.is_empty() && mine.iter().all(|f| f.excused());
            if !others.is_empty() && !skipped {
                case.set_system_out(others.join("\n"));
            }
            case
        })
        .collect()
}

fn status(outcome: &Outcome, rule: &str, findings: &[&Finding]) -> TestCaseStatus {
    let failing: Vec<&&Finding> = findings.iter().filter(|f| outcome.fails(f)).collect();
    if let Some(first) = failing.first() {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        let message = if failing.len() == 1 {
            clean(&first.message)
        } else {
            format!(
                "{} findings; first: {}",
                failing.len(),
                clean(&first.message)
            )
        };
        status.set_message(message);
        status.set_type(clean(rule));
        status.set_description(
            failing
                .iter()
                .map(|f| line(f, false))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        return status;
    }
    if !findings.is_empty() && findings.iter().all(|f| f.excused()) {
        let mut status = TestCaseStatus::skipped();
        if findings.iter().all(|f| f.waived) {
            let why = findings
                .iter()
                .find_map(|f| f.waiver.as_deref())
                .unwrap_or("an approved waiver");
            status.set_message(format!("waived: {}", clean(why)));
            status.set_type("waived");
        } else if findings.iter().all(|f| f.baselined) {
            let why = findings
                .iter()
                .find_map(|f| f.baseline.as_ref())
                .map(|m| m.describe())
                .unwrap_or_else(|| "baselined".into());
            status.set_message(clean(&why));
            status.set_type("baselined");
        } else {
            status.set_message("waived or baselined");
            status.set_type("waived");
        }
        status.set_description(
            findings
                .iter()
                .map(|f| line(f, true))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        return status;
    }
    TestCaseStatus::success()
}

/// `file:line:col: message`, with the severity (and waived) when `labelled`.
fn line(f: &Finding, labelled: bool) -> String {
    let label = match (labelled, f.waived, f.baselined) {
        (false, _, _) => String::new(),
        (true, true, _) => format!("{} (waived): ", f.severity),
        (true, false, true) => format!("{} (baselined): ", f.severity),
        (true, false, false) => format!("{}: ", f.severity),
    };
    format!(
        "{}:{}:{}: {label}{}",
        clean(&f.file),
        f.line,
        f.column,
        clean(&f.message)
    )
}

/// One line of XML-safe text: control characters shown as `\u{..}` (so no
/// line break, escape sequence or character XML forbids gets through), and the
/// two non-characters XML 1.0 excludes replaced.
fn clean(text: &str) -> String {
    terminal(text, false).replace(['\u{fffe}', '\u{ffff}'], "\u{fffd}")
}

/// `name`, or `name (2)`, `name (3)`... when taken.
fn unique(taken: &mut HashSet<String>, name: &str) -> String {
    let mut candidate = name.to_string();
    let mut n = 1;
    while taken.contains(&candidate) {
        n += 1;
        candidate = format!("{name} ({n})");
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_one_xml_safe_line() {
        assert_eq!(
            clean("a\r\nb\u{ffff}\u{1b}"),
            "a\\u{d}\\u{a}b\u{fffd}\\u{1b}"
        );
    }

    #[test]
    fn names_are_unique() {
        let mut taken = HashSet::new();
        assert_eq!(unique(&mut taken, "a"), "a");
        assert_eq!(unique(&mut taken, "a"), "a (2)");
        assert_eq!(unique(&mut taken, "a"), "a (3)");
    }
}
