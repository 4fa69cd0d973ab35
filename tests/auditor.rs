//! Evidence an auditor would reject, run through the real binary: one
//! repository per class of issue 15, each starting from a complete high-risk
//! system and making the edits a team under deadline would make. Every one
//! must fail at the file and line of the edit. (Classes 1, 2, 3, 6 and 10
//! are in tests/check.rs, tests/waivers.rs and tests/governance.rs.)

mod common;

use common::{high_risk_repo, line_of, Repo, Run, HIGH_CARD, IMPACT_ASSESSMENT};

/// The findings of `rule` on `field`, or a panic describing the run.
fn on_field(run: &Run, rule: &str, field: &str) -> Vec<common::F> {
    let hits: Vec<_> = run
        .rule(rule)
        .into_iter()
        .filter(|f| f.field.as_deref() == Some(field))
        .collect();
    assert!(
        !hits.is_empty(),
        "no {rule} finding on {field}:\n{}",
        run.describe()
    );
    hits
}

fn with_assessment(assessment: &str) -> Repo {
    let repo = high_risk_repo(HIGH_CARD);
    repo.write("IMPACT_ASSESSMENT.md", assessment);
    repo
}

#[test]
fn the_complete_system_passes() {
    let run = high_risk_repo(HIGH_CARD).check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
}

#[test]
fn class_5_an_impact_assessment_in_name_only() {
    let assessment = "\
---
approved_by: risk ml team
approved_at: 2026-10-01
assessed_at: 2026-10-20
impacts:
  - {scope: [individuals, groups], description: Wrongful refusal of credit, severity: high, mitigation: Mitigated, residual: low}
  - {scope: society, description: Reduced access to credit, severity: Severe, mitigation: Appeals process, residual: Unacceptable}
---
";
    let run = with_assessment(assessment).check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let at = |field: &str, prefix: &str| {
        let f = &on_field(&run, "impact-assessment", field)[0];
        assert_eq!(f.file, "IMPACT_ASSESSMENT.md", "{field}");
        assert_eq!(f.line, line_of(assessment, prefix, 1), "{field}");
        f.message.clone()
    };
    assert!(at("impact_assessment.approved_by", "approved_by").contains("system's owner"));
    assert!(at("impact_assessment.impacts.0.mitigation", "- {scope: [").contains("not an answer"));
    assert!(
        at("impact_assessment.impacts.1.severity", "- {scope: society").contains("not a rating")
    );
    assert!(at(
        "impact_assessment.impacts.1.accepted_by",
        "- {scope: society"
    )
    .contains("is unacceptable"));
    // Both people scopes sit in one list, so neither has an impact of its own.
    let scopes: Vec<_> = on_field(&run, "impact-assessment", "impact_assessment.impacts")
        .into_iter()
        .map(|f| f.message)
        .collect();
    assert_eq!(scopes.len(), 2, "{scopes:?}");
    assert!(
        scopes.iter().all(|m| m.contains("of its own")),
        "{scopes:?}"
    );
    let late = &on_field(
        &run,
        "impact-assessment-review",
        "impact_assessment.assessed_at",
    )[0];
    assert_eq!(late.line, line_of(assessment, "assessed_at", 1));
    // The fixture's own assessment is complete.
    assert!(with_assessment(IMPACT_ASSESSMENT).check(&[]).code == 0);
}

