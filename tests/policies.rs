//! Policies: the team's own (conftest conventions), policy tool errors, and
//! `aimsgate test`.

mod common;

use common::*;
use std::time::{Duration, Instant};

const CARD: &str = "\
name: Team Model
owner:
  name: Team
  contact: team@example.com
risk:
  tier: limited
  rationale: Chat assistant
human_oversight:
  mode: on-the-loop
  can_stop: false
";

const CONFTEST_POLICY: &str = r#"package main

deny contains msg if {
	input.record.risk.tier == "limited"
	msg := sprintf("%s is limited risk", [input.record.name])
}

warn contains {"msg": "can_stop should be true", "field": "human_oversight.can_stop"} if {
	input.record.human_oversight.can_stop == false
}
"#;

const WARN_ONLY: &str = r#"package team.checks

warn contains {"msg": "overseer is not named", "field": "human_oversight.overseer"} if {
	not input.record.human_oversight.overseer
}
"#;

fn team_repo(policy: &str) -> Repo {
    Repo::with(&[
        ("model_card.yaml", CARD),
        ("team-policies/team.rego", policy),
    ])
}

// ---------------------------------------------------------------------------
// 7. Custom policies, conftest style

#[test]
fn conftest_deny_string_and_warn_object() {
    let repo = team_repo(CONFTEST_POLICY);
    let run = repo.check(&["--policy", "team-policies"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let custom = run.rule("main");
    assert_eq!(custom.len(), 2, "{}", run.describe());
    let deny = custom
        .iter()
        .find(|f| f.severity == "error")
        .expect("a deny finding");
    assert_eq!(deny.message, "Team Model is limited risk");
    assert_eq!((deny.file.as_str(), deny.line), ("model_card.yaml", 1));
    assert_eq!(deny.field, None);
    assert_eq!(deny.system.as_deref(), Some("."));
    let warn = custom
        .iter()
        .find(|f| f.severity == "warning")
        .expect("a warn finding");
    assert_eq!(warn.message, "can_stop should be true");
    assert_eq!(warn.field.as_deref(), Some("human_oversight.can_stop"));
    assert_eq!(warn.line, line_of(CARD, "can_stop:", 1));
    assert_eq!(warn.column, 3);
    assert_eq!(
        run.summary("warnings"),
        run.findings()
            .iter()
            .filter(|f| f.severity == "warning")
            .count() as u64
    );
}

#[test]
fn missing_field_of_a_custom_result_lands_on_the_parent() {
    let repo = team_repo(WARN_ONLY);
    let run = repo.check(&["--policy", "team-policies", "--no-builtin"]);
    let f = run.expect(
        "checks",
        "model_card.yaml",
        line_of(CARD, "human_oversight:", 1),
    );
    assert_eq!(f.severity, "warning");
}

#[test]
fn fail_on_warning_fails_a_warning_only_run() {
    let repo = team_repo(WARN_ONLY);
    let args = ["--policy", "team-policies", "--no-builtin"];
    let run = repo.check(&args);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.summary("warnings"), 1);
    assert_eq!(run.summary("errors"), 0);
    let mut strict = args.to_vec();
    strict.extend(["--fail-on", "warning"]);
    let run = repo.check(&strict);
    assert_eq!(run.code, 1, "{}", run.describe());
}

#[test]
fn no_builtin_runs_only_the_custom_policy() {
    let repo = team_repo(CONFTEST_POLICY);
    let run = repo.check(&["--policy", "team-policies", "--no-builtin"]);
    assert_eq!(run.code, 1);
    let rules: Vec<String> = run.findings().into_iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["main", "main"]);
    // Without --no-builtin, built-in rules report too (the card has no intended use).
    let all = repo.check(&["--policy", "team-policies"]);
    assert!(
        all.findings().iter().any(|f| f.rule != "main"),
        "{}",
        all.describe()
    );
}

#[test]
fn no_builtin_without_any_policy_is_a_tool_error() {
    let repo = team_repo(CONFTEST_POLICY);
    let run = repo.run(&["check", ".", "--now", NOW, "--no-builtin"]);
    run.assert_tool_error(&["no policies"]);
}

#[test]
fn data_file_is_visible_as_data() {
    let policy = r#"package team.limits

deny contains sprintf("limit is %v for %s", [data.team.limit, data.team.names[0]]) if {
	data.team.limit > 10
}
"#;
    let repo = team_repo(policy);
    repo.write(
        "team.json",
        r#"{"team": {"limit": 42, "names": ["alpha"]}}"#,
    );
    repo.write("team.yaml", "team:\n  limit: 7\n  names: [beta]\n");
    let run = repo.check(&[
        "--policy",
        "team-policies",
        "--no-builtin",
        "--data",
        "team.json",
    ]);
    let messages: Vec<String> = run.findings().into_iter().map(|f| f.message).collect();
    assert_eq!(messages, ["limit is 42 for alpha"]);
    assert_eq!(run.code, 1);
    let run = repo.check(&[
        "--policy",
        "team-policies",
        "--no-builtin",
        "--data",
        "team.yaml",
    ]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.findings().is_empty());
}

