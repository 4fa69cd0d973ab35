//! `aimsgate check` end to end: the example repository, finding locations,
//! unreadable cards and references, tool errors and the output formats.

mod common;

use common::*;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// 1. The repository's own example repository

/// `aimsgate check examples --now NOW --format json`, run once for every test.
fn examples() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let out = std::process::Command::new(bin())
            .current_dir(manifest_dir())
            .args(["check", "examples", "--now", NOW, "--format", "json"])
            .output()
            .expect("run aimsgate");
        Run::from(out).expect_json()
    })
}

#[test]
fn examples_fail_with_five_systems() {
    let run = examples();
    assert_eq!(run.code, 1, "{}", run.describe());
    assert_eq!(run.summary("systems"), 5);
    let systems: Vec<&str> = run.doc()["systems"]
        .as_array()
        .expect("systems array")
        .iter()
        .map(|s| s["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        systems,
        [
            "examples/fraud-detector",
            "examples/hiring-screener",
            "examples/loan-approval",
            "examples/spam-filter",
            "examples/support-chatbot",
        ]
    );
}

#[test]
fn examples_notebook_without_card() {
    let run = examples();
    let f = run.expect(
        "model-card-missing",
        "examples/notebooks/exploration.ipynb",
        37,
    );
    assert_eq!(f.severity, "error");
    assert_eq!(f.system, None);
    assert!(
        f.message.contains("trains with cross_val_score at 37"),
        "{}",
        f.message
    );
}

#[test]
fn examples_loan_approval_lacks_impact_assessment() {
    let run = examples();
    let f = run.expect(
        "impact-assessment",
        "examples/loan-approval/model_card.yaml",
        1,
    );
    assert_eq!(f.severity, "error");
    assert_eq!(f.system.as_deref(), Some("examples/loan-approval"));
}

#[test]
fn examples_hiring_screener_bias_threshold_at_the_value() {
    let card = manifest_dir().join("examples/hiring-screener/MODEL_CARD.md");
    let text = std::fs::read_to_string(card).expect("read the hiring-screener card");
    // fairness.results[0].value: the first `value:` after `results:` under `fairness:`.
    let fairness = line_of(&text, "fairness:", 1);
    let results = line_of(&text, "results:", fairness as usize);
    let value = line_of(&text, "value:", results as usize);
    let run = examples();
    let f = run.expect(
        "bias-threshold",
        "examples/hiring-screener/MODEL_CARD.md",
        value,
    );
    assert_eq!(f.severity, "error");
    assert!(
        matches!(
            f.field.as_deref(),
            Some("fairness.results[0].value" | "fairness.results.0.value")
        ),
        "field {:?}",
        f.field
    );
}

#[test]
fn examples_support_chatbot_lacks_human_oversight() {
    let run = examples();
    let f = run.expect(
        "human-oversight",
        "examples/support-chatbot/model_card.toml",
        1,
    );
    assert_eq!(f.severity, "error");
}

#[test]
fn examples_compliant_systems_have_no_errors() {
    let run = examples();
    for system in ["examples/fraud-detector", "examples/spam-filter"] {
        let errors: Vec<F> = run
            .findings()
            .into_iter()
            .filter(|f| f.system.as_deref() == Some(system) && f.severity == "error")
            .collect();
        assert!(errors.is_empty(), "{system} has errors: {errors:#?}");
    }
}

// ---------------------------------------------------------------------------
// 2. Passing, and where findings land

#[test]
fn compliant_minimal_system_passes() {
    let repo = Repo::with(&[("model_card.yaml", MINIMAL_CARD)]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.summary("systems"), 1);
    assert_eq!(run.summary("errors"), 0, "{}", run.describe());
}

#[test]
fn compliant_high_risk_system_passes() {
    let repo = high_risk_repo(HIGH_CARD);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.summary("systems"), 1);
    assert_eq!(
        run.error_rules(),
        Vec::<String>::new(),
        "{}",
        run.describe()
    );
}

#[test]
fn field_finding_lands_on_its_key_line() {
    let card = HIGH_CARD.replace("  can_stop: true", "  can_stop: false");
    let repo = high_risk_repo(&card);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let line = line_of(&card, "can_stop:", 1);
    let f = run.expect("human-oversight-controls", "model_card.yaml", line);
    assert_eq!(f.severity, "error");
    assert_eq!(f.field.as_deref(), Some("human_oversight.can_stop"));
}

