//! The bytecode VM that evaluates the pack must agree with regorus's
//! interpreter, the reference, finding for finding: on the examples and on
//! every third-party card of the corpus.

use aimsgate::config::Config;
use aimsgate::evaluate::input::Evaluation;
use aimsgate::finding::Finding;
use aimsgate::pipeline::{self, Options};
use aimsgate::tree::Tree;
use std::path::PathBuf;

fn findings(pack: &aimsgate::evaluate::Pack, inputs: &[serde_json::Value]) -> Vec<Finding> {
    let mut out = Vec::new();
    for input in inputs {
        let evaluation = Evaluation {
            subject: "test".into(),
            input: regorus::Value::from(input.clone()),
            system: None,
        };
        if input["kind"] == "repository" {
            out.extend(pack.evaluate_repository(&evaluation).expect("evaluates"));
        } else {
            for per_system in pack
                .evaluate_systems(std::slice::from_ref(&evaluation))
                .expect("evaluates")
            {
                out.extend(per_system);
            }
        }
    }
    out
}

/// One repository holding every corpus file as the card of its own system.
fn corpus_monorepo() -> tempfile::TempDir {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let repo = tempfile::tempdir().expect("tempdir");
    for kind in std::fs::read_dir(&corpus).expect("corpus").flatten() {
        if !kind.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(kind.path()).expect("kind").flatten() {
            let path = file.path();
            let bytes = std::fs::read(&path).expect("reads");
            let text = String::from_utf8_lossy(&bytes);
            let card = match path.extension().and_then(|e| e.to_str()) {
                Some("md") => "MODEL_CARD.md",
                Some("json") if text.contains("\"bomFormat\"") => "bom.json",
                _ => "model_card.json",
            };
            let dir = repo
                .path()
                .join(kind.file_name())
                .join(path.file_stem().expect("stem"));
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join(card), &bytes).expect("writes");
        }
    }
    repo
}

#[test]
fn vm_and_interpreter_agree_on_examples_and_corpus() {
    let corpus = corpus_monorepo();
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut compared = 0;
    for dir in [examples.as_path(), corpus.path()] {
        let options = Options {
            roots: vec![dir.to_path_buf()],
            now: "2026-11-29".into(),
            ..Default::default()
        };
        let inputs = pipeline::inspect(&options).expect("inspects");
        assert!(inputs.len() > 5, "{} has systems", dir.display());
        let tree = Tree::work(dir).expect("tree");
        let config = Config::load(None, &tree).expect("config");
        let vm = pipeline::compile(&options, &config, &tree).expect("compiles");
        assert!(vm.uses_vm(), "the built-in pack compiles to bytecode");
        let mut interpreter = pipeline::compile(&options, &config, &tree).expect("compiles");
        interpreter.interpreter_only();
        assert!(!interpreter.uses_vm());

        let from_vm = findings(&vm, &inputs);
        let from_interpreter = findings(&interpreter, &inputs);
        let dir = dir.display();
        assert_eq!(vm.vm_fallbacks(), 0, "the VM answered every input of {dir}");
        assert!(!from_vm.is_empty(), "{dir} has findings to compare");
        assert_eq!(from_vm, from_interpreter, "{dir}");
        compared += from_vm.len();
    }
    assert!(compared > 100, "compared {compared} findings");
}

#[test]
fn a_policy_the_vm_cannot_compile_is_evaluated_by_the_interpreter() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("with.rego"),
        "package acme.with_keyword\n\nname := input.record.name\n\n\
         deny contains \"unnamed\" if {\n\tnot name\n}\n\n\
         deny contains \"shadowed\" if {\n\tname == \"x\" with input.record.name as \"x\"\n}\n",
    )
    .expect("writes");
    let options = Options {
        roots: vec![dir.path().to_path_buf()],
        policies: vec![dir.path().to_path_buf()],
        no_builtin: true,
        now: "2026-11-29".into(),
        ..Default::default()
    };
    let tree = Tree::work(dir.path()).expect("tree");
    let pack = pipeline::compile(&options, &Config::default(), &tree).expect("compiles");
    assert!(
        !pack.uses_vm(),
        "`with` is not supported by the bytecode compiler"
    );
    let input = serde_json::json!({"kind": "system", "record": {}});
    let found = findings(&pack, &[input]);
    let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(messages, ["shadowed", "unnamed"]);
}

#[test]
fn records_go_to_policies_exactly_as_their_json() {
    use aimsgate::load::document::{Document, Format};
    use aimsgate::load::format::Limits;
    let mut files = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples")];
    files.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"));
    let mut compared = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                std::fs::read_dir(&path)
                    .expect("dir")
                    .flatten()
                    .map(|e| e.path()),
            );
            continue;
        }
        let name = path.to_string_lossy().to_string();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let doc = Document::parse(
            name.as_str().into(),
            Format::of(&name),
            &text,
            &Limits::default(),
        );
        let direct = doc.data.to_value();
        assert_eq!(direct, regorus::Value::from(doc.data.to_json()), "{name}");
        compared += 1;
    }
    // Repeated keys, big and fractional numbers, nesting.
    let yaml = "a: 1\na: 2\nbig: 123456789012345678901234567890\nf: 0.91\nneg: -3\nl: [1, {x: null}, true]\n";
    let doc = Document::parse(
        "t.yaml".into(),
        Format::of("t.yaml"),
        yaml,
        &Limits::default(),
    );
    assert_eq!(
        doc.data.to_value(),
        regorus::Value::from(doc.data.to_json())
    );
    assert!(compared > 40, "compared {compared} documents");
}
