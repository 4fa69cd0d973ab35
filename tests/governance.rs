//! `check --base REF` against a hostile pull request: each attack is a
//! two-commit repository (base, then the author's change). Without `--base`
//! the attack works (so the test can fail); with it the gate still fails.

mod common;

use common::*;

/// A high-risk system whose impact assessment is missing: fails on main.
fn failing_system() -> Vec<(String, String)> {
    let card = HIGH_CARD.replace("impact_assessment: IMPACT_ASSESSMENT.md\n", "");
    high_risk_files("credit", &card)
        .into_iter()
        .filter(|(path, _)| !path.ends_with("IMPACT_ASSESSMENT.md"))
        .chain([("credit/train.py".to_string(), TRAINING.to_string())])
        .collect()
}

fn passing_system() -> Vec<(String, String)> {
    high_risk_files("credit", HIGH_CARD)
        .into_iter()
        .chain([("credit/train.py".to_string(), TRAINING.to_string())])
        .collect()
}

/// The attack works without `--base`, and with it the gate fails on `rule`
/// and reports the change itself as a governance change.
fn still_fails(change: &Change, rule: &str) -> Run {
    let open = change.without_base();
    assert_eq!(
        open.code,
        0,
        "the attack should pass without --base:\n{}",
        open.describe()
    );
    let run = change.with_base();
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        !run.rule(rule).iter().all(|f| f.waived),
        "{rule} should stand with --base:\n{}",
        run.describe()
    );
    assert!(
        run.rule("governance-change").iter().any(|f| !f.waived),
        "the change should be a governance change:\n{}",
        run.describe()
    );
    run
}

/// The base's configuration: only alice approves governance changes.
const BASE_CONFIG: &str = "[governance]\napprovers = [\"alice\"]\n";

/// The author appends `toml` to the base's aimsgate.toml.
fn config_attack(toml: &str) -> Change {
    let toml = format!("{BASE_CONFIG}\n{toml}");
    let mut files = failing_system();
    files.push(("aimsgate.toml".into(), BASE_CONFIG.into()));
    Change::new(&files, move |repo| {
        repo.write("aimsgate.toml", toml);
    })
}

#[test]
fn a_config_that_turns_the_rule_off_is_read_from_the_base() {
    let change = config_attack(
        "[rules.impact-assessment]\nseverity = \"off\"\nreason = \"too noisy for this team\"\n",
    );
    let run = still_fails(&change, "impact-assessment");
    let gc = run.at("governance-change", "aimsgate.toml");
    assert!(
        gc.iter()
            .any(|f| f.line == 4 && f.message.contains("\"severity\":\"off\"")),
        "the finding names the key at its line:\n{}",
        run.describe()
    );
}

#[test]
fn a_waiver_for_every_path_added_in_the_change_waives_nothing() {
    let change = config_attack(
        "[[waivers]]\nrule = \"impact-assessment\"\npath = \"**\"\nreason = \"we will do it later\"\napproved_by = \"Mallory\"\nexpires = 2027-01-01\n",
    );
    still_fails(&change, "impact-assessment");
}

#[test]
fn excluding_everything_hides_nothing() {
    let change = config_attack("[discovery]\nexclude = [\"**\"]\n");
    still_fails(&change, "impact-assessment");
}

#[test]
fn declaring_the_control_not_applicable_in_the_change_does_not_count() {
    let change = config_attack(
        "[controls]\n\"A.5.2\" = {applicable = false, justification = \"not for our team\"}\n\"A.5.3\" = {applicable = false, justification = \"not for our team\"}\n\"A.5.4\" = {applicable = false, justification = \"not for our team\"}\n\"A.5.5\" = {applicable = false, justification = \"not for our team\"}\n\"eu-ai-act:art-9\" = {applicable = false, justification = \"not for our team\"}\n\"eu-ai-act:art-27\" = {applicable = false, justification = \"not for our team\"}\n\"nist-ai-rmf:MAP-5.1\" = {applicable = false, justification = \"not for our team\"}\n",
    );
    still_fails(&change, "impact-assessment");
}

