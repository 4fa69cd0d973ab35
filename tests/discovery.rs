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

#[test]
fn gitignore_is_honoured_without_a_git_dir() {
    let repo = Repo::with(&[
        (".gitignore", "ignored/\n*.tmp.py\n"),
        ("ignored/model_card.yaml", &failing_card()),
        ("ignored/train.py", "x = 1\n"),
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
        (".venv/lib/train.py", "x = 1\n"),
        ("node_modules/pkg/model_card.yaml", &bad),
        ("node_modules/pkg/train.py", "x = 1\n"),
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
        (".experiments/v2/train.py", "x = 1\n"),
        ("venv/lib/site/model.pt", "pt"),
        (".gitignore", "venv/\n"),
        ("sys/.ipynb_checkpoints/eda-checkpoint.ipynb", "{}"),
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

/// Renaming a card away does not fold its model into the system above, and
/// weights named *.bin with a fine-tuning script are ML code.
#[test]
fn weights_and_training_code_are_a_system_of_their_own() {
    let repo = Repo::with(&[
        ("models/model_card.yaml", MINIMAL_CARD),
        ("models/ranker/pytorch_model.bin", "bin"),
        ("models/ranker/finetune_ranker.py", "x = 1\n"),
        ("models/ranker/CARD.old.md", "# was the model card\n"),
        ("models/tools/export.py", "x = 1\n"),
        ("models/tools/cache.bin", "bin"),
        ("models/eval/train_eval.ipynb", "{}"),
        ("standalone/pytorch_model.bin", "bin"),
        ("standalone/fine_tune.py", "x = 1\n"),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let mut missing: Vec<String> = run
        .rule("model-card-missing")
        .into_iter()
        .map(|f| f.file)
        .collect();
    missing.sort();
    assert_eq!(
        missing,
        [
            "models/ranker/finetune_ranker.py",
            "models/ranker/pytorch_model.bin",
            "standalone/fine_tune.py",
            "standalone/pytorch_model.bin",
        ],
        "{}",
        run.describe()
    );
    let folded = &run.rule("model-card-missing")[0];
    assert!(
        folded
            .message
            .contains("models/model_card.yaml does not cover"),
        "{}",
        folded.message
    );
    // Training code alone below a card is still that system's.
    let systems = repo.inspect_systems();
    assert_eq!(
        systems[0]["system"]["ml_files"],
        serde_json::json!(["models/eval/train_eval.ipynb"])
    );
}

#[test]
fn ml_code_without_a_card() {
    let repo = Repo::with(&[
        ("sys/model_card.yaml", MINIMAL_CARD),
        ("pipelines/churn/train.py", "x = 1\n"),
        ("weights/model.safetensors", "..."),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    let mut files: Vec<(String, u64)> = run
        .rule("model-card-missing")
        .into_iter()
        .map(|f| (f.file, f.line))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ("pipelines/churn/train.py".to_string(), 1),
            ("weights/model.safetensors".to_string(), 1)
        ]
    );
}

/// A framework's Trainer module (transformers, fairseq, Lightning) is not a
/// training script: seen as noise on fairseq 0.12.2 (docs/adopting.md).
#[test]
fn trainer_modules_are_not_training_scripts() {
    let repo = Repo::with(&[
        ("lib/trainer.py", "class Trainer: ...\n"),
        ("lib/trainer_utils.py", "x = 1\n"),
        ("cli/train.py", "x = 1\n"),
    ]);
    let files = |run: &Run| -> Vec<String> {
        run.rule("model-card-missing")
            .into_iter()
            .map(|f| f.file)
            .collect()
    };
    assert_eq!(files(&repo.check(&[])), ["cli/train.py"]);
    // A repository that calls its own training script trainer.py says so.
    repo.write(
        "aimsgate.toml",
        "[discovery]\nml_code = [\"lib/trainer.py\"]\n",
    );
    assert_eq!(files(&repo.check(&[])), ["cli/train.py", "lib/trainer.py"]);
}

#[test]
fn card_in_a_parent_directory_owns_ml_code() {
    let repo = Repo::with(&[
        ("proj/model_card.yaml", MINIMAL_CARD),
        ("proj/src/deep/train.py", "x = 1\n"),
        ("proj/notebooks/eda.ipynb", "{}"),
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
        ("svc/train.py", "x = 1\n"),
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
        ("experiments/b/train.py", "x = 1\n"),
        ("sys/model_card.yaml", MINIMAL_CARD),
    ]);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(system_ids(&run), ["sys"]);
}

#[test]
fn readme_is_a_card_only_with_model_front_matter() {
    let repo = Repo::with(&[
        ("docs/README.md", "# Docs\n\nNothing to see.\n"),
        ("docs/train.py", "x = 1\n"),
        (
            "hf/README.md",
            "---\nlicense: mit\npipeline_tag: text-classification\n---\n\n# A model\n",
        ),
    ]);
    let run = repo.check(&[]);
    assert_eq!(system_ids(&run), ["hf"]);
    run.expect("model-card-missing", "docs/train.py", 1);
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
        ("x/train.py", "x = 1\n"),
        ("y/train.py", "y = 1\n"),
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
    repo.write("b/train.py", "z = 2\n");
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
