//! Card formats mapped onto the record: CycloneDX ML-BOMs, Model Card
//! Toolkit JSON, and sidecars merged over any card.

mod common;
use common::{line_of, manifest_dir, Repo, MINIMAL_CARD};

fn corpus(rel: &str) -> String {
    std::fs::read_to_string(manifest_dir().join("tests/corpus").join(rel)).expect("corpus file")
}

#[test]
fn cyclonedx_model_card_maps_onto_the_record() {
    let repo = Repo::with(&[(
        "bom.json",
        &corpus("cyclonedx/cyclonedx-spec-valid-machine-learning-1.6.json"),
    )]);
    let systems = repo.inspect_systems();
    assert_eq!(systems.len(), 1);
    let s = &systems[0];
    assert_eq!(s["system"]["format"], "cyclonedx");
    let record = &s["record"];
    assert!(
        record["name"].as_str().is_some_and(|n| !n.is_empty()),
        "{record}"
    );
    assert!(record["intended_use"]["primary"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    assert!(record["limitations"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    assert!(record["evaluation"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
}

#[test]
fn cyclonedx_1_5_and_1_6_give_the_same_record() {
    let a = Repo::with(&[(
        "bom.json",
        &corpus("cyclonedx/cyclonedx-spec-valid-machine-learning-1.5.json"),
    )]);
    let b = Repo::with(&[(
        "bom.json",
        &corpus("cyclonedx/cyclonedx-spec-valid-machine-learning-1.6.json"),
    )]);
    let (ra, rb) = (
        &a.inspect_systems()[0]["record"],
        &b.inspect_systems()[0]["record"],
    );
    assert_eq!(ra["name"], rb["name"]);
    assert_eq!(ra["intended_use"], rb["intended_use"]);
    assert_eq!(ra["limitations"], rb["limitations"]);
}

#[test]
fn cyclonedx_governance_properties_set_typed_record_values() {
    let bom = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "components": [{
    "type": "machine-learning-model",
    "name": "churn-model",
    "version": "1.0.0",
    "modelCard": {
      "properties": [
        {"name": "aimsgate:risk.tier", "value": "high"},
        {"name": "aimsgate:human_oversight.can_stop", "value": "false"},
        {"name": "aimsgate:fairness.results.n", "value": "30"},
        {"name": "other:ignored", "value": "x"}
      ]
    }
  }]
}"#;
    let repo = Repo::with(&[("model.cdx.json", bom)]);
    let record = repo.inspect_systems()[0]["record"].clone();
    assert_eq!(record["risk"]["tier"], "high");
    assert_eq!(record["human_oversight"]["can_stop"], false);
    assert!(record.get("other:ignored").is_none());
    let run = repo.check(&[]);
    let controls = run.rule("human-oversight-controls");
    let can_stop = controls
        .iter()
        .find(|f| f.field.as_deref() == Some("human_oversight.can_stop"))
        .expect("a can_stop finding");
    assert_eq!(can_stop.file, "model.cdx.json");
    assert_eq!(
        can_stop.line,
        line_of(bom, "{\"name\": \"aimsgate:human_oversight.can_stop\"", 1)
    );
}

#[test]
fn a_bom_without_a_model_component_is_not_a_system() {
    let bom = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "left-pad"}]}"#;
    let repo = Repo::with(&[("bom.json", bom)]);
    assert!(repo.inspect_systems().is_empty());
}

#[test]
fn model_card_toolkit_schemas_0_0_1_and_0_0_2_map_alike() {
    let old = Repo::with(&[(
        "model_card.json",
        &corpus("mct/mct-testdata-cats_vs_dogs_v0_0_1.json"),
    )]);
    let new = Repo::with(&[(
        "model_card.json",
        &corpus("mct/mct-testdata-cats_vs_dogs_v0_0_2.json"),
    )]);
    let (ro, rn) = (&old.inspect_systems()[0], &new.inspect_systems()[0]);
    assert_eq!(ro["system"]["format"], "mct");
    assert_eq!(rn["system"]["format"], "mct");
    assert_eq!(ro["record"]["name"], rn["record"]["name"]);
    assert!(ro["record"]["limitations"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
    assert_eq!(
        ro["record"]["limitations"].as_array().map(Vec::len),
        rn["record"]["limitations"].as_array().map(Vec::len)
    );
    assert_eq!(
        ro["record"]["evaluation"].as_array().map(Vec::len),
        rn["record"]["evaluation"].as_array().map(Vec::len)
    );
}

#[test]
fn a_sidecar_is_merged_over_the_card_and_findings_point_into_it() {
    let sidecar = "human_oversight:\n  mode: on-the-loop\n  overseer: \"\"\n";
    let repo = Repo::with(&[
        ("model_card.yaml", MINIMAL_CARD),
        ("aimsgate.yaml", sidecar),
    ]);
    let s = &repo.inspect_systems()[0];
    assert_eq!(s["record"]["human_oversight"]["mode"], "on-the-loop");
    assert_eq!(s["record"]["name"], "Spam Filter");
    let run = repo.check(&["--fail-on", "warning"]);
    let f = run
        .rule("human-oversight")
        .into_iter()
        .find(|f| f.field.as_deref() == Some("human_oversight.overseer"))
        .expect("overseer finding");
    assert_eq!((f.file.as_str(), f.line), ("aimsgate.yaml", 3));
}

#[test]
fn a_sidecar_adds_governance_facts_to_a_hugging_face_card() {
    let card = corpus("hf-model-cards/huggingface_hub-sample_simple_model_index.md");
    let sidecar = "risk: {tier: minimal, rationale: Image tagging demo, affects_people: false}\n";
    let repo = Repo::with(&[
        ("README.md", &card),
        ("aimsgate.toml", ""),
        ("aimsgate.yml", sidecar),
    ]);
    let s = &repo.inspect_systems()[0];
    assert_eq!(s["system"]["format"], "huggingface");
    assert_eq!(s["tier"], "minimal");
    assert!(
        s["record"]["evaluation"]
            .as_array()
            .is_some_and(|a| a.len() == 2),
        "{}",
        s["record"]
    );
}

#[test]
fn a_sidecar_cannot_change_what_the_card_says() {
    let repo = Repo::with(&[
        (
            "sys/model_card.yaml",
            &MINIMAL_CARD.replace("tier: minimal", "tier: high"),
        ),
        (
            "sys/aimsgate.yaml",
            "risk:\n  tier: minimal\nmonitoring: {plan: docs/monitoring.md}\n",
        ),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let f = run.expect("card-invalid", "sys/aimsgate.yaml", 2);
    assert!(
        f.message
            .contains("sets risk.tier to \"minimal\", which the card already sets to \"high\""),
        "{}",
        f.message
    );
}

#[test]
fn a_key_written_twice_is_an_error_at_the_second() {
    for (name, card, line) in [
        (
            "model_card.yaml",
            format!("{MINIMAL_CARD}risk:\n  tier: minimal\n"),
            MINIMAL_CARD.lines().count() as u64 + 1,
        ),
        (
            "model_card.json",
            "{\"name\": \"A\",\n \"risk\": {\"tier\": \"high\"},\n \"risk\": {\"tier\": \"minimal\"}}\n".to_string(),
            3,
        ),
    ] {
        let repo = Repo::with(&[(name, card.as_str())]);
        let run = repo.check(&[]);
        assert_eq!(run.code, 1, "{}", run.describe());
        let f = run.expect("card-invalid", name, line);
        assert!(f.message.contains("duplicate key \"risk\""), "{}", f.message);
    }
}