#[test]
fn the_changes_own_policies_are_not_used() {
    let change = Change::new(&failing_system(), |repo| {
        repo.write(
            "aimsgate.toml",
            "[policies]\npaths = [\"mine\"]\nbuiltin = false\n",
        );
        repo.write(
            "mine/allow.rego",
            "package aimsgate.rules.allow\n\ndeny := set()\n",
        );
    });
    let run = change.with_base();
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        !run.rule("impact-assessment").is_empty(),
        "{}",
        run.describe()
    );
    assert!(
        !run.at("governance-change", "mine/allow.rego").is_empty()
            || !run.at("governance-change", "aimsgate.toml").is_empty(),
        "{}",
        run.describe()
    );
}

#[test]
fn lowering_the_tier_and_deleting_the_assessment_is_a_governance_change() {
    let change = Change::new(&passing_system(), |repo| {
        let card = HIGH_CARD
            .replace("tier: high", "tier: minimal")
            .replace("impact_assessment: IMPACT_ASSESSMENT.md\n", "");
        repo.write("credit/model_card.yaml", card);
        std::fs::remove_file(repo.path().join("credit/IMPACT_ASSESSMENT.md")).expect("remove");
    });
    // Without --base the talk-down is still caught: the card names an Annex III area.
    let open = change.without_base();
    assert_eq!(open.code, 1, "{}", open.describe());
    assert!(
        !open.rule("risk-classification").is_empty(),
        "{}",
        open.describe()
    );
    let run = change.with_base();
    assert_eq!(run.code, 1, "{}", run.describe());
    let line = line_of(
        &std::fs::read_to_string(change.repo.path().join("credit/model_card.yaml")).unwrap(),
        "tier:",
        1,
    );
    let f = run.expect("governance-change", "credit/model_card.yaml", line);
    assert!(
        f.message.contains("high") && f.message.contains("minimal"),
        "{}",
        f.message
    );
}

#[test]
fn a_risk_accepted_in_the_change_is_not_approved_by_writing_a_name() {
    let breached = HIGH_CARD.replace(
        "value: 0.93\n      threshold: 0.8",
        "value: 0.7\n      threshold: 0.8",
    );
    let files: Vec<(String, String)> = high_risk_files("credit", &breached)
        .into_iter()
        .chain([("credit/train.py".to_string(), TRAINING.to_string())])
        .collect();
    let change = Change::new(&files, |repo| {
        let card = breached.replace(
            "      threshold: 0.8\n",
            "      threshold: 0.8\n      mitigation: Pilot only\n      risk_accepted_by: Mallory\n",
        );
        repo.write("credit/model_card.yaml", card);
    });
    let open = change.without_base();
    assert_eq!(open.code, 0, "{}", open.describe());
    // Without --base the acceptance is counted as waived, and shown as a claim.
    assert!(open.summary("waived") >= 1, "{}", open.describe());
    let run = change.with_base();
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        run.rule("bias-threshold").iter().any(|f| !f.waived),
        "{}",
        run.describe()
    );
    assert!(
        !run.rule("governance-change").is_empty(),
        "{}",
        run.describe()
    );
}

#[test]
fn a_card_waiver_added_in_the_change_is_not_approved_by_writing_a_name() {
    let change = Change::new(&failing_system(), |repo| {
        let card = HIGH_CARD.replace("impact_assessment: IMPACT_ASSESSMENT.md\n", "")
            + "waivers:\n  - rule: impact-assessment\n    reason: Done next quarter\n    approved_by: AI Governance Board\n    expires: 2027-01-15\n";
        repo.write("credit/model_card.yaml", card);
    });
    still_fails(&change, "impact-assessment");
}

