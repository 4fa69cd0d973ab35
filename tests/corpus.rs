//! Third-party cards from `tests/corpus/` (see its PROVENANCE.md), each copied
//! into a fresh repository under a card name that fits its format.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn corpus_dir(kind: &str) -> PathBuf {
    manifest_dir().join("tests/corpus").join(kind)
}

fn files(kind: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(corpus_dir(kind))
        .unwrap_or_else(|e| panic!("read tests/corpus/{kind}: {e}"))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "tests/corpus/{kind} is empty");
    out
}

/// The default card name a file of this kind would have in a repository.
fn card_name(path: &Path, bytes: &[u8]) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md") => "MODEL_CARD.md",
        Some("json") => {
            let text = String::from_utf8_lossy(bytes);
            if text.contains("\"bomFormat\"") && text.contains("CycloneDX") {
                "bom.json"
            } else {
                "model_card.json"
            }
        }
        other => panic!("unexpected corpus file type {other:?}: {}", path.display()),
    }
}

/// A repository holding one corpus file as its card; returns it and the card name.
fn repo_with(kind: &str, name: &str) -> (Repo, &'static str) {
    let path = corpus_dir(kind).join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let card = card_name(&path, &bytes);
    let repo = Repo::new();
    repo.write(card, &bytes);
    (repo, card)
}