#[test]
fn object_result_with_rule_severity_and_controls() {
    let policy = r#"package team.custom

deny contains {"msg": "noted", "rule": "team-note", "severity": "note", "controls": ["iso42001:A.2.2"]}
"#;
    let repo = team_repo(policy);
    let run = repo.check(&["--policy", "team-policies", "--no-builtin"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.summary("notes"), 1);
    let f = &run.doc()["findings"][0];
    assert_eq!(f["rule"], "team-note");
    assert_eq!(f["severity"], "note");
    assert_eq!(f["controls"], serde_json::json!(["iso42001:A.2.2"]));
}

// ---------------------------------------------------------------------------
// 6. Policy tool errors

#[test]
fn rego_syntax_error_is_a_tool_error_naming_the_file() {
    let repo = team_repo("package team\n\ndeny contains msg if {\n\tmsg := \n");
    let run = repo.run(&["check", ".", "--now", NOW, "--policy", "team-policies"]);
    run.assert_tool_error(&["team.rego"]);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}

#[test]
fn policy_dir_without_result_rules_is_a_tool_error() {
    let repo = team_repo("package team\n\ndenied contains \"x\" if { true }\n");
    let run = repo.run(&["check", ".", "--now", NOW, "--policy", "team-policies"]);
    run.assert_tool_error(&["team-policies", "deny"]);
}

#[test]
fn bad_result_shape_is_a_tool_error() {
    let repo = team_repo("package team\n\ndeny contains {\"message\": \"no msg key\"}\n");
    let run = repo.run(&["check", ".", "--now", NOW, "--policy", "team-policies"]);
    run.assert_tool_error(&["data.team.deny", "msg"]);
}

#[test]
fn missing_policy_dir_is_a_tool_error() {
    let repo = team_repo(WARN_ONLY);
    let run = repo.run(&["check", ".", "--now", NOW, "--policy", "nowhere"]);
    run.assert_tool_error(&["nowhere"]);
}

#[test]
fn slow_policy_hits_the_evaluation_timeout() {
    // About four million iterations: seconds in a debug build, far over 50 ms.
    let policy = r#"package team.slow

deny contains "slow" if {
	n := count({x | some i in numbers.range(1, 2000); some j in numbers.range(1, 2000); x := (i * j) % 7})
	n > 100
}
"#;
    let repo = team_repo(policy);
    repo.write("aimsgate.toml", "[limits]\neval_timeout_ms = 50\n");
    let started = Instant::now();
    let run = repo.run(&[
        "check",
        ".",
        "--now",
        NOW,
        "--policy",
        "team-policies",
        "--no-builtin",
    ]);
    let elapsed = started.elapsed();
    run.assert_tool_error(&["data.team.slow.deny", "time limit"]);
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

// ---------------------------------------------------------------------------
// 10. aimsgate test

#[test]
fn builtin_pack_tests_pass() {
    let out = std::process::Command::new(bin())
        .current_dir(manifest_dir())
        .args(["test", "policies"])
        .output()
        .expect("run aimsgate test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    let (passed, failed) = last
        .split_once(" passed, ")
        .unwrap_or_else(|| panic!("no summary line: {last:?}"));
    assert!(passed.parse::<u32>().is_ok_and(|n| n > 0), "{last:?}");
    assert_eq!(failed, "0 failed");
}

#[test]
fn failing_policy_test_is_named_and_fails() {
    let repo = Repo::with(&[
        (
            "pol/rule.rego",
            "package team.rule\n\ndeny contains \"always\" if { true }\n",
        ),
        (
            "pol/rule_test.rego",
            "package team.rule_test\n\nimport data.team.rule\n\n\
             test_denies if {\n\tcount(rule.deny) == 1\n}\n\n\
             test_passes_when_empty if {\n\tcount(rule.deny) == 0\n}\n",
        ),
    ]);
    let run = repo.run(&["test", "pol"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("FAIL"), "{}", run.stdout);
    assert!(
        run.stdout.contains("test_passes_when_empty"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout
            .contains("FAIL pol/rule_test.rego: data.team.rule_test.test_denies"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().last(), Some("1 passed, 1 failed"));
}

#[test]
fn a_policy_no_test_reaches_counts_against_coverage() {
    let repo = Repo::with(&[
        (
            "pol/tested.rego",
            "package team.tested\n\ndeny contains \"always\" if { true }\n",
        ),
        (
            "pol/tested_test.rego",
            "package team.tested_test\n\nimport data.team.tested\n\ntest_denies if {\n\tcount(tested.deny) == 1\n}\n",
        ),
        (
            "pol/untested.rego",
            "package team.untested\n\n# Why.\ndeny contains \"never\" if { false }\n",
        ),
    ]);
    let run = repo.run(&["test", "--coverage", "--threshold", "90", "pol"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.lines().any(|l| l.contains("0.0%")
            && l.contains("pol/untested.rego")
            && l.contains("not covered: 4")),
        "{}",
        run.stdout
    );
}