#[test]
fn class_4_bias_tests_that_do_not_cover_or_back_the_card() {
    // A declared attribute without a result; a result for one not declared.
    let card = HIGH_CARD.replace(
        "protected_attributes: [sex]\n  results:\n    - attribute: sex",
        "protected_attributes: [age_band]\n  results:\n    - attribute: sex",
    );
    let run = high_risk_repo(&card).check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let undeclared = &on_field(&run, "bias-evaluation", "fairness.results.0.attribute")[0];
    assert_eq!(undeclared.line, line_of(&card, "- attribute: sex", 1));
    assert!(on_field(&run, "bias-evaluation", "fairness.results")[0]
        .message
        .contains("age_band"));

    // At high tier, a result without sample sizes is an error.
    let card = HIGH_CARD
        .replace("      groups: {female: 0.31, male: 0.33}\n", "")
        .replace("      n: {female: 4100, male: 4300}\n", "");
    let run = high_risk_repo(&card).check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert_eq!(
        on_field(&run, "bias-sample-size", "fairness.results.0.n")[0].severity,
        "error"
    );

    // The card's sample sizes must be the ones the evidence file measured.
    let card = HIGH_CARD.replace(
        "protected_attributes: [sex]\n",
        "protected_attributes: [sex]\n  evidence: eval/fairness.json\n",
    );
    let repo = high_risk_repo(&card);
    repo.write(
        "eval/fairness.json",
        r#"{"results": [{"attribute": "sex", "metric": "demographic_parity_ratio", "value": 0.93, "threshold": 0.8, "groups": {"female": 0.31, "male": 0.33}, "n": {"female": 21, "male": 4300}}]}"#,
    );
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let f = &on_field(&run, "bias-evidence", "fairness.results.0.n.female")[0];
    assert_eq!(f.file, "model_card.yaml");
    assert_eq!(f.line, line_of(&card, "n: {female", 1));
    assert!(f.message.contains("which has 21"), "{}", f.message);

    // Skipping the bias tests takes a reason in words and someone else's approval.
    let start = HIGH_CARD.find("fairness:").expect("fairness");
    let end = HIGH_CARD.find("human_oversight:").expect("oversight");
    let card = format!(
        "{}fairness:\n  not_applicable: {{justification: n/a, approved_by: Risk ML Team}}\n{}",
        &HIGH_CARD[..start],
        &HIGH_CARD[end..]
    );
    let run = high_risk_repo(&card).check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    on_field(
        &run,
        "bias-evaluation",
        "fairness.not_applicable.justification",
    );
    on_field(
        &run,
        "bias-evaluation",
        "fairness.not_applicable.approved_by",
    );
    assert!(
        run.findings().iter().all(|f| !f.waived),
        "an invalid exception waived something:\n{}",
        run.describe()
    );
}

#[test]
fn class_7_datasets_and_data_documented_in_name_only() {
    // A high-risk system that lists no datasets.
    let card = HIGH_CARD.replace(
        "datasets:\n  - {id: loans-2024, datasheet: data/DATASHEET.md, role: train}\n",
        "datasets: []\n",
    );
    let run = high_risk_repo(&card).check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert_eq!(
        on_field(&run, "datasheet", "datasets")[0].line,
        line_of(&card, "datasets: []", 1)
    );

    // Why the data exists and what it holds is not where it came from.
    let repo = high_risk_repo(HIGH_CARD);
    let datasheet = "# Loan applications 2024\n\n## Motivation\n\nBuilt to score credit.\n\n## Composition\n\nLoan applications.\n\n## License\n\nProprietary.\n\n## Preprocessing\n\nDeduplicated.\n";
    repo.write("data/DATASHEET.md", datasheet);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    on_field(&run, "datasheet", "datasets.0.datasheet.provenance");

    // No personal data, yet categories of it; a DPIA that is an empty file.
    let repo = high_risk_repo(HIGH_CARD);
    let datasheet = common::DATASHEET.replace(
        "personal_data: {present: true, categories: [income, age], legal_basis: contract, dpia: DPIA.md}",
        "personal_data:\n  present: false\n  categories: [income, age]\n  dpia: DPIA.md",
    );
    repo.write("data/DATASHEET.md", &datasheet);
    repo.write("data/DPIA.md", " \n\n");
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let contradiction = &on_field(
        &run,
        "personal-data",
        "datasets.0.datasheet.personal_data.present",
    )[0];
    assert_eq!(contradiction.file, "data/DATASHEET.md");
    assert_eq!(contradiction.line, line_of(&datasheet, "present: false", 1));
    let empty = run
        .at("card-invalid", "data/DATASHEET.md")
        .into_iter()
        .find(|f| f.message.contains("is empty"))
        .unwrap_or_else(|| panic!("no finding on the empty DPIA:\n{}", run.describe()));
    assert_eq!(empty.line, line_of(&datasheet, "dpia: DPIA.md", 1));

    // A supplier whose license nobody found out and whose assessment says "ok".
    let card = format!(
        "{HIGH_CARD}suppliers:\n  - {{name: bert-base-uncased, component: model, license: unknown, assessment: ok}}\n"
    );
    let run = high_risk_repo(&card).check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    for field in ["suppliers.0.license", "suppliers.0.assessment"] {
        assert_eq!(
            on_field(&run, "supplier", field)[0].line,
            line_of(&card, "- {name: bert-base-uncased", 1),
            "{field}"
        );
    }
}

