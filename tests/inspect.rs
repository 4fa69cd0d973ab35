//! `aimsgate inspect`: the input document policies see.

mod common;

use common::*;
use serde_json::json;

#[test]
fn inspect_prints_system_documents_and_a_repository_document() {
    let repo = Repo::new();
    for (path, contents) in high_risk_files("sys", HIGH_CARD) {
        repo.write(&path, contents);
    }
    repo.write("other/train.py", TRAINING);
    let docs = repo.inspect();
    assert_eq!(docs.len(), 2, "{docs:#?}");
    let system = &docs[0];
    assert_eq!(system["kind"], "system");
    assert_eq!(system["system"]["card"], "sys/model_card.yaml");
    assert_eq!(system["system"]["id"], "sys");
    assert_eq!(system["system"]["format"], "yaml");
    assert_eq!(system["tier"], "high");
    assert_eq!(system["now"], NOW);
    assert_eq!(system["params"]["bias_ratio_min"], 0.8);
    assert_eq!(system["problems"], json!([]));
    let repository = &docs[1];
    assert_eq!(repository["kind"], "repository");
    assert_eq!(
        repository["ml_files_without_card"],
        json!(["other/train.py"])
    );
    let uncarded = &repository["systems_without_card"][0];
    assert_eq!(uncarded["dir"], ".");
    assert_eq!(uncarded["file"], "other/train.py");
    assert_eq!(uncarded["line"], 3);
    assert_eq!(
        uncarded["files"][0]["seen"],
        "imports sklearn.linear_model; trains with LogisticRegression().fit at 3"
    );
    assert_eq!(
        uncarded["files"][0]["evidence"]["calls"][0]["kind"],
        "training"
    );
}

#[test]
fn linked_documents_are_grafted_into_the_record() {
    let repo = high_risk_repo(HIGH_CARD);
    let system = &repo.inspect_systems()[0];
    let ia = &system["record"]["impact_assessment"];
    assert!(ia.is_object(), "impact_assessment not grafted: {ia}");
    assert_eq!(ia["approved_by"], "AI Governance Board");
    assert_eq!(ia["approved_at"], "2026-10-01");
    assert_eq!(ia["impacts"].as_array().map(Vec::len), Some(3));
    assert_eq!(ia["impacts"][1]["scope"], "groups");
    let datasheet = &system["record"]["datasets"][0]["datasheet"];
    assert_eq!(datasheet["license"], "proprietary");
    assert_eq!(datasheet["provenance"]["source"], "Core banking system");
    assert_eq!(
        system["documents"]["impact_assessment"]["file"],
        "IMPACT_ASSESSMENT.md"
    );
    assert_eq!(
        system["documents"]["datasets.0.datasheet"]["file"],
        "data/DATASHEET.md"
    );
    let sections = &system["documents"]["impact_assessment"]["sections"];
    assert_eq!(sections[0]["title"], "Impact assessment");
}

#[test]
fn missing_tier_is_judged_high() {
    let card = MINIMAL_CARD.replace("  tier: minimal\n", "");
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    assert_eq!(repo.inspect_systems()[0]["tier"], "high");
    let card = MINIMAL_CARD.replace("tier: minimal", "tier: Minimal-ish");
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    assert_eq!(repo.inspect_systems()[0]["tier"], "high");
    let repo = Repo::with(&[("model_card.yaml", MINIMAL_CARD)]);
    assert_eq!(repo.inspect_systems()[0]["tier"], "minimal");
}

#[test]
fn unreadable_reference_stays_a_path_with_a_problem() {
    let card = format!("{MINIMAL_CARD}impact_assessment: docs/IA.md\n");
    let repo = Repo::with(&[("sys/model_card.yaml", &card)]);
    let system = &repo.inspect_systems()[0];
    assert_eq!(system["record"]["impact_assessment"], "docs/IA.md");
    assert_eq!(system["documents"], json!({}));
    let problems = system["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["file"], "sys/model_card.yaml");
    assert_eq!(problems[0]["line"], line_of(&card, "impact_assessment:", 1));
    assert_eq!(problems[0]["field"], "impact_assessment");
}

#[test]
fn sidecar_is_merged_over_the_card() {
    let repo = Repo::with(&[
        ("m/model_card.yaml", MINIMAL_CARD),
        (
            "m/aimsgate.yaml",
            "risk:\n  tier: limited\nmonitoring: {plan: none}\n",
        ),
    ]);
    let system = &repo.inspect_systems()[0];
    assert_eq!(system["tier"], "limited");
    assert_eq!(system["record"]["risk"]["affects_people"], false);
    assert_eq!(system["record"]["monitoring"]["plan"], "none");
}

#[test]
fn markdown_sections_fill_the_record() {
    let card = "---\nname: Prose\nlibrary_name: transformers\n---\n\n# Prose\n\n## Uses\n\n### Direct Use\n\nSummarise tickets.\n\n### Out-of-Scope Use\n\nLegal advice.\n\n## Bias, Risks, and Limitations\n\nEnglish only.\n";
    let repo = Repo::with(&[("MODEL_CARD.md", card)]);
    let system = &repo.inspect_systems()[0];
    assert_eq!(system["system"]["format"], "huggingface");
    let titles: Vec<&str> = system["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["title"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        titles,
        [
            "Prose",
            "Uses",
            "Direct Use",
            "Out-of-Scope Use",
            "Bias, Risks, and Limitations"
        ]
    );
    assert_eq!(system["sections"][1]["line"], 8);
    let record = &system["record"];
    let text = record.to_string();
    assert!(text.contains("Summarise tickets."), "{record}");
    assert!(
        record["intended_use"]["out_of_scope"]
            .to_string()
            .contains("Legal advice."),
        "{record}"
    );
    assert!(
        record["limitations"].to_string().contains("English only."),
        "{record}"
    );
}
