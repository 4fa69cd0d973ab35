//! The machine and CI formats (`sarif`, `junit`, `github`, `gitlab`,
//! `markdown`): their shape on the example repository, stable fingerprints,
//! waivers, size limits, and a hostile repository whose card values and file
//! and directory names carry `%`, CR, LF, workflow commands, `,`, `:`, HTML and
//! CDATA ends, which must come out of every sink inert.
//!
//! Third-party validators (SARIF schema and multitool, junitparser, a Code
//! Quality schema) run on the same outputs in tests/external/formats.sh.

mod common;

use aimsgate::finding::{Finding, Severity};
use aimsgate::pipeline::Outcome;
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::OnceLock;

const FORMATS: &[&str] = &[
    "text", "json", "sarif", "junit", "github", "gitlab", "markdown",
];

// ---------------------------------------------------------------------------
// Helpers

/// `aimsgate check examples --now NOW --format FORMAT` from the repository root.
fn examples(format: &str) -> &'static Run {
    static RUNS: OnceLock<std::sync::Mutex<BTreeMap<String, &'static Run>>> = OnceLock::new();
    let runs = RUNS.get_or_init(Default::default);
    let mut runs = runs.lock().unwrap_or_else(|e| e.into_inner());
    runs.entry(format.to_string()).or_insert_with(|| {
        let out = Command::new(bin())
            .current_dir(manifest_dir())
            .args(["check", "examples", "--now", NOW, "--format", format])
            .output()
            .expect("run aimsgate");
        Box::leak(Box::new(Run::from(out)))
    })
}

fn example_findings() -> Vec<F> {
    let run = examples("json");
    let doc: Value = serde_json::from_str(&run.stdout).expect("json report");
    Run {
        code: run.code,
        stdout: String::new(),
        stderr: String::new(),
        json: Some(doc),
    }
    .findings()
}

fn format(repo: &Repo, format: &str) -> Run {
    let run = repo.run(&["check", ".", "--now", NOW, "--format", format]);
    assert_ne!(run.code, 2, "{format}: tool error: {}", run.stderr);
    run
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn junit(xml: &str) -> quick_junit::Report {
    quick_junit::Report::deserialize_from_str(xml)
        .unwrap_or_else(|e| panic!("JUnit XML does not parse ({e}):\n{xml}"))
}

/// A `::type props::message` workflow command, properties and message decoded.
#[derive(Debug)]
struct Annotation {
    kind: String,
    props: BTreeMap<String, String>,
    message: String,
}

/// Parses one line as the runner does: the command up to a space or `::`, the
/// properties up to the next `::`, the message after it.
fn parse_command(line: &str) -> Annotation {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
    let end = rest
        .find("::")
        .unwrap_or_else(|| panic!("no closing :: in {line:?}"));
    let (head, message) = (&rest[..end], &rest[end + 2..]);
    let (kind, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("property without = in {line:?}"));
            (k.to_string(), decode(v, true))
        })
        .collect();
    Annotation {
        kind: kind.to_string(),
        props,
        message: decode(message, false),
    }
}

/// The runner's unescaping (ActionCommand.UnescapeData / UnescapeProperty),
/// cross-checked against a strict left-to-right decoder.
fn decode(text: &str, property: bool) -> String {
    let mut runner = text.replace("%0D", "\r").replace("%0A", "\n");
    if property {
        runner = runner.replace("%3A", ":").replace("%2C", ",");
    }
    let runner = runner.replace("%25", "%");
    let mut strict = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            strict.push(c);
            continue;
        }
        let code: String = chars.by_ref().take(2).collect();
        strict.push(match (code.as_str(), property) {
            ("25", _) => '%',
            ("0D", _) => '\r',
            ("0A", _) => '\n',
            ("3A", true) => ':',
            ("2C", true) => ',',
            _ => panic!("stray % escape %{code} in {text:?}"),
        });
    }
    assert_eq!(runner, strict, "ambiguous escaping in {text:?}");
    strict
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8 path")
}

// ---------------------------------------------------------------------------
// 1. SARIF