#[test]
fn missing_nested_field_lands_on_its_parent_line() {
    // owner.contact is missing: reported at the `owner:` key.
    let card = MINIMAL_CARD.replace(
        "owner: {name: Workplace IT, contact: it@example.com}",
        "owner:\n  name: Workplace IT",
    );
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let f = run.expect("owner", "model_card.yaml", line_of(&card, "owner:", 1));
    assert_eq!(f.field.as_deref(), Some("owner.contact"));
    assert_eq!(run.error_rules(), ["owner"], "{}", run.describe());
}

#[test]
fn missing_top_level_field_lands_on_line_one() {
    let card = format!(
        "# a comment first\n\n{}",
        MINIMAL_CARD.replace("owner: {name: Workplace IT, contact: it@example.com}\n", "")
    );
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let f = run.expect("owner", "model_card.yaml", 1);
    assert_eq!(f.field.as_deref(), Some("owner"));
}

#[test]
fn missing_rationale_lands_on_the_risk_line() {
    let card = MINIMAL_CARD.replace(
        "  rationale: Quarantines bulk email; nothing is deleted and no decision is made about anyone.\n",
        "",
    );
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let run = repo.check(&[]);
    let f = run.expect(
        "risk-classification",
        "model_card.yaml",
        line_of(&card, "risk:", 1),
    );
    assert_eq!(f.field.as_deref(), Some("risk.rationale"));
}

// ---------------------------------------------------------------------------
// 3. card-invalid: a finding, exit 1, never a tool error

fn card_invalid(run: &Run) -> Vec<F> {
    assert_eq!(
        run.code,
        1,
        "card-invalid must fail the gate, not the tool: {}",
        run.describe()
    );
    let found = run.rule("card-invalid");
    assert!(
        !found.is_empty(),
        "no card-invalid finding:\n{}",
        run.describe()
    );
    found
}

#[test]
fn yaml_syntax_error_at_its_line() {
    let card = "name: x\nowner: {name: a, contact: b}\nversion: 1.0: bad\nrisk:\n  tier: minimal\n";
    let repo = Repo::with(&[("model_card.yaml", card)]);
    let run = repo.check(&[]);
    card_invalid(&run);
    let f = run.expect("card-invalid", "model_card.yaml", 3);
    assert!(f.message.contains("does not parse"), "{}", f.message);
}

#[test]
fn invalid_utf8_card_at_the_bad_byte() {
    let repo = Repo::new();
    repo.write("model_card.yaml", b"name: ok\nowner: caf\xe9\n".as_slice());
    let run = repo.check(&[]);
    card_invalid(&run);
    let f = run.expect("card-invalid", "model_card.yaml", 2);
    assert!(f.message.contains("UTF-8"), "{}", f.message);
}

#[test]
fn binary_model_card_json() {
    let repo = Repo::new();
    repo.write(
        "model_card.json",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe".as_slice(),
    );
    let run = repo.check(&[]);
    let found = card_invalid(&run);
    assert_eq!(found[0].file, "model_card.json");
    assert!(found[0].message.contains("binary"), "{}", found[0].message);
}

fn with_impact_assessment(target: &str) -> (Repo, String) {
    let card = format!("{MINIMAL_CARD}impact_assessment: {target}\n");
    (Repo::with(&[("sys/model_card.yaml", &card)]), card)
}

#[test]
fn missing_linked_document_at_the_referencing_line() {
    let (repo, card) = with_impact_assessment("IMPACT_ASSESSMENT.md");
    let run = repo.check(&[]);
    card_invalid(&run);
    let f = run.expect(
        "card-invalid",
        "sys/model_card.yaml",
        line_of(&card, "impact_assessment:", 1),
    );
    assert_eq!(f.field.as_deref(), Some("impact_assessment"));
    assert!(f.message.contains("does not exist"), "{}", f.message);
}

