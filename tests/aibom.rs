//! The AI bill of materials from code (issue 22, item 7): the models and
//! providers code names join the input policies see, the register, and the
//! CycloneDX ML-BOM; one the card does not declare is a supplier finding
//! at its first call.

mod common;

use common::*;
use serde_json::json;

const CHAT: &str = "from openai import OpenAI\nfrom transformers import AutoTokenizer\n\nclient = OpenAI()\ntokenizer = AutoTokenizer.from_pretrained(\"bert-base-uncased\")\n\n\ndef answer(q):\n    return client.chat.completions.create(model=\"gpt-4o-mini\", messages=[])\n";

fn chat_repo(card: &str) -> Repo {
    Repo::with(&[("chat/model_card.yaml", card), ("chat/bot.py", CHAT)])
}

#[test]
fn policies_see_the_models_and_providers_of_the_code() {
    let repo = chat_repo(MINIMAL_CARD);
    let system = &repo.inspect_systems()[0]["system"];
    assert_eq!(
        system["models"],
        json!([
            {"model": "bert-base-uncased", "library": "Hugging Face Transformers", "kind": "loading", "file": "chat/bot.py", "line": 5, "column": 13},
            {"model": "gpt-4o-mini", "provider": "OpenAI", "library": "OpenAI", "kind": "hosted", "file": "chat/bot.py", "line": 9, "column": 12},
        ])
    );
    assert_eq!(
        system["providers"],
        json!([{"provider": "OpenAI", "library": "OpenAI", "file": "chat/bot.py", "line": 4, "column": 10}])
    );
    assert_eq!(system["ml_files"], json!(["chat/bot.py"]));
}

#[test]
fn undeclared_models_and_providers_are_supplier_findings_at_the_call() {
    let run = chat_repo(MINIMAL_CARD).check(&[]);
    let mut found: Vec<(String, u64, String)> = run
        .rule("supplier")
        .into_iter()
        .map(|f| (f.file, f.line, f.severity))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("chat/bot.py".to_string(), 4, "warning".to_string()),
            ("chat/bot.py".to_string(), 5, "warning".to_string()),
        ],
        "{}",
        run.describe()
    );
    let provider = &run.at("supplier", "chat/bot.py")[0];
    assert!(
        provider
            .message
            .contains("calls hosted models of OpenAI (gpt-4o-mini)"),
        "{}",
        provider.message
    );

    // Declared in the card: nothing more to say.
    let card = format!(
        "{MINIMAL_CARD}base_model: bert-base-uncased\nsuppliers:\n  - {{name: bert-base-uncased, component: model, license: apache-2.0, assessment: VR-2026-1}}\n  - {{name: OpenAI, component: hosted model, license: OpenAI services agreement, assessment: VR-2026-2}}\n"
    );
    let run = chat_repo(&card).check(&[]);
    assert!(run.rule("supplier").is_empty(), "{}", run.describe());
}

#[test]
fn the_register_lists_what_code_uses_carded_or_not() {
    let repo = chat_repo(MINIMAL_CARD);
    repo.write("ranker/requirements.txt", "anthropic\n");
    repo.write(
        "ranker/rank.py",
        "import anthropic\nclient = anthropic.Anthropic()\nclient.messages.create(model='claude-3-5-haiku-latest', max_tokens=10, messages=[])\n",
    );
    let out = repo.run(&["inventory", ".", "--now", NOW, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let register: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let chat = &register["systems"][0];
    assert_eq!(chat["code"]["files"], json!(["chat/bot.py"]));
    assert_eq!(chat["code"]["models"][1]["model"], "gpt-4o-mini");
    let ranker = &register["systems_without_card"][0];
    assert_eq!(ranker["dir"], "ranker");
    assert_eq!(ranker["code"]["files"], json!(["ranker/rank.py"]));
    assert_eq!(ranker["code"]["providers"][0]["provider"], "Anthropic");
    assert_eq!(register["ml_files_without_card"], json!(["ranker/rank.py"]));

    let text = repo.run(&["inventory", ".", "--now", NOW]);
    assert!(
        text.stdout.contains("AI system without a model card (not in the register): ranker: ranker/rank.py; uses claude-3-5-haiku-latest (Anthropic)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("bert-base-uncased, gpt-4o-mini (OpenAI)"),
        "{}",
        text.stdout
    );

    let bom = repo.run(&["inventory", ".", "--now", NOW, "--format", "cyclonedx"]);
    let bom: serde_json::Value = serde_json::from_str(&bom.stdout).expect("JSON");
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.6");
    let refs: Vec<&str> = bom["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["bom-ref"].as_str())
        .collect();
    assert_eq!(
        refs,
        [
            "system:chat",
            "system:ranker",
            "model:bert-base-uncased",
            "model:claude-3-5-haiku-latest",
            "model:gpt-4o-mini"
        ]
    );
    let services: Vec<&str> = bom["services"]
        .as_array()
        .expect("services")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(services, ["Anthropic", "OpenAI"]);
    let chat_deps = bom["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .find(|d| d["ref"] == "system:chat")
        .expect("chat's dependencies");
    assert_eq!(
        chat_deps["dependsOn"],
        json!([
            "model:bert-base-uncased",
            "model:gpt-4o-mini",
            "service:OpenAI"
        ])
    );
}