#[test]
fn sarif_has_rules_results_and_fingerprints() {
    let run = examples("sarif");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = json(&run.stdout);
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"]
        .as_str()
        .unwrap()
        .ends_with("sarif-2.1.0.json"));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "aimsgate");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "owner",
        "bias-threshold",
        "model-card-missing",
        "human-oversight",
    ] {
        assert!(ids.contains(&id), "no rule {id} in {ids:?}");
    }
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert!(!rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty());
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty(), "{id}");
        assert!(
            !rule["help"]["markdown"].as_str().unwrap().is_empty(),
            "{id}"
        );
        assert_eq!(
            rule["helpUri"],
            format!("https://github.com/aimsgate/aimsgate/blob/main/docs/rules.md#{id}")
        );
        assert!(
            !rule["properties"]["tags"].as_array().unwrap().is_empty(),
            "{id}"
        );
        let name = rule["name"].as_str().unwrap();
        assert!(
            !name.eq_ignore_ascii_case(id),
            "{id}: name {name} repeats the id"
        );
        assert!(["error", "warning", "note", "none"]
            .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let owner = rules.iter().find(|r| r["id"] == "owner").unwrap();
    assert!(owner["properties"]["tags"]
        .as_array()
        .unwrap()
        .contains(&Value::from("iso42001:A.3.2")));

    let findings = example_findings();
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    let mut fingerprints = BTreeSet::new();
    for (r, f) in results.iter().zip(&findings) {
        assert_eq!(r["ruleId"], f.rule.as_str());
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], f.rule.as_str(), "ruleIndex of {r}");
        assert_eq!(r["level"], f.severity.as_str());
        assert_eq!(r["message"]["text"], f.message.as_str());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f.file.as_str());
        assert_eq!(loc["region"]["startLine"], f.line);
        assert_eq!(loc["region"]["startColumn"], f.column);
        let fp = r["partialFingerprints"]["aimsgate/v1"].as_str().unwrap();
        assert!(
            fingerprints.insert(fp.to_string()),
            "duplicate fingerprint {fp}"
        );
        // The only waived finding of the examples: support-chatbot's
        // bias evaluation, declared not applicable (a claim, not verified).
        match r.get("suppressions") {
            None => assert!(!f.waived),
            Some(s) => {
                assert!(f.waived, "{r}");
                assert_eq!(s[0]["status"], "underReview", "{r}");
                assert_eq!(s[0]["properties"]["approval"]["verified"], false, "{r}");
            }
        }
    }
}