#[test]
fn traversal_leaves_the_repository() {
    let (repo, card) = with_impact_assessment("../../../etc/passwd");
    let run = repo.check(&[]);
    card_invalid(&run);
    let f = run.expect(
        "card-invalid",
        "sys/model_card.yaml",
        line_of(&card, "impact_assessment:", 1),
    );
    assert!(f.message.contains("leaves the repository"), "{}", f.message);
}

#[test]
fn absolute_path_is_refused() {
    let (repo, card) = with_impact_assessment("/etc/passwd");
    let run = repo.check(&[]);
    card_invalid(&run);
    let f = run.expect(
        "card-invalid",
        "sys/model_card.yaml",
        line_of(&card, "impact_assessment:", 1),
    );
    assert!(f.message.contains("absolute"), "{}", f.message);
}

#[cfg(unix)]
#[test]
fn symlinked_document_outside_the_repository() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("ia.md"), IMPACT_ASSESSMENT).expect("write");
    let (repo, card) = with_impact_assessment("IA.md");
    repo.symlink(outside.path().join("ia.md"), "sys/IA.md");
    let run = repo.check(&[]);
    card_invalid(&run);
    let f = run.expect(
        "card-invalid",
        "sys/model_card.yaml",
        line_of(&card, "impact_assessment:", 1),
    );
    assert!(f.message.contains("leaves the repository"), "{}", f.message);
    // Nothing of the outside file was read into the record.
    let systems = repo.inspect_systems();
    assert_eq!(systems[0]["record"]["impact_assessment"], "IA.md");
}

#[cfg(unix)]
#[test]
fn symlinked_card_outside_the_repository_is_not_a_system() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("model_card.yaml"), failing_card()).expect("write");
    let repo = Repo::with(&[("real/model_card.yaml", MINIMAL_CARD)]);
    repo.symlink(
        outside.path().join("model_card.yaml"),
        "linked/model_card.yaml",
    );
    // A symlinked directory pointing out is not walked either.
    repo.symlink(outside.path(), "linkdir");
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.summary("systems"), 1);
    assert_eq!(run.doc()["systems"][0]["id"], "real");
}

// ---------------------------------------------------------------------------
// 6. Tool errors (exit 2, one line on stderr)

#[test]
fn bad_now_date_is_a_tool_error() {
    let repo = Repo::with(&[("model_card.yaml", MINIMAL_CARD)]);
    let run = repo.run(&["check", ".", "--now", "2026-02-30"]);
    run.assert_tool_error(&["2026-02-30"]);
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}

#[test]
fn unknown_config_key_is_a_tool_error() {
    let repo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        ("aimsgate.toml", "[discovery]\nexcludes = [\"x/**\"]\n"),
    ]);
    let run = repo.run(&["check", ".", "--now", NOW]);
    run.assert_tool_error(&["aimsgate.toml", "excludes"]);
}

#[test]
fn nonexistent_path_is_a_tool_error() {
    let repo = Repo::new();
    let run = repo.run(&["check", "no-such-dir", "--now", NOW]);
    run.assert_tool_error(&["no-such-dir"]);
}

