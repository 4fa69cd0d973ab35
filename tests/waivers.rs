//! Waivers (card and config), severity overrides and the Statement of Applicability.

mod common;
use common::{line_of, Repo, MINIMAL_CARD, NOTEBOOK, TRAINING};

/// A minimal card whose limitations are blank: one `limitations` warning.
fn card_with_gap(extra: &str) -> String {
    let card = MINIMAL_CARD.replace(
        "limitations: [About 1 in 500 genuine emails is quarantined]\n",
        "limitations: []\n",
    );
    format!("{card}{extra}")
}

#[test]
fn a_card_waiver_waives_its_systems_finding_and_the_gate_passes() {
    let card = card_with_gap(
        "waivers:\n  - {rule: limitations, reason: Measured in the next release, approved_by: AI Board, expires: 2027-03-01}\n",
    );
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let run = repo.check(&["--fail-on", "warning"]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let waived = run.rule("limitations");
    assert_eq!(waived.len(), 1);
    assert!(waived[0].waived);
    assert_eq!(run.summary("waived"), 1);
    assert_eq!(run.summary("warnings"), 0);
}

#[test]
fn without_the_waiver_the_same_card_fails_on_warnings() {
    let repo = Repo::with(&[("model_card.yaml", &card_with_gap(""))]);
    let run = repo.check(&["--fail-on", "warning"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(!run.rule("limitations")[0].waived);
}

#[test]
fn an_expired_waiver_waives_nothing_and_is_an_error_at_its_line() {
    let card = card_with_gap(
        "waivers:\n  - {rule: limitations, reason: Later this quarter, approved_by: AI Board, expires: 2026-01-31}\n",
    );
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let line = line_of(&card, "- {rule: limitations", 1);
    let w = run.expect("waiver", "model_card.yaml", line);
    assert_eq!(w.severity, "error");
    assert!(w.message.contains("expired on 2026-01-31"), "{}", w.message);
    assert!(!run.rule("limitations")[0].waived);
}

#[test]
fn a_waiver_without_reason_or_approver_is_an_error() {
    let card = card_with_gap("waivers:\n  - rule: limitations\n");
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let run = repo.check(&[]);
    let w = &run.rule("waiver")[0];
    assert_eq!(w.severity, "error");
    assert!(w.message.contains("gives no reason"), "{}", w.message);
    assert!(w.message.contains("names no approver"), "{}", w.message);
    assert!(!run.rule("limitations")[0].waived);
}

#[test]
fn a_waiver_that_matches_nothing_is_a_warning() {
    let card = format!(
        "{MINIMAL_CARD}waivers:\n  - {{rule: owner, reason: Kept for the audit trail, approved_by: AI Board, expires: 2027-01-01}}\n"
    );
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let w = &run.rule("waiver")[0];
    assert_eq!(w.severity, "warning");
    assert!(w.message.contains("matches no finding"), "{}", w.message);
}

#[test]
fn a_config_waiver_applies_by_path_glob() {
    let config = "[[waivers]]\nrule = \"model-card-missing\"\npath = \"research/**\"\nreason = \"Exploratory notebooks\"\napproved_by = \"Head of ML\"\nexpires = 2027-05-01\n";
    let repo = Repo::with(&[
        ("aimsgate.toml", config),
        ("research/requirements.txt", "torch\n"),
        ("research/explore.ipynb", NOTEBOOK),
        ("prod/requirements.txt", "scikit-learn\n"),
        ("prod/train.py", TRAINING),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let missing = run.rule("model-card-missing");
    assert_eq!(missing.len(), 2);
    let research = missing
        .iter()
        .find(|f| f.file == "research/explore.ipynb")
        .unwrap();
    assert!(research.waived);
    let prod = missing.iter().find(|f| f.file == "prod/train.py").unwrap();
    assert!(!prod.waived);
}

#[test]
fn an_invalid_config_waiver_is_reported_at_its_line_in_the_config() {
    let config = "# waivers\n\n[[waivers]]\nrule = \"model-card-missing\"\npath = \"**\"\nreason = \"\"\napproved_by = \"Head of ML\"\n";
    let repo = Repo::with(&[("aimsgate.toml", config), ("train.py", TRAINING)]);
    let run = repo.check(&[]);
    let w = &run.rule("waiver")[0];
    assert_eq!(w.file, "aimsgate.toml");
    assert_eq!(w.line, 3, "the [[waivers]] header: {}", run.describe());
    assert!(w.message.contains("gives no reason"));
    assert!(!run.rule("model-card-missing")[0].waived);
}

#[test]
fn a_control_marked_not_applicable_skips_rules_tied_only_to_it_and_says_so() {
    // transparency maps only to eu-ai-act:art-50.
    let card = MINIMAL_CARD.replace("tier: minimal", "tier: limited");
    let config = "[controls.\"eu-ai-act:art-50\"]\napplicable = false\njustification = \"No system interacts with the public\"\n";
    let repo = Repo::with(&[
        ("model_card.yaml", card.as_str()),
        ("aimsgate.toml", config),
    ]);
    let with_exclusion = repo.check(&[]);
    assert!(
        with_exclusion.rule("transparency").is_empty(),
        "{}",
        with_exclusion.describe()
    );
    let na = with_exclusion.doc()["not_applicable"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(na.len(), 1);
    assert_eq!(na[0]["rule"], "transparency");
    assert_eq!(
        na[0]["justification"],
        "No system interacts with the public"
    );
    let text = repo.check_text(&[]);
    assert!(
        text.stdout.contains("rule transparency not evaluated"),
        "{}",
        text.stdout
    );

    let plain = Repo::with(&[("model_card.yaml", card.as_str())]);
    assert_eq!(plain.check(&[]).rule("transparency").len(), 1);
}

#[test]
fn excluding_a_control_without_justification_is_a_config_error() {
    let config = "[controls.\"A.10.4\"]\napplicable = false\n";
    let repo = Repo::with(&[("model_card.yaml", MINIMAL_CARD), ("aimsgate.toml", config)]);
    repo.check(&[]).assert_tool_error(&["justification"]);
}

#[test]
fn a_severity_override_needs_a_reason_and_changes_the_severity() {
    let repo = Repo::with(&[
        ("model_card.yaml", card_with_gap("").as_str()),
        (
            "aimsgate.toml",
            "[rules.limitations]\nseverity = \"error\"\nreason = \"Board decision 2026-07\"\n",
        ),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.rule("limitations")[0].severity, "error");

    let off = Repo::with(&[
        ("model_card.yaml", card_with_gap("").as_str()),
        (
            "aimsgate.toml",
            "[rules.limitations]\nseverity = \"off\"\nreason = \"Tracked elsewhere\"\n",
        ),
    ]);
    assert!(off.check(&[]).rule("limitations").is_empty());

    let unjustified = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[rules.limitations]\nseverity = \"off\"\nreason = \"\"\n",
        ),
    ]);
    unjustified.check(&[]).assert_tool_error(&["reason"]);
}

/// The `waiver` error on the card's waiver, whose message holds `why`.
fn waiver_refused(card: &str, why: &str, params: Option<&str>) {
    let mut files = vec![("model_card.yaml", card)];
    if let Some(toml) = params {
        files.push(("aimsgate.toml", toml));
    }
    let repo = Repo::with(&files);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{why}: {}", run.describe());
    assert!(
        run.rule("waiver")
            .iter()
            .any(|f| f.severity == "error" && f.message.contains(why)),
        "no waiver error saying {why:?}:\n{}",
        run.describe()
    );
    assert!(
        run.findings()
            .iter()
            .filter(|f| f.rule != "waiver")
            .all(|f| !f.waived),
        "{}",
        run.describe()
    );
}

#[test]
fn waivers_an_auditor_would_reject_waive_nothing() {
    let waiver =
        |fields: &str| card_with_gap(&format!("waivers:\n  - {{rule: limitations, {fields}}}\n"));
    // Approved by the system's own owner.
    waiver_refused(
        &waiver(
            "reason: Measured in the next release, approved_by: workplace it, expires: 2027-03-01",
        ),
        "the system's own owner",
        None,
    );
    // A reason that says nothing.
    for reason in [".", "x", "TBD", "n/a"] {
        waiver_refused(
            &waiver(&format!(
                "reason: \"{reason}\", approved_by: AI Board, expires: 2027-03-01"
            )),
            "no real reason",
            None,
        );
    }
    // No end date, or one too far ahead.
    waiver_refused(
        &waiver("reason: Measured in the next release, approved_by: AI Board"),
        "has no expires date",
        None,
    );
    waiver_refused(
        &waiver("reason: Measured in the next release, approved_by: AI Board, expires: 2036-01-01"),
        "at most 180",
        None,
    );
    // The organisation may allow longer, in its configuration.
    let repo = Repo::with(&[
        (
            "model_card.yaml",
            waiver(
                "reason: Measured in the next release, approved_by: AI Board, expires: 2027-09-01",
            )
            .as_str(),
        ),
        ("aimsgate.toml", "[params]\nmax_waiver_days = 365\n"),
    ]);
    assert_eq!(repo.check(&[]).code, 0, "{}", repo.check(&[]).describe());
}

#[test]
fn prohibited_practices_and_unreadable_cards_cannot_be_waived() {
    let prohibited = MINIMAL_CARD.replace("tier: minimal", "tier: prohibited")
        + "waivers:\n  - {rule: prohibited-practice, reason: Approved by the board for the pilot, approved_by: AI Board, expires: 2027-03-01}\n";
    waiver_refused(&prohibited, "which no waiver may waive", None);
    let repo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[rules.prohibited-practice]\nseverity = \"off\"\nreason = \"Approved by the board\"\n",
        ),
    ]);
    repo.run(&["check", "."])
        .assert_tool_error(&["rules.prohibited-practice cannot be overridden"]);
    let repo = Repo::with(&[
        ("model_card.yaml", "name: [unclosed\n"),
        (
            "aimsgate.toml",
            "[[waivers]]\nrule = \"card-invalid\"\npath = \"**\"\nreason = \"The parser is too strict\"\napproved_by = \"AI Board\"\nexpires = 2027-03-01\n",
        ),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        run.rule("card-invalid").iter().all(|f| !f.waived),
        "{}",
        run.describe()
    );
}

#[test]
fn an_override_or_exclusion_needs_a_reason_in_words() {
    let repo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[rules.limitations]\nseverity = \"off\"\nreason = \"x\"\n",
        ),
    ]);
    repo.run(&["check", "."])
        .assert_tool_error(&["rules.limitations.reason", "in words"]);
    let repo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        (
            "aimsgate.toml",
            "[controls]\n\"A.10.4\" = {applicable = false, justification = \"n/a\"}\n",
        ),
    ]);
    repo.run(&["check", "."])
        .assert_tool_error(&["controls.\"A.10.4\"", "justification"]);
}