#[test]
fn every_format_is_deterministic_and_written_by_output() {
    let repo = hostile_repo();
    for format in FORMATS {
        let once = examples(format);
        let again = Command::new(bin())
            .current_dir(manifest_dir())
            .args(["check", "examples", "--now", NOW, "--format", format])
            .output()
            .expect("run aimsgate");
        assert_eq!(
            String::from_utf8_lossy(&again.stdout),
            once.stdout,
            "{format} differs between two runs"
        );

        let stdout = format_run(&repo, format);
        let path = repo.path().join(format!("report.{format}"));
        let spec = format!("{format}={}", path.display());
        let run = repo.run(&[
            "check", ".", "--now", NOW, "--format", "json", "--output", &spec,
        ]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        let written = std::fs::read_to_string(&path).expect("--output file written");
        // The text sink colours a terminal only; a file never has escapes.
        assert_eq!(
            written, stdout.stdout,
            "--output {format} differs from --format {format}"
        );
    }
}

fn format_run(repo: &Repo, f: &str) -> Run {
    let mut cmd = repo.command(&["check", ".", "--now", NOW, "--format", f]);
    Run::from(cmd.output().expect("run aimsgate"))
}

#[test]
fn fingerprints_survive_line_moves_and_differ_by_field() {
    let card = MINIMAL_CARD
        .replace("owner: {name: Workplace IT, contact: it@example.com}\n", "")
        .replace(
            "limitations: [About 1 in 500 genuine emails is quarantined]\n",
            "",
        );
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let fingerprints = |repo: &Repo| -> BTreeMap<String, (String, u64)> {
        let sarif = json(&format(repo, "sarif").stdout);
        let gitlab = json(&format(repo, "gitlab").stdout);
        let mut by_rule = BTreeMap::new();
        for (r, g) in sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .zip(gitlab.as_array().unwrap())
        {
            assert_eq!(r["ruleId"], g["check_name"]);
            by_rule.insert(
                r["ruleId"].as_str().unwrap().to_string(),
                (
                    format!(
                        "{} {}",
                        r["partialFingerprints"]["aimsgate/v1"].as_str().unwrap(),
                        g["fingerprint"].as_str().unwrap()
                    ),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                ),
            );
        }
        by_rule
    };
    let before = fingerprints(&repo);
    assert!(
        before.contains_key("owner") && before.contains_key("limitations"),
        "{before:?}"
    );
    assert_ne!(before["owner"].0, before["limitations"].0);

    repo.write("model_card.yaml", format!("# moved\n\n\n{card}"));
    let after = fingerprints(&repo);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (rule, (fp, line)) in &before {
        assert_eq!(
            &after[rule].0, fp,
            "{rule}: fingerprint changed when lines moved"
        );
        if *line > 1 {
            assert_ne!(after[rule].1, *line, "{rule}: the line did move");
        }
    }
}

// ---------------------------------------------------------------------------
// 2. JUnit

#[test]
fn junit_has_a_suite_per_system_and_a_case_per_rule() {
    let run = examples("junit");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = junit(&run.stdout);
    let names: Vec<&str> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "examples/fraud-detector",
            "examples/hiring-screener",
            "examples/loan-approval",
            "examples/spam-filter",
            "examples/support-chatbot",
            "(repository)",
        ]
    );
    let findings = example_findings();
    let mut failures = 0;
    for suite in &report.test_suites {
        let cases: Vec<&str> = suite.test_cases.iter().map(|c| c.name.as_str()).collect();
        let unique: BTreeSet<&str> = cases.iter().copied().collect();
        assert_eq!(
            unique.len(),
            cases.len(),
            "duplicate case in {}",
            suite.name.as_str()
        );
        for case in &suite.test_cases {
            assert_eq!(case.classname.as_deref(), Some(suite.name.as_str()));
        }
        if suite.name.as_str() == "(repository)" {
            assert!(cases.contains(&"model-card-missing"));
            continue;
        }
        // Passing rules are there too: every system is checked for an owner.
        assert!(
            cases.contains(&"owner"),
            "{}: {cases:?}",
            suite.name.as_str()
        );
        assert!(
            cases.contains(&"card-invalid"),
            "{}: {cases:?}",
            suite.name.as_str()
        );
        failures += suite.failures;
    }
    let spam = &report.test_suites[3];
    assert!(
        !spam
            .test_cases
            .iter()
            .any(|c| c.name.as_str() == "bias-evaluation"),
        "bias-evaluation is off for a minimal-risk system"
    );
    let chatbot = &report.test_suites[4];
    let oversight = chatbot
        .test_cases
        .iter()
        .find(|c| c.name.as_str() == "human-oversight")
        .unwrap();
    match &oversight.status {
        quick_junit::TestCaseStatus::NonSuccess {
            kind: quick_junit::NonSuccessKind::Failure,
            message,
            ty,
            description,
            ..
        } => {
            let f = findings
                .iter()
                .find(|f| f.rule == "human-oversight")
                .unwrap();
            assert_eq!(message.as_deref(), Some(f.message.as_str()));
            assert_eq!(ty.as_deref(), Some("human-oversight"));
            assert_eq!(
                description.as_deref(),
                Some(format!("{}:{}:{}: {}", f.file, f.line, f.column, f.message).as_str())
            );
        }
        other => panic!("human-oversight should fail: {other:?}"),
    }
    let system_errors = findings
        .iter()
        .filter(|f| f.severity == "error" && f.system.is_some())
        .map(|f| (f.system.clone(), f.rule.clone()))
        .collect::<BTreeSet<_>>()
        .len();
    assert_eq!(failures, system_errors);
    assert_eq!(report.failures, system_errors + 1);
}