#[test]
fn command_line_errors_are_one_line_tool_errors() {
    let repo = Repo::with(&[("model_card.yaml", MINIMAL_CARD)]);
    repo.run(&["check", ".", "--output", "yaml=out.yaml"])
        .assert_tool_error(&["yaml"]);
    repo.run(&["check", ".", "--format", "nope"])
        .assert_tool_error(&["nope"]);
    repo.run(&["check", ".", "--bogus"])
        .assert_tool_error(&["--bogus"]);
    repo.run(&["check", ".", "--fail-on", "sometimes"])
        .assert_tool_error(&["sometimes"]);
    let help = repo.run(&["check", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--fail-on"), "{}", help.stdout);
}

// ---------------------------------------------------------------------------
// 8. Output

/// A card that fails the gate (no owner).
fn failing_card() -> String {
    MINIMAL_CARD.replace("owner: {name: Workplace IT, contact: it@example.com}\n", "")
}

fn failing_repo() -> Repo {
    Repo::with(&[
        ("good/model_card.yaml", MINIMAL_CARD),
        ("src/train.py", TRAINING),
    ])
}

#[test]
fn output_file_written_while_stdout_has_text() {
    let repo = failing_repo();
    let run = repo.check_text(&["--output", "json=report.json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("src/train.py:3:1: error[model-card-missing]: "),
        "stdout: {}",
        run.stdout
    );
    let written =
        std::fs::read_to_string(repo.path().join("report.json")).expect("report.json written");
    let doc: serde_json::Value = serde_json::from_str(&written).expect("report.json is JSON");
    assert_eq!(doc["summary"]["systems"], 1);
    assert_eq!(doc["findings"][0]["rule"], "model-card-missing");
    assert_eq!(doc["findings"][0]["file"], "src/train.py");
}

#[test]
fn text_format_lines() {
    let repo = failing_repo();
    let run = repo.check_text(&[]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "src/train.py:3:1: error[model-card-missing]: AI system with no model card: the repository holds src/train.py (imports sklearn.linear_model; trains with LogisticRegression().fit at 3)"
    );
    assert!(lines[1].starts_with("  = help: "), "{:?}", lines[1]);
    assert_eq!(
        lines[2],
        "  = controls: iso42001:A.6.2.7, eu-ai-act:art-11, nist-ai-rmf:GOVERN-1.6"
    );
    assert_eq!(
        *lines.last().expect("a summary line"),
        "aimsgate: failed: 1 system checked, 1 error, 0 warnings, 0 waived"
    );
}

#[test]
fn passing_text_run_ends_with_a_passed_summary() {
    let repo = Repo::with(&[("model_card.yaml", MINIMAL_CARD)]);
    let run = repo.check_text(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let last = run.stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("aimsgate: passed: 1 system checked, 0 errors, "),
        "{last:?}"
    );
}

#[test]
fn no_ansi_escapes_on_a_pipe_or_with_no_color() {
    let repo = failing_repo();
    let plain = repo.check_text(&[]);
    assert!(!plain.stdout.contains('\x1b'), "{:?}", plain.stdout);
    let out = repo
        .command(&["check", ".", "--now", NOW])
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(!out.stdout.contains(&0x1b));
    assert_eq!(String::from_utf8_lossy(&out.stdout), plain.stdout);
}

#[test]
fn json_report_shape() {
    let repo = failing_repo();
    let run = repo.check(&[]);
    let doc = run.doc();
    assert_eq!(doc["version"], 1);
    let f = doc["findings"][0].as_object().expect("a finding");
    let mut keys: Vec<&str> = f.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "baselined",
            "column",
            "controls",
            "field",
            "file",
            "line",
            "message",
            "rule",
            "severity",
            "system",
            "waived"
        ]
    );
    assert_eq!(f["severity"], "error");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 1);
    assert_eq!(f["waived"], false);
    assert!(f["controls"].as_array().is_some_and(|c| !c.is_empty()));
    let s = doc["summary"].as_object().expect("summary");
    let mut keys: Vec<&str> = s.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "baselined",
            "errors",
            "notes",
            "systems",
            "waived",
            "warnings"
        ]
    );
    assert_eq!(s["errors"], 1);
    assert_eq!(s["systems"], 1);
}

#[test]
fn output_is_deterministic() {
    let run = || {
        std::process::Command::new(bin())
            .current_dir(manifest_dir())
            .args(["check", "examples", "--now", NOW, "--format", "json"])
            .output()
            .expect("run")
    };
    let first = run();
    assert!(first.stdout.len() > 100);
    for _ in 0..2 {
        let again = run();
        assert!(first.stdout == again.stdout, "two runs differ");
    }
    let text = |repo: &Repo| repo.check_text(&[]).stdout;
    let repo = failing_repo();
    assert_eq!(text(&repo), text(&repo));
}

