use super::*;

fn scan_as(name: &str, code: &str) -> Option<FileEvidence> {
    let table = table::compile(&[]).expect("table");
    let kind = source_kind(name).expect("a source file");
    scan_bytes(name, kind, code.as_bytes(), &table, PARSE_BUDGET)
}

/// `kind call line model entry|inner` for each call.
fn calls(name: &str, code: &str) -> Vec<String> {
    scan_as(name, code)
        .map(|e| {
            e.calls
                .iter()
                .map(|c| {
                    format!(
                        "{} {} {} {} {}",
                        table::kind_word(c.kind),
                        c.call,
                        c.line,
                        c.model.as_deref().unwrap_or("-"),
                        if c.entry { "entry" } else { "inner" }
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn an_llm_client_and_its_calls() {
    let code = r#"
import os
from openai import OpenAI

client = OpenAI(api_key=os.environ["KEY"])
MODEL = "gpt-4o-mini"

def screen(cv):
    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": cv}])
"#;
    assert_eq!(
        calls("app/screen.py", code),
        [
            "hosted OpenAI 5 - entry",
            "hosted client.chat.completions.create 9 gpt-4o-mini inner"
        ]
    );
    let evidence = scan_as("app/screen.py", code).expect("evidence");
    assert_eq!(
        evidence.describe(),
        "imports openai; calls OpenAI at 5; calls client.chat.completions.create at 9"
    );
    assert_eq!(evidence.calls[1].provider.as_deref(), Some("OpenAI"));
}

#[test]
fn a_model_fitted_and_saved() {
    let code = "import joblib\nfrom sklearn.linear_model import LogisticRegression\n\ndef train(X, y):\n    clf = LogisticRegression(max_iter=200)\n    clf.fit(X, y)\n    joblib.dump(clf, \"model.joblib\")\n";
    assert_eq!(
        calls("model.py", code),
        ["training clf.fit 6 - inner", "saving joblib.dump 7 - inner"]
    );
}

#[test]
fn library_methods_are_not_entry_points() {
    // A library method that trains and loads whatever its caller gives it.
    let code = "import torch\n\nclass Trainer:\n    def train(self, model, path):\n        state = torch.load(path)\n        model.load_state_dict(state)\n        for batch in self.data:\n            loss = model(batch)\n            loss.backward()\n            self.optimizer.step()\n";
    assert_eq!(
        calls("lib/trainer.py", code),
        [
            "loading torch.load 5 - inner",
            "training loss.backward 9 - inner",
            "training self.optimizer.step 10 - inner"
        ]
    );
}

#[test]
fn a_script_trains_for_itself() {
    let code = "import torch\n\ndef main():\n    opt = torch.optim.AdamW(params)\n    loss.backward()\n    opt.step()\n\nif __name__ == '__main__':\n    main()\n";
    assert_eq!(
        calls("pretrain/run_clm.py", code),
        [
            "training loss.backward 5 - entry",
            "training opt.step 6 - entry"
        ]
    );
}

#[test]
fn hugging_face_models_are_named() {
    let code = "from transformers import AutoModel, pipeline\nm = AutoModel.from_pretrained(\"bert-base-uncased\")\np = pipeline(\"sentiment-analysis\", model=\"distilbert-base-uncased-finetuned-sst-2-english\")\n";
    assert_eq!(
        calls("infer.py", code),
        [
            "loading AutoModel.from_pretrained 2 bert-base-uncased entry",
            "loading pipeline 3 distilbert-base-uncased-finetuned-sst-2-english entry"
        ]
    );
}

#[test]
fn a_library_re_exported_by_the_repository() {
    let code =
        "from aider.llm import litellm\n\ndef send(**kw):\n    return litellm.completion(**kw)\n";
    assert_eq!(
        calls("aider/models.py", code),
        ["hosted litellm.completion 4 - inner"]
    );
    let lazy = "import importlib\nclass Lazy:\n    def load(self):\n        self.m = importlib.import_module('litellm')\n";
    let evidence = scan_as("aider/llm.py", lazy).expect("imports litellm");
    assert_eq!(evidence.imports[0].library, "LiteLLM");
}

#[test]
fn model_classes_are_counted() {
    let code = "import torch.nn as nn\nfrom transformers import PreTrainedModel\nclass A(nn.Module): pass\nclass B(PreTrainedModel): pass\nclass C(object): pass\n";
    let evidence = scan_as("m.py", code).expect("evidence");
    assert_eq!(evidence.model_classes, 2);
}

#[test]
fn imports_alone_are_not_calls_and_other_code_shows_nothing() {
    let evidence = scan_as("models/net.py", "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return self.fc(x)\n")
        .expect("imports are listed");
    assert!(evidence.calls.is_empty());
    assert!(!evidence.is_strong());
    assert!(scan_as(
        "web/app.py",
        "import flask\napp = flask.Flask(__name__)\napp.run()\n"
    )
    .is_none());
    // A method named like a model call, on something that is not a model.
    assert!(calls("util.py", "import json\nresult = parser.fit(x)\n").is_empty());
}

#[test]
fn bedrock_only_with_its_service_name() {
    let code = "import boto3\ns3 = boto3.client('s3')\nbr = boto3.client('bedrock-runtime')\nbr.converse(modelId='anthropic.claude-3-haiku', messages=[])\n";
    assert_eq!(
        calls("svc.py", code),
        [
            "hosted boto3.client 3 - entry",
            "hosted br.converse 4 anthropic.claude-3-haiku entry"
        ]
    );
}

#[test]
fn javascript_and_typescript_clients() {
    let code = "import OpenAI from \"openai\";\nconst client = new OpenAI();\nexport async function ask(q) {\n  return client.chat.completions.create({ model: \"gpt-4o\", messages: [] });\n}\n";
    assert_eq!(
        calls("src/ask.js", code),
        [
            "hosted OpenAI 2 - entry",
            "hosted client.chat.completions.create 4 gpt-4o inner"
        ]
    );
    let ts = "import { generateText } from 'ai';\nimport { anthropic } from '@ai-sdk/anthropic';\nclass Bot {\n  private readonly model = anthropic('claude-3-5-sonnet-latest');\n  async reply(prompt: string) {\n    return generateText({ model: this.model, prompt });\n  }\n}\n";
    assert_eq!(
        calls("src/bot.ts", ts),
        [
            "hosted anthropic 4 claude-3-5-sonnet-latest entry",
            "hosted generateText 6 - inner"
        ]
    );
    let cjs = "const { Anthropic } = require('@anthropic-ai/sdk');\nconst a = new Anthropic();\na.messages.create({model: 'claude-3-opus', max_tokens: 10});\n";
    assert_eq!(
        calls("index.cjs", cjs),
        [
            "hosted Anthropic 2 - entry",
            "hosted a.messages.create 3 claude-3-opus entry"
        ]
    );
}

#[test]
fn notebooks_point_at_their_lines() {
    let nb = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"from sklearn.model_selection import cross_val_score\\n\",\n    \"from sklearn.linear_model import LogisticRegression\\n\",\n    \"cross_val_score(LogisticRegression(), X, y)\"\n   ]\n  }\n ],\n \"nbformat\": 4\n}\n";
    assert_eq!(
        calls("eda.ipynb", nb),
        ["training cross_val_score 8 - entry"]
    );
}

#[test]
fn broken_and_binary_input_is_never_fatal() {
    // tree-sitter recovers from syntax errors; what parses still counts.
    let broken = "import openai\nclient = openai.OpenAI(\ndef (((\n";
    assert!(scan_as("x.py", broken).is_some());
    assert!(scan_as("x.py", "import torch\0\0\0").is_none());
    let deep = format!(
        "import torch\nx = {}1{}\n",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    let _ = scan_as("deep.py", &deep);
    let evidence = scan_as(
        "bad.ipynb",
        "{\"cells\": [ {\"cell_type\": \"code\", \"source\": \"import torch\" ",
    )
    .expect("noted");
    assert!(evidence.unread.is_some());
}

#[test]
fn artifacts_by_name() {
    assert!(artifact("MODEL.ONNX", false).is_some());
    assert!(artifact("MLmodel", false).is_some());
    assert!(artifact("config.json", false).is_none());
    assert!(artifact("config.json", true).is_some());
    assert!(artifact("data.bin", false).is_none());
    assert!(weak_artifact("pytorch_model.BIN").is_some());
}
