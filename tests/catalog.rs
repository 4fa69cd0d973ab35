//! The rule catalog: `aimsgate rules`, `aimsgate explain`, and docs/rules.md kept in sync.

use std::process::Command;

fn aimsgate(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aimsgate"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run aimsgate")
}

#[test]
fn docs_rules_md_is_generated_from_the_metadata() {
    let out = aimsgate(&["rules", "--format", "markdown"]);
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    assert!(
        generated == committed,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn catalog_lists_every_rule_with_severity_controls_and_remediation() {
    let out = aimsgate(&["rules", "--format", "json"]);
    assert!(out.status.success());
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "model-card-missing",
        "card-invalid",
        "risk-classification",
        "prohibited-practice",
        "owner",
        "intended-use",
        "limitations",
        "impact-assessment",
        "bias-evaluation",
        "bias-threshold",
        "bias-sample-size",
        "human-oversight",
        "human-oversight-controls",
        "evaluation",
        "transparency",
        "impact-assessment-review",
        "bias-evidence",
        "datasheet",
        "personal-data",
        "monitoring",
        "supplier",
        "change-control",
        "placeholder-text",
        "waiver",
    ] {
        assert!(
            ids.contains(&id),
            "rule {id} missing from the catalog: {ids:?}"
        );
    }
    for r in &rules {
        let id = r["id"].as_str().unwrap();
        assert!(
            !r["title"].as_str().unwrap().is_empty(),
            "{id} has no title"
        );
        assert!(
            !r["controls"].as_array().unwrap().is_empty(),
            "{id} has no controls"
        );
        assert!(
            !r["remediation"].as_str().unwrap().is_empty(),
            "{id} has no remediation"
        );
        for tier in ["high", "limited", "minimal"] {
            let s = r["severity"][tier].as_str().unwrap();
            assert!(
                ["error", "warning", "note", "off"].contains(&s),
                "{id} {tier}: {s}"
            );
        }
    }
    let human = rules
        .iter()
        .find(|r| r["id"] == "human-oversight-controls")
        .unwrap();
    assert_eq!(human["severity"]["high"], "error");
    assert_eq!(human["severity"]["limited"], "off");
}

#[test]
fn explain_prints_the_rule_with_a_worked_fix() {
    let out = aimsgate(&["explain", "human-oversight"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("human-oversight: "));
    assert!(text.contains("How to fix:"));
    assert!(text.contains("human_oversight:"));
    assert!(text.contains("eu-ai-act:art-14"));
}

#[test]
fn explain_of_an_unknown_rule_is_a_usage_error() {
    let out = aimsgate(&["explain", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("known rules:"));
}

/// `aimsgate inspect | head` ends quietly, as ripgrep and git do: the
/// output (well over a pipe's 64 KiB) meets a closed pipe.
#[cfg(unix)]
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::process::Stdio;
    let repo = tempfile::tempdir().expect("tempdir");
    let card = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/loan-approval/model_card.yaml"),
    )
    .expect("card");
    for i in 0..40 {
        let dir = repo.path().join(format!("s{i}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("model_card.yaml"), &card).expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_aimsgate"))
        .args(["inspect", ".", "--now", "2026-11-29"])
        .current_dir(repo.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