/// Every file of `kind` gives a verdict (exit 0 or 1, never a tool error) about one system.
fn says_something(kind: &str) {
    let mut failures = Vec::new();
    for path in files(kind) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name");
        let (repo, card) = repo_with(kind, name);
        let run = repo.run(&["check", ".", "--now", NOW, "--format", "json"]);
        if run.code != 0 && run.code != 1 {
            failures.push(format!(
                "{kind}/{name} as {card}: exit {}: {}",
                run.code,
                run.stderr.trim()
            ));
            continue;
        }
        let run = run.expect_json();
        let systems = run.summary("systems");
        if systems != 1 && run.findings().is_empty() {
            failures.push(format!(
                "{kind}/{name} as {card}: said nothing (systems={systems}, no findings)"
            ));
        } else if systems != 1 {
            failures.push(format!(
                "{kind}/{name} as {card}: not a system (systems={systems})"
            ));
        }
        if run
            .findings()
            .iter()
            .any(|f| f.line == 0 || f.file.is_empty())
        {
            failures.push(format!(
                "{kind}/{name}: a finding without a location:\n{}",
                run.describe()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hf_model_cards_give_a_verdict() {
    says_something("hf-model-cards");
}

#[test]
fn prose_model_cards_give_a_verdict() {
    says_something("prose-model-cards");
}

#[test]
fn dataset_cards_give_a_verdict() {
    says_something("dataset-cards");
}

#[test]
fn cyclonedx_boms_give_a_verdict() {
    says_something("cyclonedx");
}

#[test]
fn mct_cards_give_a_verdict() {
    says_something("mct");
}

#[test]
fn broken_files_give_a_verdict() {
    says_something("broken");
}

// ---------------------------------------------------------------------------
// Malformed files: card-invalid at the right place

fn card_invalid(kind: &str, name: &str) -> (Run, Vec<F>, &'static str) {
    let (repo, card) = repo_with(kind, name);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{name}: {}", run.describe());
    let found = run.at("card-invalid", card);
    assert!(
        !found.is_empty(),
        "{name}: no card-invalid finding:\n{}",
        run.describe()
    );
    (run, found, card)
}

#[test]
fn trailing_comma_json_is_invalid_at_its_line() {
    let (_, found, card) = card_invalid("broken", "bom-examples-mlbom-bert-trailing-comma.json");
    assert_eq!(card, "bom.json");
    // The comma ends line 8; the `}` that makes it trailing is on line 9.
    assert!(
        found.iter().any(|f| f.line == 8 || f.line == 9),
        "{found:#?}"
    );
}

#[test]
fn unterminated_front_matter_is_invalid() {
    let (_, found, _) = card_invalid(
        "broken",
        "stanford-alpaca-model_card-unterminated-front-matter.md",
    );
    assert_eq!(found[0].line, 1);
    assert!(
        found[0].message.contains("never closed"),
        "{}",
        found[0].message
    );
}

#[test]
fn front_matter_that_is_a_list_is_invalid() {
    let (_, found, _) = card_invalid("broken", "huggingface_hub-sample_invalid_card_data.md");
    assert!(found[0].message.contains("mapping"), "{}", found[0].message);
    assert!(found[0].line <= 2, "{found:#?}");
}

#[test]
fn indented_closing_delimiter_is_invalid_at_its_line() {
    let (_, found, _) = card_invalid(
        "broken",
        "hf-datasets-indonlu-indented-closing-delimiter.md",
    );
    assert_eq!(found[0].line, 89, "{found:#?}");
}

#[test]
fn jinja_front_matter_is_invalid() {
    for (kind, name) in [
        ("hf-model-cards", "huggingface_hub-modelcard_template.md"),
        ("dataset-cards", "huggingface_hub-datasetcard_template.md"),
    ] {
        let (_, found, _) = card_invalid(kind, name);
        assert_eq!(found[0].line, 4, "{name}: {found:#?}");
    }
}

#[test]
fn placeholder_spec_front_matter_is_invalid_at_the_first_complex_key() {
    let name = "hub-docs-modelcard-metadata-spec.md";
    let text = std::fs::read_to_string(corpus_dir("broken").join(name)).expect("read");
    // `{arg_0}: {value_0}`: a mapping used as a key.
    let line = line_of(&text, "{arg_0}:", 1);
    let (_, found, _) = card_invalid("broken", name);
    assert_eq!(found[0].line, line, "{found:#?}");
}

#[test]
fn empty_front_matter_is_not_invalid() {
    let (repo, _) = repo_with("broken", "hf-datasets-xsum-empty-front-matter.md");
    let run = repo.check(&[]);
    assert!(run.rule("card-invalid").is_empty(), "{}", run.describe());
}

// ---------------------------------------------------------------------------
// Formats the adapters map

fn record_of(kind: &str, name: &str) -> serde_json::Value {
    let (repo, _) = repo_with(kind, name);
    let systems = repo.inspect_systems();
    assert_eq!(systems.len(), 1, "{name}");
    assert_eq!(systems[0]["problems"], serde_json::json!([]), "{name}");
    systems[0].clone()
}

#[test]
fn cyclonedx_model_cards_are_mapped() {
    for name in [
        "cyclonedx-spec-valid-machine-learning-1.5.json",
        "cyclonedx-spec-valid-machine-learning-1.6.json",
    ] {
        let doc = record_of("cyclonedx", name);
        assert_eq!(doc["system"]["format"], "cyclonedx", "{name}");
        let record = &doc["record"];
        assert!(
            record["name"]
                .as_str()
                .is_some_and(|n| !n.trim().is_empty()),
            "{name}: record.name: {}",
            record["name"]
        );
        assert!(
            !record["limitations"].is_null(),
            "{name}: technicalLimitations not mapped"
        );
        assert!(
            !record["evaluation"].is_null(),
            "{name}: performanceMetrics not mapped"
        );
    }
}

#[test]
fn mct_cards_are_mapped() {
    for path in files("mct") {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let doc = record_of("mct", name);
        assert_eq!(doc["system"]["format"], "mct", "{name}");
        let record = &doc["record"];
        assert!(
            record["name"]
                .as_str()
                .is_some_and(|n| !n.trim().is_empty()),
            "{name}: record.name: {}",
            record["name"]
        );
    }
}

#[test]
fn mct_full_maps_owners_and_limitations() {
    let doc = record_of("mct", "mct-testdata-full.json");
    let record = &doc["record"];
    assert!(
        !record["owner"].is_null(),
        "model_details.owners not mapped: {record}"
    );
    assert!(
        !record["limitations"].is_null(),
        "considerations.limitations not mapped: {record}"
    );
}

// ---------------------------------------------------------------------------
// Unfilled templates linked as evidence

/// The Datasheets-for-Datasets template has italic guidance under every
/// question and no answers: linked as a datasheet it documents nothing, and
/// each unanswered question is reported where it is.
#[test]
fn an_unfilled_datasheet_template_is_not_a_datasheet() {
    let template = std::fs::read_to_string(
        corpus_dir("dataset-cards").join("datasheet-template-gebru-cgarbin.md"),
    )
    .expect("read the template");
    let repo = high_risk_repo(HIGH_CARD);
    repo.write("data/DATASHEET.md", &template);
    let run = repo.check(&[]);
    let missing: BTreeSet<String> = run
        .rule("datasheet")
        .into_iter()
        .filter_map(|f| f.field)
        .collect();
    assert_eq!(
        missing,
        BTreeSet::from(
            ["provenance", "license", "preprocessing"]
                .map(|aspect| format!("datasets.0.datasheet.{aspect}"))
        ),
        "{}",
        run.describe()
    );
    let purpose = "### For what purpose was the dataset created?";
    let line = line_of(&template, purpose, 1);
    let unanswered = run.expect("placeholder-text", "data/DATASHEET.md", line);
    assert!(
        unanswered.message.contains("only the template's guidance"),
        "{}",
        unanswered.message
    );

    // An answer beside the guidance fills the question.
    let answered = template.replacen(
        purpose,
        &format!("{purpose}\n\nTo score loan applications."),
        1,
    );
    repo.write("data/DATASHEET.md", &answered);
    let run = repo.check(&[]);
    assert!(
        run.at("placeholder-text", "data/DATASHEET.md")
            .iter()
            .all(|f| f.line != line),
        "{}",
        run.describe()
    );
}