/// The JUnit report agrees with the exit code: with `--fail-on warning` a
/// warning fails its test case, without it the case passes and lists it.
#[test]
fn junit_failures_follow_fail_on() {
    let repo = Repo::with(&[
        ("model_card.yaml", "name: Team Model\nhuman_oversight: {mode: on-the-loop}\n"),
        (
            "team/checks.rego",
            "package team.checks\nwarn contains {\"msg\": \"overseer is not named\", \"field\": \"human_oversight.overseer\"} if {\n\tnot input.record.human_oversight.overseer\n}\n",
        ),
    ]);
    let case = |strict: bool| {
        let mut args = vec![
            "check",
            ".",
            "--now",
            NOW,
            "--format",
            "junit",
            "--policy",
            "team",
            "--no-builtin",
        ];
        if strict {
            args.extend(["--fail-on", "warning"]);
        }
        let run = repo.run(&args);
        assert_eq!(run.code, i32::from(strict), "{}", run.stderr);
        let report = junit(&run.stdout);
        assert_eq!(report.failures, usize::from(strict));
        let suite = &report.test_suites[0];
        let case = suite
            .test_cases
            .iter()
            .find(|c| c.name.as_str() == "checks")
            .expect("a case for the team rule")
            .clone();
        case
    };
    let lenient = case(false);
    assert!(matches!(
        lenient.status,
        quick_junit::TestCaseStatus::Success { .. }
    ));
    let out = lenient.system_out.expect("the warning in system-out");
    assert!(
        out.as_str().contains("warning: overseer is not named"),
        "{out:?}"
    );
    match case(true).status {
        quick_junit::TestCaseStatus::NonSuccess {
            kind: quick_junit::NonSuccessKind::Failure,
            message,
            ..
        } => assert_eq!(message.as_deref(), Some("overseer is not named")),
        other => panic!("a warning fails under --fail-on warning: {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// 3. GitHub workflow commands

#[test]
fn github_annotations_name_file_line_and_rule() {
    let run = examples("github");
    assert_eq!(run.code, 1);
    let findings = example_findings();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, f) in lines.iter().zip(&findings) {
        let a = parse_command(line);
        assert_eq!(a.kind, if f.waived { "notice" } else { "error" });
        assert_eq!(a.props["file"], f.file);
        assert_eq!(a.props["line"], f.line.to_string());
        assert_eq!(a.props["col"], f.column.to_string());
        assert_eq!(a.props["title"], f.rule);
        assert!(a.message.starts_with(&f.message), "{a:?}");
        if !f.waived {
            assert!(a.message.contains("How to fix: "), "{a:?}");
        }
    }
}

fn finding(rule: &str, severity: Severity, file: &str, waived: bool) -> Finding {
    Finding {
        rule: rule.to_string(),
        severity,
        message: format!("{rule} in {file}"),
        system: None,
        file: file.to_string(),
        line: 1,
        column: 1,
        field: None,
        key: None,
        controls: vec![],
        waived,
        baselined: false,
        baseline: None,
        help: None,
        waiver: waived.then(|| "accepted".to_string()),
        approval: None,
        exception: None,
    }
}

#[test]
fn github_limit_keeps_the_most_severe_per_type() {
    let mut findings = Vec::new();
    for i in 0..12 {
        findings.push(finding(
            "note-rule",
            Severity::Note,
            &format!("a{i:02}.md"),
            false,
        ));
        findings.push(finding(
            "err-rule",
            Severity::Error,
            &format!("b{i:02}.md"),
            false,
        ));
    }
    for i in 0..3 {
        findings.push(finding(
            "warn-rule",
            Severity::Warning,
            &format!("c{i}.md"),
            false,
        ));
        findings.push(finding(
            "err-rule",
            Severity::Error,
            &format!("w{i}.md"),
            true,
        ));
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let outcome = Outcome {
        findings,
        ..Outcome::default()
    };
    let mut out = Vec::new();
    let left = aimsgate::report::github::render_limited(&outcome, &mut out, 10).unwrap();
    let text = String::from_utf8(out).unwrap();
    let kinds: Vec<String> = text.lines().map(|l| parse_command(l).kind).collect();
    let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
    assert_eq!(
        (count("error"), count("warning"), count("notice")),
        (10, 3, 10)
    );
    // Errors first, then warnings, then notices; in file order within each.
    let first_notice = kinds.iter().position(|k| k == "notice").unwrap();
    assert!(kinds[..10].iter().all(|k| k == "error"));
    assert!(kinds[first_notice..].iter().all(|k| k == "notice"));
    let files: Vec<String> = text
        .lines()
        .map(|l| parse_command(l).props["file"].clone())
        .collect();
    assert_eq!(files[0], "b00.md");
    assert_eq!(files[9], "b09.md");
    // Left out: two errors, then two notes and the three waived notices.
    let left: Vec<(&str, bool)> = left.iter().map(|f| (f.file.as_str(), f.waived)).collect();
    assert_eq!(
        left,
        [
            ("b10.md", false),
            ("b11.md", false),
            ("a10.md", false),
            ("a11.md", false),
            ("w0.md", true),
            ("w1.md", true),
            ("w2.md", true),
        ]
    );
    let mut all = Vec::new();
    aimsgate::report::github::render(&outcome, &mut all).unwrap();
    assert_eq!(
        String::from_utf8(all).unwrap().lines().count(),
        outcome.findings.len()
    );
}

// ---------------------------------------------------------------------------
// 4. GitLab Code Quality

#[test]
fn gitlab_code_quality_issues() {
    let run = examples("gitlab");
    assert_eq!(run.code, 1);
    let issues = json(&run.stdout);
    let issues = issues.as_array().unwrap();
    // Waived findings stay out of Code Quality.
    let findings: Vec<_> = example_findings()
        .into_iter()
        .filter(|f| !f.waived)
        .collect();
    assert_eq!(issues.len(), findings.len());
    let mut seen = BTreeSet::new();
    for (issue, f) in issues.iter().zip(&findings) {
        assert_eq!(issue["check_name"], f.rule.as_str());
        assert!(issue["description"]
            .as_str()
            .unwrap()
            .starts_with(&f.message));
        assert_eq!(issue["location"]["path"], f.file.as_str());
        assert_eq!(issue["location"]["lines"]["begin"], f.line);
        assert!(seen.insert(issue["fingerprint"].as_str().unwrap().to_string()));
        // High-risk errors are critical; the others major.
        let expected = match f.system.as_deref() {
            Some("examples/hiring-screener" | "examples/loan-approval") => "critical",
            _ => "major",
        };
        assert_eq!(issue["severity"], expected, "{issue}");
    }
}

// ---------------------------------------------------------------------------
// 5. Markdown

#[test]
fn markdown_summary_has_verdict_counts_and_linked_rules() {
    let run = examples("markdown");
    assert_eq!(run.code, 1);
    let md = &run.stdout;
    assert!(md.starts_with("## ❌ aimsgate: failed\n"), "{md}");
    assert!(md.contains("| systems | errors | warnings | notes | waived |"));
    assert!(md.contains("| 5 | 4 | 0 | 0 | 1 |"), "{md}");
    assert!(md.contains(
        "[bias-threshold](<https://github.com/aimsgate/aimsgate/blob/main/docs/rules.md#bias-threshold>)"
    ));
    assert!(
        md.contains("examples/hiring-screener/MODEL&#95;CARD.md:37 |"),
        "{md}"
    );
    assert_eq!(
        md.matches("<details>").count(),
        4,
        "three systems and the repository"
    );
    assert_eq!(md.matches("</details>").count(), 4);
    assert!(md.contains("No findings for 2 systems"));
}

#[test]
fn markdown_limit_keeps_the_most_severe_and_says_how_many_are_left_out() {
    let mut findings = Vec::new();
    for i in 0..400 {
        let mut f = finding("note-rule", Severity::Note, &format!("n{i:03}.md"), false);
        f.message = "n".repeat(300);
        findings.push(f);
        let mut f = finding("err-rule", Severity::Error, &format!("e{i:03}.md"), false);
        f.message = "e".repeat(300);
        findings.push(f);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let outcome = Outcome {
        summary: aimsgate::finding::Summary::tally(0, &findings),
        findings,
        ..Outcome::default()
    };
    let full = aimsgate::report::markdown::render_string(&outcome);
    assert_eq!(
        aimsgate::report::markdown::render_limited(&outcome, full.len()),
        full
    );
    for limit in [65_536usize, 20_000, 3_000] {
        let md = aimsgate::report::markdown::render_limited(&outcome, limit);
        assert!(md.len() <= limit, "{} > {limit}", md.len());
        let errors = md.lines().filter(|l| l.starts_with("| 🔴 error")).count();
        let notes = md.lines().filter(|l| l.starts_with("| 🔵 note")).count();
        assert!(errors > 0, "limit {limit} keeps some errors");
        assert!(notes == 0 || errors == 400, "errors before notes");
        let note = format!("{} more findings left out", 800 - errors - notes);
        assert!(md.contains(&note), "limit {limit}: no {note:?} in\n{md}");
        assert!(md.trim_end().ends_with("</sub>"), "closes properly");
        assert_eq!(
            md.matches("<details>").count(),
            md.matches("</details>").count()
        );
    }
    let tiny = aimsgate::report::markdown::render_limited(&outcome, 10);
    assert!(tiny.len() <= 10);
}

// ---------------------------------------------------------------------------
// 6. Waivers in every format

#[test]
fn waived_findings_are_suppressed_skipped_noticed_and_left_out() {
    let card = MINIMAL_CARD.replace(
        "owner: {name: Workplace IT, contact: it@example.com}\n",
        "waivers:\n  - {rule: owner, reason: Pilot run by the AI board, approved_by: AI Board, expires: 2027-03-01}\n",
    );
    let repo = Repo::with(&[("spam/model_card.yaml", &card)]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let waived: Vec<F> = run.findings().into_iter().filter(|f| f.waived).collect();
    assert_eq!(waived.len(), 1, "{}", run.describe());
    let justification =
        "Pilot run by the AI board (approved by AI Board, not verified, expires 2027-03-01)";

    let sarif = json(&format(&repo, "sarif").stdout);
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "owner");
    assert_eq!(result["suppressions"][0]["kind"], "external");
    assert_eq!(result["suppressions"][0]["justification"], justification);

    let report = junit(&format(&repo, "junit").stdout);
    let case = report.test_suites[0]
        .test_cases
        .iter()
        .find(|c| c.name.as_str() == "owner")
        .unwrap();
    match &case.status {
        quick_junit::TestCaseStatus::Skipped { message, .. } => {
            assert_eq!(
                message.as_deref(),
                Some(format!("waived: {justification}").as_str())
            )
        }
        other => panic!("a waived rule is skipped: {other:?}"),
    }
    assert_eq!(report.failures, 0);

    let github = format(&repo, "github").stdout;
    let a = parse_command(github.trim_end());
    assert_eq!(a.kind, "notice");
    assert!(
        a.message.ends_with(&format!("\n\nWaived: {justification}")),
        "{a:?}"
    );

    assert_eq!(json(&format(&repo, "gitlab").stdout), serde_json::json!([]));

    let md = format(&repo, "markdown").stdout;
    assert!(md.starts_with("## ✅ aimsgate: passed"), "{md}");
    assert!(md.contains("⚪ waived error"), "{md}");
    assert!(md.contains("waived: Pilot run by the AI board"), "{md}");
}

// ---------------------------------------------------------------------------
// 7. Hostile text

/// Card text that tries every sink: percent escapes, line breaks, workflow
/// commands, property separators, HTML, a CDATA end, Markdown table and link
/// syntax, a mention and a heading.
const H: &str = "50% \r\n::error::pwned\r\n::add-mask::secret, a:b <script>alert(1)</script> ]]> | `x` [l](e) @octocat # h";
/// A system directory and an ML directory and file whose names do the same
/// (CR and LF are legal in Linux file names).
const SYSTEM_DIR: &str = "evil %25 \r\n::error file=x::pwned, a:b <script>]]> |`@octocat`";
const ML_DIR: &str = "ml %0A\r\n::warning::x, a:b <script>]]>";
const TRAIN: &str = "train \r\n::error::y, c:d %.py";

fn hostile_repo() -> Repo {
    let card = serde_json::json!({
        "name": H,
        "owner": {"name": format!("Owner {H}"), "contact": H},
        "risk": {"tier": "high", "rationale": H, "affects_people": true, "annex_iii_area": "employment"},
        "intended_use": {"primary": [H], "out_of_scope": [H]},
        "limitations": [H],
        "fairness": {
            "protected_attributes": [H],
            "results": [{"attribute": H, "metric": "demographic_parity_ratio", "value": 0.5,
                         "threshold": 0.8, "n": {"a": 1000, "b": 1000}}],
        },
        "impact_assessment": format!("IA {H}.md"),
        "waivers": [{"rule": "human-oversight", "reason": H, "approved_by": H, "expires": "2027-03-01"}],
    });
    let repo = Repo::new();
    repo.write(
        &format!("{SYSTEM_DIR}/model_card.json"),
        serde_json::to_string_pretty(&card).unwrap(),
    );
    repo.write(&format!("{ML_DIR}/{TRAIN}"), TRAINING);
    repo
}

fn hostile_findings(repo: &Repo) -> Vec<F> {
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let findings = run.findings();
    // The fixture reaches every kind of text: a card value in a message, a
    // hostile system directory, a hostile ML file name, a waiver's reason.
    assert!(findings
        .iter()
        .any(|f| f.rule == "bias-threshold" && f.message.contains(H)));
    assert!(findings.iter().any(|f| f.file.starts_with(SYSTEM_DIR)));
    assert!(findings
        .iter()
        .any(|f| f.rule == "model-card-missing" && f.file == format!("{ML_DIR}/{TRAIN}")));
    assert!(findings.iter().any(|f| f.waived));
    findings
}

#[test]
fn hostile_github_commands_decode_to_the_original_text() {
    let repo = hostile_repo();
    let findings = hostile_findings(&repo);
    let out = format(&repo, "github").stdout;
    assert!(!out.contains('\r'), "a raw CR reached the log");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings.len(), "one line per finding:\n{out}");
    let mut matched = vec![false; findings.len()];
    for line in &lines {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| line.starts_with(p)),
            "injected or malformed line: {line:?}"
        );
        let a = parse_command(line);
        assert_eq!(
            a.props.keys().map(String::as_str).collect::<Vec<_>>(),
            ["col", "file", "line", "title"],
            "{line:?}"
        );
        let i = findings
            .iter()
            .enumerate()
            .position(|(i, f)| {
                !matched[i]
                    && a.props["file"] == f.file
                    && a.props["title"] == f.rule
                    && a.props["line"] == f.line.to_string()
                    && a.props["col"] == f.column.to_string()
                    && a.message.starts_with(&f.message)
            })
            .unwrap_or_else(|| panic!("{a:?} decodes to no finding"));
        matched[i] = true;
        let f = &findings[i];
        let rest = &a.message[f.message.len()..];
        assert!(rest.is_empty() || rest.starts_with("\n\n"), "{a:?}");
        let expected = if f.waived {
            "notice"
        } else {
            f.severity.as_str()
        };
        assert_eq!(a.kind, expected);
        if f.waived {
            assert_eq!(
                rest,
                format!("\n\nWaived: {H} (approved by {H}, not verified, expires 2027-03-01)")
            );
        }
    }
}

#[test]
fn hostile_sarif_is_well_formed() {
    let repo = hostile_repo();
    let findings = hostile_findings(&repo);
    let doc = json(&format(&repo, "sarif").stdout);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(&findings) {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "not an encoded URI reference: {uri:?}"
        );
        assert_eq!(percent_decode(uri), f.file);
        // Literal brackets are escaped (SARIF §3.11.6); the rest is verbatim.
        let text = r["message"]["text"].as_str().unwrap();
        assert_eq!(text.replace("\\[", "[").replace("\\]", "]"), f.message);
        if f.waived {
            let why = r["suppressions"][0]["justification"].as_str().unwrap();
            assert!(why.starts_with(H));
        }
    }
}