#[test]
fn class_8_oversight_and_operations_answered_with_nothing() {
    let card = HIGH_CARD
        .replace("overseer: Credit officer", "overseer: Nobody")
        .replace(
            "stop_mechanism: Feature flag credit_model_enabled",
            "stop_mechanism: none",
        )
        .replace("lifecycle: development", "lifecycle: prod")
        .replace("value: 0.88", "value: good")
        .replace("contact: risk-ml@example.com", "contact: Risk ML Team");
    let run = high_risk_repo(&card).check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    for (rule, field, line) in [
        ("human-oversight", "human_oversight.overseer", "overseer:"),
        (
            "human-oversight-controls",
            "human_oversight.stop_mechanism",
            "stop_mechanism:",
        ),
        ("monitoring", "lifecycle", "lifecycle:"),
        ("evaluation", "evaluation.0.value", "- {metric: auc"),
        ("owner", "owner.contact", "contact:"),
    ] {
        let f = &on_field(&run, rule, field)[0];
        assert_eq!(f.line, line_of(&card, line, 1), "{rule} {field}");
        assert_eq!(f.severity, "error", "{rule} {field}");
    }
    // "prod" is judged as production: the monitoring duties apply.
    on_field(&run, "monitoring", "monitoring");

    // A high-risk system says which stage it is in.
    let card = HIGH_CARD.replace("lifecycle: development\n", "");
    let run = high_risk_repo(&card).check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(on_field(&run, "monitoring", "lifecycle")[0]
        .message
        .contains("lifecycle is missing"));
}

/// Class 9 as a pull request: the author renames a fine-tuned model's card
/// away, so that the system above would absorb its weights and script.
#[test]
fn class_9_a_card_renamed_away_under_another_system() {
    let mut files = vec![(
        "models/model_card.yaml".to_string(),
        common::MINIMAL_CARD.to_string(),
    )];
    files.extend(
        common::high_risk_files("models/ranker", HIGH_CARD)
            .into_iter()
            .chain([
                (
                    "models/ranker/pytorch_model.bin".to_string(),
                    "bin".to_string(),
                ),
                (
                    "models/ranker/finetune.py".to_string(),
                    common::TRAINING.to_string(),
                ),
            ]),
    );
    let change = common::Change::new(&files, |repo| {
        let card = repo.path().join("models/ranker/model_card.yaml");
        std::fs::rename(&card, repo.path().join("models/ranker/notes.yaml")).expect("rename");
    });
    for run in [change.without_base(), change.with_base()] {
        assert_eq!(run.code, 1, "{}", run.describe());
        let missing: Vec<_> = run
            .rule("model-card-missing")
            .into_iter()
            .map(|f| f.file)
            .collect();
        assert_eq!(missing, ["models/ranker/finetune.py"], "{}", run.describe());
        let message = &run.rule("model-card-missing")[0].message;
        assert!(
            message.contains("models/ranker/pytorch_model.bin"),
            "{message}"
        );
    }
    assert!(!change.with_base().rule("governance-change").is_empty());
}