#[test]
fn an_ignore_file_hides_no_tracked_system() {
    let change = Change::new(&failing_system(), |repo| {
        repo.write(".ignore", "*\n");
    });
    let run = still_fails(&change, "impact-assessment");
    assert!(
        !run.at("governance-change", ".ignore").is_empty(),
        "{}",
        run.describe()
    );
}

#[test]
fn moving_the_system_under_a_hidden_or_vendored_directory_hides_nothing() {
    for hideout in [".hidden", "vendor"] {
        let change = Change::new(&failing_system(), |repo| {
            std::fs::create_dir_all(repo.path().join(hideout)).expect("mkdir");
            std::fs::rename(
                repo.path().join("credit"),
                repo.path().join(hideout).join("credit"),
            )
            .expect("move the system");
        });
        let run = change.with_base();
        assert_eq!(run.code, 1, "{hideout}: {}", run.describe());
        assert!(
            run.rule("impact-assessment")
                .iter()
                .any(|f| f.file.starts_with(&format!("{hideout}/credit/"))),
            "{hideout}: {}",
            run.describe()
        );
    }
}

#[test]
fn deleting_the_card_while_the_ml_code_stays_is_a_governance_change() {
    let change = Change::new(&passing_system(), |repo| {
        std::fs::remove_file(repo.path().join("credit/model_card.yaml")).expect("remove");
    });
    let run = change.with_base();
    assert_eq!(run.code, 1, "{}", run.describe());
    let gc = run.rule("governance-change");
    assert!(
        gc.iter()
            .any(|f| f.message.contains("credit/model_card.yaml")),
        "{}",
        run.describe()
    );
}

#[test]
fn an_unchanged_repository_passes_with_base() {
    let change = Change::new(&passing_system(), |_| {});
    let run = change.with_base();
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.rule("governance-change").is_empty());
}

#[test]
fn a_missing_base_or_no_git_is_a_tool_error() {
    let change = Change::new(&passing_system(), |_| {});
    let run = change.repo.run(&["check", ".", "--base", "no-such-branch"]);
    run.assert_tool_error(&["--base", "no-such-branch"]);
    let plain = Repo::with(&[("model_card.yaml", MINIMAL_CARD)]);
    let run = plain.run(&["check", ".", "--base", "main"]);
    run.assert_tool_error(&["--base"]);
}

#[test]
fn without_a_platform_the_reason_is_given() {
    let change = config_attack(
        "[rules.impact-assessment]\nseverity = \"off\"\nreason = \"too noisy for this team\"\n",
    );
    let run = change.with_base();
    let gc = run.at("governance-change", "aimsgate.toml");
    assert!(
        gc.iter().all(|f| f
            .message
            .contains("not running in GitHub Actions or GitLab CI")),
        "{}",
        run.describe()
    );
}

#[test]
fn an_ignore_file_a_tool_left_in_the_checkout_is_not_a_governance_change() {
    let change = Change::new(&passing_system(), |_| {});
    // pytest, mypy and ruff write `.gitignore` with `*` into their caches.
    change.repo.write(".pytest_cache/.gitignore", "*\n");
    let run = change.with_base();
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(
        run.rule("governance-change").is_empty(),
        "{}",
        run.describe()
    );
}

#[test]
fn changed_since_keeps_the_ml_code_of_a_deleted_card_in_scope() {
    let mut files = passing_system();
    files.push(("other/model_card.yaml".into(), MINIMAL_CARD.into()));
    let change = Change::new(&files, |repo| {
        std::fs::remove_file(repo.path().join("credit/model_card.yaml")).expect("remove");
    });
    let run = change.repo.check(&["--changed-since", &change.base]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        !run.at("model-card-missing", "credit/train.py").is_empty(),
        "{}",
        run.describe()
    );
    // The untouched system stays out of scope.
    assert!(run.findings().iter().all(|f| !f.file.starts_with("other/")));
}