#[test]
fn control_characters_from_cards_are_escaped_in_text() {
    let policy = "package main\n\ndeny contains sprintf(\"name is %s\", [input.record.name])\n";
    let repo = Repo::with(&[
        ("model_card.yaml", "name: \"evil\\e[31mRED\\rgone\"\n"),
        ("policy/p.rego", policy),
    ]);
    // A directory name with an escape sequence too.
    repo.write("bad\x1b[2Jdir/train.py", TRAINING);
    let run = repo.check_text(&["--policy", "policy", "--no-builtin"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains('\x1b'), "raw ESC in {:?}", run.stdout);
    assert!(!run.stdout.contains('\r'), "raw CR in {:?}", run.stdout);
    assert!(
        run.stdout.contains("name is evil\\u{1b}[31mRED\\u{d}gone"),
        "{}",
        run.stdout
    );
    // JSON keeps the exact text, escaped by JSON itself.
    let json = repo.check(&["--policy", "policy", "--no-builtin"]);
    let messages: Vec<String> = json.rule("main").into_iter().map(|f| f.message).collect();
    assert_eq!(messages, ["name is evil\x1b[31mRED\rgone"]);
}

#[test]
fn five_megabyte_card_is_refused_with_a_message() {
    let mut card = String::from(MINIMAL_CARD);
    card.push_str("notes: |\n");
    let line = "  lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    while card.len() < 5 * 1024 * 1024 {
        card.push_str(line);
    }
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let started = std::time::Instant::now();
    let run = repo.check(&[]);
    assert!(started.elapsed().as_secs() < 20);
    let found = card_invalid(&run);
    assert_eq!(found[0].file, "model_card.yaml");
    assert!(found[0].message.contains("limit"), "{}", found[0].message);
}

// ---------------------------------------------------------------------------
// Compiled-policy cache

#[test]
fn compiled_policies_are_cached_and_a_bad_entry_is_a_miss() {
    let repo = high_risk_repo("MODEL_CARD.md");
    repo.write(
        "teams/a/model_card.yaml",
        "name: half a card\nowner: nobody\n",
    );
    let cache = tempfile::tempdir().expect("tempdir");
    let run = || {
        let out = repo
            .command(&["check", ".", "--now", NOW, "--format", "json"])
            .env("AIMSGATE_CACHE_DIR", cache.path())
            .output()
            .expect("run aimsgate");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let entries = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(cache.path())
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };

    let compiled = run();
    let written = entries();
    assert_eq!(written.len(), 1, "one entry: {written:?}");
    assert!(written[0].to_string_lossy().ends_with(".rvm"));
    assert_eq!(
        run(),
        compiled,
        "the cached bytecode gives the same findings"
    );

    std::fs::write(&written[0], b"REGO garbage").expect("corrupt the entry");
    assert_eq!(
        run(),
        compiled,
        "a corrupt entry is recompiled, not trusted"
    );
    assert!(
        std::fs::read(&written[0]).expect("entry").len() > 100,
        "and rewritten"
    );

    let off = repo
        .command(&["check", ".", "--now", NOW, "--format", "json"])
        .env("AIMSGATE_CACHE_DIR", "")
        .output()
        .expect("run aimsgate");
    assert_eq!(
        off.stdout, compiled,
        "an empty AIMSGATE_CACHE_DIR turns the cache off"
    );
}

#[test]
fn a_config_entry_naming_no_rule_or_control_is_a_tool_error_naming_the_closest() {
    let typo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[rules.impact-assesment]\nseverity = \"off\"\nreason = \"a typo in the rule id\"\n",
        ),
    ]);
    let run = typo.run(&["check", "."]);
    run.assert_tool_error(&[
        "rules.impact-assesment",
        "did you mean \"impact-assessment\"",
    ]);

    let approvers = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[governance.rules.bias-treshold]\napprovers = [\"alice\"]\n",
        ),
    ]);
    approvers
        .run(&["check", "."])
        .assert_tool_error(&["governance.rules.bias-treshold", "\"bias-threshold\""]);

    let control = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[controls]\n\"A.5.22\" = {applicable = false, justification = \"Not a control we run\"}\n",
        ),
    ]);
    control
        .run(&["check", "."])
        .assert_tool_error(&["controls.\"A.5.22\"", "names no known control"]);

    // Any Annex A control may be in the Statement of Applicability, implemented by a rule or not.
    let soa = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[controls]\n\"A.10.4\" = {applicable = false, justification = \"No customers\"}\n",
        ),
    ]);
    assert_eq!(soa.run(&["check", "."]).code, 0);
}