#[test]
fn hostile_junit_parses_with_text_on_one_line() {
    let repo = hostile_repo();
    let findings = hostile_findings(&repo);
    let xml = format(&repo, "junit").stdout;
    assert!(!xml.contains("<script"), "unescaped markup");
    assert!(!xml.contains("]]>"), "a CDATA end outside CDATA");
    assert!(!xml.contains('\r'));
    let report = junit(&xml);
    assert_eq!(report.test_suites.len(), 2);
    let visible = |s: &str| aimsgate::report::escape::terminal(s, false);
    assert_eq!(report.test_suites[0].name.as_str(), visible(SYSTEM_DIR));
    assert_eq!(report.test_suites[1].name.as_str(), "(repository)");
    let failing: BTreeSet<(Option<String>, String)> = findings
        .iter()
        .filter(|f| !f.waived && f.severity == "error")
        .map(|f| (f.system.clone(), f.rule.clone()))
        .collect();
    assert_eq!(report.failures, failing.len());
    assert_eq!(report.skipped, 1, "the waived rule");
    for suite in &report.test_suites {
        for case in &suite.test_cases {
            if let quick_junit::TestCaseStatus::NonSuccess {
                message,
                description,
                ..
            } = &case.status
            {
                assert!(!message.as_deref().unwrap().contains('\n'));
                let lines = description.as_deref().unwrap().lines().count();
                let n = findings
                    .iter()
                    .filter(|f| f.rule == case.name.as_str() && !f.waived)
                    .count();
                assert_eq!(lines, n, "one line per finding in {}", case.name.as_str());
            }
        }
    }
    let bias = &report.test_suites[0]
        .test_cases
        .iter()
        .find(|c| c.name.as_str() == "bias-threshold")
        .unwrap()
        .status;
    match bias {
        quick_junit::TestCaseStatus::NonSuccess { message, .. } => {
            assert!(message.as_deref().unwrap().contains(&visible(H)))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hostile_markdown_has_no_markup_mentions_or_broken_tables() {
    let repo = hostile_repo();
    let findings = hostile_findings(&repo);
    let md = format(&repo, "markdown").stdout;
    for bad in [
        "<script", "</script", "\r", "@octocat", "`", "[l]", "]]>", "\n# ", "\n::",
    ] {
        assert!(!md.contains(bad), "{bad:?} in\n{md}");
    }
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| ---") && !l.starts_with("| severity"))
        .filter(|l| !l.starts_with("| systems") && !l.starts_with("| ---:"))
        .collect();
    // The counts row, then one row per finding.
    assert_eq!(rows.len(), findings.len() + 1, "{md}");
    for row in rows {
        let cells = row.matches('|').count();
        assert!(cells == 5 || cells == 6, "broken table row: {row}");
        assert!(row.ends_with(" |"), "row does not close: {row}");
    }
    let html_tags: BTreeSet<&str> = md
        .match_indices('<')
        .map(|(i, _)| {
            let end = md[i..].find(['>', ' ']).map_or(md.len(), |e| i + e);
            &md[i..end]
        })
        .collect();
    let allowed = [
        "<details",
        "</details",
        "<summary",
        "</summary",
        "<strong",
        "</strong",
        "<sub",
        "</sub",
        "<https:",
    ];
    for tag in html_tags {
        assert!(
            allowed.iter().any(|a| tag.starts_with(a)),
            "unexpected markup {tag:?}"
        );
    }
}

#[test]
fn hostile_text_and_json_have_no_raw_control_characters() {
    let repo = hostile_repo();
    let findings = hostile_findings(&repo);
    let text = format(&repo, "text").stdout;
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character in text output"
    );
    assert!(text.contains("\\u{d}\\u{a}::error::pwned"), "{text}");
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(": error[") || l.contains(": error (waived)["))
            .count(),
        findings.len()
    );

    let gitlab = json(&format(&repo, "gitlab").stdout);
    let issues = gitlab.as_array().unwrap();
    assert_eq!(issues.len(), findings.iter().filter(|f| !f.waived).count());
    let prints: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    for issue in issues {
        assert!(!issue["description"]
            .as_str()
            .unwrap()
            .contains(['\r', '\n']));
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(findings.iter().any(|f| f.file == path));
    }
}

/// The text and Markdown verdicts agree with the exit code under
/// `--fail-on warning` (they used to count errors only and say "passed").
#[test]
fn verdicts_follow_fail_on() {
    let repo = Repo::with(&[
        ("model_card.yaml", "name: Team Model\n"),
        (
            "team/checks.rego",
            "package team.checks\nwarn contains \"no overseer\" if {\n\tnot input.record.human_oversight\n}\n",
        ),
    ]);
    for (strict, text_verdict, markdown_verdict) in [
        (
            false,
            "aimsgate: passed",
            "⚠️ aimsgate: passed with warnings",
        ),
        (true, "aimsgate: failed", "❌ aimsgate: failed"),
    ] {
        for (format, verdict) in [("text", text_verdict), ("markdown", markdown_verdict)] {
            let mut args = vec![
                "check",
                ".",
                "--now",
                NOW,
                "--format",
                format,
                "--policy",
                "team",
                "--no-builtin",
            ];
            if strict {
                args.extend(["--fail-on", "warning"]);
            }
            let run = repo.run(&args);
            assert_eq!(run.code, i32::from(strict), "{}", run.stderr);
            assert!(run.stdout.contains(verdict), "{format}: {}", run.stdout);
        }
    }
}
