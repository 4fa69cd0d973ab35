//! What is a system, what is ML code without a card, and which systems a
//! scoped run (`--files`, `--changed-since`) selects.

mod common;

use common::*;
use std::process::Command;

fn system_ids(run: &Run) -> Vec<String> {
    run.doc()["systems"]
        .as_array()
        .expect("systems array")
        .iter()
        .map(|s| s["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn finding_systems(run: &Run) -> Vec<String> {
    let mut ids: Vec<String> = run
        .findings()
        .into_iter()
        .filter_map(|f| f.system)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A card that fails (no owner), so that a system shows up in findings.
fn failing_card() -> String {
    MINIMAL_CARD.replace("owner: {name: Workplace IT, contact: it@example.com}\n", "")
}

// ---------------------------------------------------------------------------
// 4. Discovery

/// The files of each model-card-missing finding, and where it points.
fn missing(run: &Run) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = run
        .rule("model-card-missing")
        .into_iter()
        .map(|f| (f.file, f.line))
        .collect();
    out.sort();
    out
}

fn notes(run: &Run) -> Vec<String> {
    let mut out: Vec<String> = run
        .rule("ml-code-skipped")
        .into_iter()
        .map(|f| f.file)
        .collect();
    out.sort();
    out
}

#[test]
fn gitignore_is_honoured_without_a_git_dir() {
    let repo = Repo::with(&[
        (".gitignore", "ignored/\n*.tmp.py\n"),
        ("ignored/model_card.yaml", &failing_card()),
        ("ignored/train.py", TRAINING),
        ("sys/model_card.yaml", MINIMAL_CARD),
    ]);
    assert!(!repo.path().join(".git").exists());
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(system_ids(&run), ["sys"]);
    assert!(run
        .findings()
        .iter()
        .all(|f| !f.file.starts_with("ignored/")));
}

#[test]
fn hidden_and_vendored_directories_are_skipped() {
    let bad = failing_card();
    let repo = Repo::with(&[
        (".hidden/model_card.yaml", &bad),
        (".venv/lib/train.py", TRAINING),
        ("node_modules/pkg/model_card.yaml", &bad),
        ("node_modules/pkg/train.py", TRAINING),
        ("vendor/lib/model_card.yaml", &bad),
        ("vendor/lib/model.onnx", "onnx"),
        ("sys/model_card.yaml", MINIMAL_CARD),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(system_ids(&run), ["sys"]);
    assert!(run.findings().is_empty(), "{}", run.describe());
}

/// Issue 15, class 9: what git tracks as the repository's own is never
/// skipped in silence. Untracked (an installed virtualenv) stays quiet; a
/// tracked model under third_party/ or a hidden directory is a note in
/// every output until [discovery] include or exclude decides it.
#[test]
fn tracked_ml_code_in_skipped_directories_is_noted() {
    let bad = failing_card();
    let repo = Repo::with(&[
        ("third_party/ranker/model_card.yaml", bad.as_str()),
        ("third_party/ranker/model.onnx", "onnx"),
        (".experiments/v2/train.py", TRAINING),
        ("venv/lib/site/model.pt", "pt"),
        (".gitignore", "venv/\n"),
        ("sys/.ipynb_checkpoints/eda-checkpoint.ipynb", NOTEBOOK),
        ("sys/model_card.yaml", MINIMAL_CARD),
    ]);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    let run = repo.check(&[]);
    assert_eq!(
        run.code,
        0,
        "notes do not fail the gate:\n{}",
        run.describe()
    );
    assert_eq!(system_ids(&run), ["sys"]);
    let notes: Vec<(String, String)> = run
        .rule("ml-code-skipped")
        .into_iter()
        .map(|f| (f.file, f.severity))
        .collect();
    assert_eq!(
        notes,
        [
            (".experiments/v2/train.py".to_string(), "note".to_string()),
            (
                "third_party/ranker/model.onnx".to_string(),
                "note".to_string()
            ),
        ],
        "{}",
        run.describe()
    );
    let note = &run.rule("ml-code-skipped")[1];
    assert!(note.message.contains("2 files"), "{}", note.message);
    assert!(
        note.message.contains("vendored directory"),
        "{}",
        note.message
    );
    assert_eq!(run.summary("notes"), 2);
    assert!(repo
        .check_text(&[])
        .stdout
        .contains("0 warnings, 2 notes, 0 waived"));

    // Every output carries the note.
    for (format, needle) in [
        ("sarif", "\"ruleId\": \"ml-code-skipped\""),
        ("github", "::notice file=third_party/ranker/model.onnx"),
        ("gitlab", "\"check_name\": \"ml-code-skipped\""),
        ("markdown", "ml-code-skipped"),
        ("junit", "ml-code-skipped"),
    ] {
        let out = repo.run(&["check", ".", "--now", NOW, "--format", format]);
        assert!(
            out.stdout.contains(needle),
            "{format} lacks {needle}:\n{}",
            out.stdout
        );
    }

    // Decided: the ranker is ours and checked; the experiments are not.
    repo.write(
        "aimsgate.toml",
        "[discovery]\ninclude = [\"third_party/ranker/**\"]\nexclude = [\".experiments/**\"]\n",
    );
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(run.rule("ml-code-skipped").is_empty(), "{}", run.describe());
    assert_eq!(system_ids(&run), ["sys", "third_party/ranker"]);
    assert_eq!(finding_systems(&run), ["third_party/ranker"]);
}

/// Issue 22: an LLM service and a scikit-learn model fitted and saved in
/// `model.py`, named nothing like `train*.py`: one system, one finding,
/// naming both files and what each does.
#[test]
fn a_cv_screening_service_is_one_system_naming_both_files() {
    let repo = Repo::with(&[
        ("requirements.txt", "fastapi\nopenai>=1.40\nscikit-learn\njoblib\n"),
        (
            "app/screen.py",
            "import os\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n\n\ndef rank(cv: str) -> str:\n    reply = client.chat.completions.create(\n        model=\"gpt-4o-mini\",\n        messages=[{\"role\": \"user\", \"content\": cv}],\n    )\n    return reply.choices[0].message.content\n",
        ),
        (
            "app/model.py",
            "import joblib\nimport pandas as pd\nfrom sklearn.ensemble import GradientBoostingClassifier\n\n\ndef fit(path):\n    df = pd.read_csv(path)\n    clf = GradientBoostingClassifier()\n    clf.fit(df.drop(columns=[\"hired\"]), df[\"hired\"])\n    joblib.dump(clf, \"shortlist.joblib\")\n",
        ),
        ("app/api.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let found = run.rule("model-card-missing");
    assert_eq!(found.len(), 1, "{}", run.describe());
    let f = &found[0];
    assert_eq!((f.file.as_str(), f.line, f.column), ("app/model.py", 9, 5));
    for needle in [
        "the repository holds",
        "app/model.py (imports sklearn.ensemble; trains with clf.fit at 9; saves a model with joblib.dump at 10)",
        "app/screen.py (imports openai; calls OpenAI at 4; calls client.chat.completions.create at 8)",
    ] {
        assert!(f.message.contains(needle), "{needle}\n{}", f.message);
    }
    assert!(!f.message.contains("api.py"), "{}", f.message);
    // A card for the service settles it.
    repo.write("MODEL_CARD.md", format!("---\n{}---\n", failing_card()));
    let run = repo.check(&[]);
    assert!(
        run.rule("model-card-missing").is_empty(),
        "{}",
        run.describe()
    );
    let systems = repo.inspect_systems();
    assert_eq!(
        systems[0]["system"]["ml_files"],
        serde_json::json!(["app/model.py", "app/screen.py"])
    );
}

/// Names do not make ML code, and content does, in any name and case.
#[test]
fn ml_code_is_known_by_what_it_does() {
    let repo = Repo::with(&[
        ("cli/train.py", "import argparse\nprint('no model here')\n"),
        ("pretrain/run_clm.py", "import torch\n\ndef main():\n    loss.backward()\n\nif __name__ == '__main__':\n    main()\n"),
        ("weights/Model.SAFETENSORS", "..."),
        ("web/index.ts", "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\nexport const ask = (q: string) => client.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 100, messages: [] });\n"),
    ]);
    let run = repo.check(&[]);
    let found = run.rule("model-card-missing");
    assert_eq!(found.len(), 1, "{}", run.describe());
    let message = &found[0].message;
    for needle in ["pretrain/run_clm.py", "weights/Model.SAFETENSORS (model weights (.safetensors))", "web/index.ts (imports @anthropic-ai/sdk; calls Anthropic at 2; calls client.messages.create at 3)"] {
        assert!(message.contains(needle), "{needle}\n{message}");
    }
    assert!(!message.contains("cli/train.py"), "{message}");
}

/// A project of its own (a dependency manifest) is a system of its own.
#[test]
fn one_system_per_project() {
    let repo = Repo::with(&[
        (
            "services/chat/package.json",
            "{\"name\": \"chat\", \"dependencies\": {\"openai\": \"^4\"}}",
        ),
        (
            "services/chat/src/bot.js",
            "const OpenAI = require('openai');\nconst c = new OpenAI();\n",
        ),
        (
            "services/churn/pyproject.toml",
            "[project]\nname = \"churn\"\ndependencies = [\"xgboost\"]\n",
        ),
        (
            "services/churn/churn/fit.py",
            "import xgboost as xgb\nbooster = xgb.train(params, dtrain)\n",
        ),
        (
            "services/churn/churn/score.py",
            "import xgboost as xgb\nm = xgb.Booster(model_file='churn.json')\n",
        ),
    ]);
    let run = repo.check(&[]);
    assert_eq!(
        missing(&run),
        [
            ("services/chat/src/bot.js".to_string(), 2),
            ("services/churn/churn/fit.py".to_string(), 2)
        ],
        "{}",
        run.describe()
    );
    let churn = &run.at("model-card-missing", "services/churn/churn/fit.py")[0];
    assert!(
        churn.message.starts_with(
            "AI system with no model card: services/churn/ holds services/churn/churn/fit.py"
        ),
        "{}",
        churn.message
    );
    assert!(
        churn.message.contains("services/churn/churn/score.py"),
        "{}",
        churn.message
    );
}

/// Examples, tests, docs and benchmarks hold ML code that is not a system:
/// one note per directory, never an error; include promotes, exclude
/// silences.
#[test]
fn quiet_zones_are_notes() {
    let repo = Repo::with(&[
        ("examples/text_to_image/train_text_to_image.py", TRAINING),
        ("examples/dreambooth/train.py", TRAINING),
        ("docs/tutorials/intro.ipynb", NOTEBOOK),
        ("tests/test_model.py", TRAINING),
        ("src/pkg/test_utils.py", TRAINING),
        ("benchmarks/speed.py", TRAINING),
        ("tests/fixtures/model_card.yaml", &failing_card()),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.summary("errors") + run.summary("warnings"), 0);
    assert_eq!(run.summary("systems"), 0);
    assert_eq!(
        notes(&run),
        [
            "benchmarks/speed.py",
            "docs/tutorials/intro.ipynb",
            "examples/dreambooth/train.py",
            "src/pkg/test_utils.py",
            "tests/fixtures/model_card.yaml",
        ],
        "{}",
        run.describe()
    );
    let example = &run.at("ml-code-skipped", "examples/dreambooth/train.py")[0];
    assert!(
        example.message.contains("examples holds 2 files"),
        "{}",
        example.message
    );
    repo.write(
        "aimsgate.toml",
        "[discovery]\ninclude = [\"examples/dreambooth\"]\nexclude = [\"tests\", \"docs\", \"benchmarks\", \"src\"]\n",
    );
    let run = repo.check(&[]);
    assert_eq!(
        missing(&run),
        [("examples/dreambooth/train.py".to_string(), 3)],
        "{}",
        run.describe()
    );
    assert_eq!(
        notes(&run),
        ["examples/text_to_image/train_text_to_image.py"]
    );
}

/// A project whose packages define many model classes is a framework: its
/// library code trains, loads and calls what its users choose, so it is a
/// note; its scripts that train for themselves are a system.
#[test]
fn a_frameworks_library_code_is_a_note() {
    let mut files: Vec<(String, String)> = vec![
        ("setup.py".into(), "from setuptools import setup\nsetup(name='fw', install_requires=['torch'])\n".into()),
        ("fw/__init__.py".into(), String::new()),
        ("fw/models/__init__.py".into(), String::new()),
        ("fw/trainer.py".into(), "import torch\n\nclass Trainer:\n    def train(self, model, path):\n        model.load_state_dict(torch.load(path))\n        self.optimizer.step()\n".into()),
    ];
    for i in 0..25 {
        files.push((
            format!("fw/models/m{i:02}.py"),
            "import torch.nn as nn\n\nclass Block(nn.Module):\n    pass\n".into(),
        ));
    }
    let repo = Repo::new();
    for (rel, text) in &files {
        repo.write(rel, text);
    }
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(notes(&run), ["fw/models/m00.py"], "{}", run.describe());
    let note = &run.rule("ml-code-skipped")[0];
    assert!(
        note.message.contains(
            "fw is a framework's library code (its project defines models in 25 files or more): 26 files"
        ),
        "{}",
        note.message
    );
    // A script of the repository that trains is the repository's own.
    repo.write(
        "scripts/pretrain.py",
        "import torch\nopt = torch.optim.AdamW(params)\nopt.step()\n",
    );
    let run = repo.check(&[]);
    assert_eq!(
        missing(&run),
        [("scripts/pretrain.py".to_string(), 3)],
        "{}",
        run.describe()
    );
}

/// A copy of another project nested in this one (its own licence and
/// manifest, under another name) is noted as a copy, not checked; a
/// package of the same family is the project's own.
#[test]
fn nested_copies_of_other_projects_are_noted() {
    let repo = Repo::with(&[
        ("pyproject.toml", "[project]\nname = \"acme-ranker\"\n"),
        ("acme_ranker/fit.py", TRAINING),
        ("src/stylegan2/LICENSE.txt", "Copyright NVIDIA\n"),
        (
            "src/stylegan2/setup.py",
            "from setuptools import setup\nsetup(name='stylegan2')\n",
        ),
        ("src/stylegan2/train.py", TRAINING),
        ("packages/acme-ranker-serve/LICENSE", "MIT\n"),
        (
            "packages/acme-ranker-serve/pyproject.toml",
            "[project]\nname = \"acme-ranker-serve\"\n",
        ),
        (
            "packages/acme-ranker-serve/serve.py",
            "import onnxruntime as ort\ns = ort.InferenceSession('ranker.onnx')\n",
        ),
    ]);
    let run = repo.check(&[]);
    assert_eq!(
        missing(&run),
        [
            ("acme_ranker/fit.py".to_string(), 3),
            ("packages/acme-ranker-serve/serve.py".to_string(), 2)
        ],
        "{}",
        run.describe()
    );
    assert_eq!(notes(&run), ["src/stylegan2/train.py"]);
    let note = &run.rule("ml-code-skipped")[0];
    assert!(note.message.contains("src/stylegan2 has a licence and a dependency manifest of its own, so it is taken for a copy of another project"), "{}", note.message);
    // Ours after all: include makes it a system.
    repo.write(
        "aimsgate.toml",
        "[discovery]\ninclude = [\"src/stylegan2\"]\n",
    );
    let run = repo.check(&[]);
    assert!(run.rule("ml-code-skipped").is_empty(), "{}", run.describe());
    assert_eq!(missing(&run).len(), 3, "{}", run.describe());
}

/// Renaming a card away does not fold its model into the system above, and
/// weights named *.bin with the code that trained them are ML code.
#[test]
fn weights_and_training_code_are_a_system_of_their_own() {
    let repo = Repo::with(&[
        ("models/model_card.yaml", MINIMAL_CARD),
        ("models/ranker/pytorch_model.bin", "bin"),
        (
            "models/ranker/finetune_ranker.py",
            "import torch\n\nif __name__ == '__main__':\n    loss.backward()\n",
        ),
        ("models/ranker/CARD.old.md", "# was the model card\n"),
        ("models/tools/export.py", "x = 1\n"),
        ("models/tools/cache.bin", "bin"),
        ("models/eval/train_eval.ipynb", NOTEBOOK),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert_eq!(
        missing(&run),
        [("models/ranker/finetune_ranker.py".to_string(), 4)],
        "{}",
        run.describe()
    );
    let folded = &run.rule("model-card-missing")[0];
    for needle in [
        "models/ranker holds model weights and the code that trained them",
        "models/model_card.yaml does not cover",
        "models/ranker/pytorch_model.bin (model weights (.bin))",
    ] {
        assert!(
            folded.message.contains(needle),
            "{needle}\n{}",
            folded.message
        );
    }
    // Training code alone below a card is still that system's; a .bin
    // beside code that shows nothing is not ML code.
    let systems = repo.inspect_systems();
    assert_eq!(
        systems[0]["system"]["ml_files"],
        serde_json::json!(["models/eval/train_eval.ipynb"])
    );
}

/// Issue 22: `*` never crosses `/`, so a glob for training scripts does not
/// take every file of a `training/` directory.
#[test]
fn globs_follow_gitignore_semantics() {
    let repo = Repo::with(&[
        (
            "aimsgate.toml",
            "[discovery]\nml_code = [\"**/train*.py\"]\n",
        ),
        ("src/training/logger.py", "import logging\n"),
        ("src/trainers/utils.py", "x = 1\n"),
        ("src/train_ranker.py", "x = 1\n"),
    ]);
    let run = repo.check(&[]);
    let found = run.rule("model-card-missing");
    assert_eq!(found.len(), 1, "{}", run.describe());
    assert_eq!(found[0].file, "src/train_ranker.py");
    assert!(
        found[0]
            .message
            .contains("src/train_ranker.py (named as ML code by [discovery] ml_code)"),
        "{}",
        found[0].message
    );
    assert!(!found[0].message.contains("logger"), "{}", found[0].message);
}

/// Card names in any case, several cards in one directory, and
/// `model_cards/` directories whose cards cover the project above them.
#[test]
fn every_card_is_read() {
    let card = |name: &str| format!("---\n{}---\n", failing_card().replace("Spam Filter", name));
    let repo = Repo::with(&[
        ("model_cards/MUSICGEN_MODEL_CARD.md", &card("MusicGen")),
        ("model_cards/AUDIOGEN_MODEL_CARD.md", &card("AudioGen")),
        ("model_cards/magnet_model_card.MD", &card("MAGNeT")),
        (
            "audiocraft/solvers/musicgen.py",
            "import torch\nimport torch.nn as nn\nopt = torch.optim.AdamW(p)\nopt.step()\n",
        ),
        ("svc/Model_Card.yaml", &failing_card()),
        ("svc/model-card.markdown", &card("Svc")),
    ]);
    let run = repo.check(&[]);
    assert_eq!(
        system_ids(&run),
        [
            "model_cards/AUDIOGEN_MODEL_CARD.md",
            "model_cards/MUSICGEN_MODEL_CARD.md",
            "model_cards/magnet_model_card.MD",
            "svc/Model_Card.yaml",
            "svc/model-card.markdown",
        ],
        "{}",
        run.describe()
    );
    assert!(
        run.rule("model-card-missing").is_empty(),
        "{}",
        run.describe()
    );
    let systems = repo.inspect_systems();
    let musicgen = systems
        .iter()
        .find(|s| s["system"]["card"] == "model_cards/MUSICGEN_MODEL_CARD.md")
        .expect("MusicGen");
    assert_eq!(
        musicgen["system"]["ml_files"],
        serde_json::json!(["audiocraft/solvers/musicgen.py"])
    );
}

/// A card may declare the code it covers, so that a card above does not
/// silently cover an unrelated system below it.
#[test]
fn a_card_declares_the_code_it_covers() {
    let repo = Repo::with(&[
        (
            "MODEL_CARD.md",
            &format!("---\n{}code: [ranker/**]\n---\n", failing_card()),
        ),
        ("ranker/fit.py", TRAINING),
        (
            "chatbot/bot.py",
            "import anthropic\nclient = anthropic.Anthropic()\n",
        ),
    ]);
    let run = repo.check(&[]);
    assert_eq!(
        missing(&run),
        [("chatbot/bot.py".to_string(), 2)],
        "{}",
        run.describe()
    );
    let systems = repo.inspect_systems();
    assert_eq!(
        systems[0]["system"]["ml_files"],
        serde_json::json!(["ranker/fit.py"])
    );
}

/// A repository with no AI gets nothing at all: no error, no note.
#[test]
fn a_repository_without_ai_reports_nothing() {
    let repo = Repo::with(&[
        ("pyproject.toml", "[project]\nname = \"web\"\ndependencies = [\"flask\", \"requests\"]\n"),
        ("web/app.py", "import flask\nimport pickle\napp = flask.Flask(__name__)\n\n@app.route('/')\ndef index():\n    return pickle.dumps({'clip': 1})\n"),
        ("tests/test_app.py", "import pickle\nfrom web.app import app\n\ndef test_index():\n    assert app.test_client().get('/').status_code == 200\n"),
        ("docs/conf.py", "project = 'web'\nextensions = ['sphinx.ext.autodoc']\n"),
        ("static/app.js", "import axios from 'axios';\naxios.get('/api');\n"),
        ("README.md", "# Web\n"),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.findings().is_empty(), "{}", run.describe());
}

/// Source that cannot be read is a note, never a crash or a silent pass.
#[test]
fn unreadable_source_is_a_note() {
    let repo = Repo::with(&[
        ("aimsgate.toml", "[limits]\nmax_file_bytes = 2000\n"),
        (
            "gen/big.py",
            &format!("import torch\n{}", "x = 1\n".repeat(1000)),
        ),
        ("bin/tool.py", "\0\0\0import torch\n"),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(notes(&run), ["gen/big.py"], "{}", run.describe());
    assert!(run.rule("ml-code-skipped")[0]
        .message
        .contains("could not read gen/big.py"));
}

/// Issue 22: `aimsgate check` run in a directory of the repository finds
/// the repository root (its aimsgate.toml) and reports what lies in that
/// directory, named relative to it.
#[test]
fn run_in_a_subdirectory_the_repository_root_is_found() {
    let repo = Repo::with(&[
        (
            "aimsgate.toml",
            "[discovery]\nexclude = [\"services/chat/legacy\"]\n",
        ),
        ("services/chat/requirements.txt", "openai\n"),
        (
            "services/chat/bot.py",
            "import openai\nclient = openai.OpenAI()\n",
        ),
        (
            "services/chat/legacy/old.py",
            "import openai\nopenai.ChatCompletion.create(model='gpt-3.5-turbo')\n",
        ),
        ("services/chat/examples/demo.py", TRAINING),
        ("services/churn/requirements.txt", "xgboost\n"),
        (
            "services/churn/fit.py",
            "import xgboost\nxgboost.train({}, d)\n",
        ),
    ]);
    let run_in = |dir: &str| {
        let out = repo
            .command(&["check", "--now", NOW, "--format", "json"])
            .current_dir(repo.path().join(dir))
            .output()
            .expect("run aimsgate");
        Run::from(out).expect_json()
    };
    let run = run_in("services/chat");
    assert_eq!(run.code, 1, "{}", run.describe());
    let files: Vec<String> = run.findings().into_iter().map(|f| f.file).collect();
    // The root's exclude holds, the other service is not reported, and
    // its examples are a note.
    assert_eq!(files, ["bot.py", "examples/demo.py"], "{}", run.describe());
    assert_eq!(run.rule("ml-code-skipped").len(), 1, "{}", run.describe());
    // Run in the examples directory itself, it is what the user checks: a
    // part of the service's system, named from there.
    let run = run_in("services/chat/examples");
    assert_eq!(
        missing(&run),
        [("../bot.py".to_string(), 2)],
        "{}",
        run.describe()
    );
    assert!(run.rule("model-card-missing")[0]
        .message
        .contains("services/chat/examples/demo.py"));
}

#[test]
fn card_in_a_parent_directory_owns_ml_code() {
    let repo = Repo::with(&[
        ("proj/model_card.yaml", MINIMAL_CARD),
        ("proj/src/deep/train.py", TRAINING),
        ("proj/notebooks/eda.ipynb", NOTEBOOK),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.rule("model-card-missing").is_empty());
    let systems = repo.inspect_systems();
    assert_eq!(systems.len(), 1);
    assert_eq!(
        systems[0]["system"]["ml_files"],
        serde_json::json!(["proj/notebooks/eda.ipynb", "proj/src/deep/train.py"])
    );
}

#[test]
fn declared_system_with_a_non_default_card_name() {
    let repo = Repo::with(&[
        (
            "aimsgate.toml",
            "[[systems]]\npath = \"svc\"\ncard = \"svc/governance.yaml\"\n",
        ),
        ("svc/governance.yaml", &failing_card()),
        ("svc/train.py", TRAINING),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(system_ids(&run), ["svc"]);
    assert_eq!(run.doc()["systems"][0]["card"], "svc/governance.yaml");
    let f = run.expect("owner", "svc/governance.yaml", 1);
    assert_eq!(f.system.as_deref(), Some("svc"));
    // The declared system owns the ML code beside it.
    assert!(
        run.rule("model-card-missing").is_empty(),
        "{}",
        run.describe()
    );
}

#[test]
fn discovery_exclude() {
    let repo = Repo::with(&[
        (
            "aimsgate.toml",
            "[discovery]\nexclude = [\"experiments/**\"]\n",
        ),
        ("experiments/a/model_card.yaml", &failing_card()),
        ("experiments/b/train.py", TRAINING),
        ("sys/model_card.yaml", MINIMAL_CARD),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(system_ids(&run), ["sys"]);
}

#[test]
fn readme_is_a_card_only_with_model_front_matter() {
    let repo = Repo::with(&[
        ("guide/README.md", "# Guide\n\nNothing to see.\n"),
        ("guide/train.py", TRAINING),
        (
            "hf/README.md",
            "---\nlicense: mit\npipeline_tag: text-classification\n---\n\n# A model\n",
        ),
    ]);
    let run = repo.check(&[]);
    assert_eq!(system_ids(&run), ["hf"]);
    run.expect("model-card-missing", "guide/train.py", 3);
}

// ---------------------------------------------------------------------------
// 5. Scope

fn three_systems() -> Repo {
    let card = |data: bool| {
        let mut c = failing_card();
        if data {
            c.push_str("datasets:\n  - {id: shared, datasheet: ../data/DATASHEET.md}\n");
        }
        c
    };
    Repo::with(&[
        ("a/model_card.yaml", &card(true)),
        ("b/model_card.yaml", &card(true)),
        ("c/model_card.yaml", &card(false)),
        ("data/DATASHEET.md", DATASHEET),
        ("x/requirements.txt", "scikit-learn\n"),
        ("x/train.py", TRAINING),
        ("y/requirements.txt", "scikit-learn\n"),
        ("y/train.py", TRAINING),
    ])
}

#[test]
fn files_selects_every_system_referencing_a_shared_datasheet() {
    let repo = three_systems();
    let run = repo.check(&["--files", "data/DATASHEET.md"]);
    assert_eq!(run.code, 1);
    assert_eq!(system_ids(&run), ["a", "b"]);
    assert_eq!(run.summary("systems"), 2);
    assert_eq!(finding_systems(&run), ["a", "b"]);
    assert!(
        run.rule("model-card-missing").is_empty(),
        "{}",
        run.describe()
    );
}

#[test]
fn files_with_an_ml_file_without_card_reports_only_it() {
    let repo = three_systems();
    let run = repo.check(&["--files", "x/train.py"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.summary("systems"), 0);
    let files: Vec<String> = run
        .findings()
        .into_iter()
        .map(|f| format!("{}:{}", f.rule, f.file))
        .collect();
    assert_eq!(files, ["model-card-missing:x/train.py"]);
}

#[test]
fn files_inside_a_system_selects_it() {
    let repo = three_systems();
    repo.write("c/eval/notes.txt", "n");
    let run = repo.check(&["--files", "c/eval/notes.txt"]);
    assert_eq!(system_ids(&run), ["c"]);
}

fn git(repo: &Repo, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(repo.path())
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo.path())
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn changed_since_selects_only_the_touched_system() {
    let repo = three_systems();
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "user.name", "Test"]);
    git(&repo, &["config", "user.email", "test@example.com"]);
    git(&repo, &["config", "commit.gpgsign", "false"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    repo.write("b/train.py", TRAINING);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "second"]);
    let run = repo.check(&["--changed-since", "HEAD~1"]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert_eq!(system_ids(&run), ["b"]);
    assert_eq!(finding_systems(&run), ["b"]);
    assert!(
        run.rule("model-card-missing").is_empty(),
        "{}",
        run.describe()
    );
    let inspected = repo.run(&["inspect", ".", "--now", NOW, "--changed-since", "HEAD~1"]);
    let docs: serde_json::Value = serde_json::from_str(&inspected.stdout).expect("JSON");
    assert_eq!(docs[0]["changed"], true);
    assert_eq!(docs[0]["changed_files"], serde_json::json!(["b/train.py"]));
}

#[test]
fn changed_since_outside_git_is_a_tool_error() {
    let repo = three_systems();
    let run = repo.run(&["check", ".", "--now", NOW, "--changed-since", "HEAD~1"]);
    run.assert_tool_error(&["git", "not a git repository"]);
    assert!(
        run.stderr.len() < 300,
        "git's usage text leaked: {}",
        run.stderr
    );
}

#[test]
fn changed_since_an_unknown_revision_is_a_tool_error() {
    let repo = three_systems();
    git(&repo, &["init", "-q"]);
    let run = repo.run(&["check", ".", "--now", NOW, "--changed-since", "no-such-ref"]);
    run.assert_tool_error(&["git", "no-such-ref"]);
}

#[test]
fn a_changed_config_or_policy_scopes_the_run_to_every_system() {
    let repo = Repo::with(&[
        ("a/model_card.yaml", common::MINIMAL_CARD),
        ("b/model_card.yaml", common::MINIMAL_CARD),
        ("aimsgate.toml", "[params]\nmin_group_size = 50\n"),
        (
            "policy/extra.rego",
            "package extra\n\ndeny contains \"x\" if { false }\n",
        ),
    ]);
    for changed in ["aimsgate.toml", "policy/extra.rego"] {
        let run = repo.check(&["--files", changed]);
        assert_eq!(run.summary("systems"), 2, "{changed}: {}", run.describe());
    }
    let one = repo.check(&["--files", "a/model_card.yaml"]);
    assert_eq!(one.summary("systems"), 1);
}