#[test]
fn limits_a_configuration_may_raise_are_capped() {
    let repo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        ("aimsgate.toml", "[limits]\nrun_timeout_ms = 86400000\n"),
    ]);
    repo.run(&["check", "."])
        .assert_tool_error(&["limits.run_timeout_ms", "cap"]);
    let repo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        ("aimsgate.toml", "[limits]\nmax_file_bytes = 10000000000\n"),
    ]);
    repo.run(&["check", "."])
        .assert_tool_error(&["limits.max_file_bytes", "cap"]);
}

#[test]
fn a_tool_error_is_one_line_whatever_the_key_holds() {
    let repo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[rules.\"x\\n::error::pwned\\n::stop-commands::t\\u001b[2J\"]\nseverity = \"off\"\nreason = \"the reason in words\"\n",
        ),
    ]);
    let run = repo.run(&["check", "."]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert_eq!(run.stderr.trim_end().lines().count(), 1, "{:?}", run.stderr);
    assert!(
        !run.stderr.lines().any(|l| l.starts_with("::")),
        "{:?}",
        run.stderr
    );
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}

#[test]
fn a_tier_talked_down_is_judged_high() {
    let card = MINIMAL_CARD.replace(
        "  affects_people: false\n",
        "  affects_people: false\n  annex_iii_area: employment\n",
    );
    let repo = Repo::with(&[("model_card.yaml", card.as_str())]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let line = line_of(&card, "tier:", 1);
    let f = run.expect("risk-classification", "model_card.yaml", line);
    assert!(
        f.message.contains("Annex III area employment"),
        "{}",
        f.message
    );
    // Judged high: the high-risk rules apply, at error.
    assert!(
        run.rule("impact-assessment")
            .iter()
            .any(|f| f.severity == "error"),
        "{}",
        run.describe()
    );
    // And affects_people: false does not switch the bias rules off.
    assert!(
        run.rule("risk-classification")
            .iter()
            .any(|f| f.field.as_deref() == Some("risk.affects_people")),
        "{}",
        run.describe()
    );
}

#[test]
fn an_article_5_use_is_prohibited_whatever_the_tier() {
    let card = MINIMAL_CARD.replace(
        "primary: [Quarantine unsolicited bulk email in the shared mailbox]",
        "primary: [Detect the emotions of employees in video meetings at work]",
    );
    let repo = Repo::with(&[("model_card.yaml", card.as_str())]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        !run.rule("prohibited-practice").is_empty(),
        "{}",
        run.describe()
    );
}

#[test]
fn empty_answers_and_disguised_markers_are_placeholders() {
    for (value, why) in [
        ("N/A", "an empty answer"),
        ("see above", "an empty answer"),
        ("T\u{200b}BD", "a marker behind a zero-width space"),
        ("\u{422}BD", "a marker in Cyrillic"),
        ("\u{ff34}\u{ff22}\u{ff24}", "a marker in fullwidth letters"),
    ] {
        let card = MINIMAL_CARD.replace(
            "limitations: [About 1 in 500 genuine emails is quarantined]",
            &format!("limitations: [\"{value}\"]"),
        );
        let repo = Repo::with(&[("model_card.yaml", card.as_str())]);
        let run = repo.check(&[]);
        assert!(
            !run.rule("placeholder-text").is_empty(),
            "{why} ({value:?}) passed:\n{}",
            run.describe()
        );
    }
}

#[test]
fn a_card_cannot_loosen_a_bias_threshold_or_use_an_unknown_metric() {
    let loosened = HIGH_CARD.replace(
        "value: 0.93\n      threshold: 0.8",
        "value: 0.75\n      threshold: 0.7",
    );
    let repo = high_risk_repo(&loosened);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let at = |field: &str| {
        run.rule("bias-threshold")
            .iter()
            .any(|f| f.field.as_deref() == Some(field))
    };
    assert!(at("fairness.results.0.threshold"), "{}", run.describe());
    assert!(at("fairness.results.0.value"), "{}", run.describe());
    let unknown = HIGH_CARD.replace("metric: demographic_parity_ratio", "metric: fairness_score");
    let run = high_risk_repo(&unknown).check(&[]);
    assert!(
        run.rule("bias-threshold")
            .iter()
            .any(|f| f.field.as_deref() == Some("fairness.results.0.metric")),
        "{}",
        run.describe()
    );
}
