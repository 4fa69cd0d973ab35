//! Hostile repositories, run through the real binary: every one ends in a
//! finding (exit 1) or a one-line tool error (exit 2), never a hang, a crash
//! or a pass. SPEC section 9.
//!
//! Wall-clock bounds here are hang guards, generous for a loaded CI machine,
//! not speed measurements (benches/ measures speed). Already covered elsewhere
//! and not repeated: a binary model_card.json, a 5 MB card, invalid UTF-8,
//! an absolute or `../` impact_assessment and symlinks out of the repository
//! for a card, a directory and an impact assessment (tests/check.rs); loader
//! level nesting and alias bombs (tests/loaders_prop.rs).

mod common;

use common::{Repo, Run, HIGH_CARD, MINIMAL_CARD, NOW, TRAINING};
use std::time::{Duration, Instant};

/// Generous: a debug binary on a loaded two-core machine.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// `aimsgate check . --format json` under the hang guard.
fn check(repo: &Repo, extra: &[&str]) -> Run {
    let started = Instant::now();
    let run = repo.check(extra);
    assert!(
        started.elapsed() < HANG_GUARD,
        "took {:?}: {}",
        started.elapsed(),
        run.describe()
    );
    assert!(
        run.code == 1 || run.code == 2,
        "hostile input must fail the gate or the tool, got exit {}: {}",
        run.code,
        run.describe()
    );
    assert!(!run.stderr.contains("panicked"), "panic: {}", run.stderr);
    run
}

/// A card-invalid finding on `file` whose message mentions every one of `words`.
fn assert_card_invalid(run: &Run, file: &str, words: &[&str]) {
    assert_eq!(run.code, 1, "{}", run.describe());
    let found = run.rule("card-invalid");
    assert!(
        found
            .iter()
            .any(|f| f.file == file && words.iter().all(|w| f.message.contains(w))),
        "no card-invalid on {file} mentioning {words:?}:\n{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------
// Resource bombs

#[test]
fn billion_laughs_yaml_card() {
    let mut card = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let list = [prev.as_str(); 10].join(", ");
        card.push_str(&format!("a{i}: &a{i} [{list}]\n"));
    }
    card.push_str(MINIMAL_CARD);
    let repo = Repo::with(&[("model_card.yaml", &card)]);
    let run = check(&repo, &[]);
    assert_card_invalid(&run, "model_card.yaml", &["does not parse"]);
}

fn deep(open: &str, close: &str, depth: usize) -> String {
    let mut s = open.repeat(depth);
    s.push_str(&close.repeat(depth));
    s
}

#[test]
fn two_hundred_thousand_deep_cards() {
    const DEPTH: usize = 200_000;
    let yaml = format!("name: x\nnested: {}\n", deep("[", "]", DEPTH));
    let json = format!("{{\"name\": \"x\", \"nested\": {}}}", deep("[", "]", DEPTH));
    let toml = format!("name = \"x\"\nnested = {}\n", deep("[", "]", DEPTH));
    let toml_tables = format!(
        "name = \"x\"\nnested = {}1{}\n",
        "{a = ".repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    let yaml_block: String = (0..DEPTH.min(20_000))
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    for (file, text) in [
        ("model_card.yaml", yaml),
        ("model_card.json", json),
        ("model_card.toml", toml),
        ("model_card.toml", toml_tables),
        ("model_card.yaml", yaml_block),
    ] {
        let repo = Repo::with(&[(file, &text)]);
        let run = check(&repo, &[]);
        assert_card_invalid(&run, file, &["does not parse"]);
    }
    // The same as front matter of a Markdown card.
    let md = format!(
        "---\nname: x\nnested: {}\n---\n# Card\n",
        deep("[", "]", DEPTH)
    );
    let repo = Repo::with(&[("MODEL_CARD.md", &md)]);
    let run = check(&repo, &[]);
    assert_card_invalid(&run, "MODEL_CARD.md", &["does not parse"]);
}

#[test]
fn fifty_megabyte_card_written_in_full() {
    let repo = Repo::new();
    let mut card = String::from(MINIMAL_CARD);
    card.push_str("notes:\n");
    let line = "  - lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n";
    let target = 50 * 1024 * 1024;
    card.reserve(target);
    while card.len() < target {
        card.push_str(line);
    }
    repo.write("model_card.yaml", &card);
    drop(card);
    let run = check(&repo, &[]);
    assert_card_invalid(&run, "model_card.yaml", &["limit"]);
}

#[test]
fn fifty_megabyte_linked_document() {
    let repo = Repo::new();
    repo.write(
        "model_card.yaml",
        format!("{MINIMAL_CARD}impact_assessment: IA.md\n"),
    );
    let file = std::fs::File::create(repo.path().join("IA.md")).expect("create");
    file.set_len(50 * 1024 * 1024).expect("grow");
    let run = check(&repo, &[]);
    assert_card_invalid(&run, "IA.md", &["limit"]);
}

#[test]
fn binary_cards_in_every_format() {
    // Random-looking bytes with a NUL early (binary) and without one (not UTF-8).
    let noisy: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let no_nul: Vec<u8> = noisy.iter().map(|b| b | 0x80).collect();
    for name in ["MODEL_CARD.md", "model_card.yaml", "model_card.toml"] {
        for bytes in [&noisy, &no_nul] {
            let repo = Repo::new();
            repo.write(name, bytes.as_slice());
            let run = check(&repo, &[]);
            assert_card_invalid(&run, name, &["does not parse"]);
        }
    }
}

// ---------------------------------------------------------------------------
// Symlinks

#[cfg(unix)]
#[test]
fn symlink_loops_end() {
    let repo = Repo::with(&[(
        "sys/model_card.yaml",
        &format!("{MINIMAL_CARD}impact_assessment: loop.md\nmonitoring: {{plan: self.md}}\n"),
    )]);
    repo.symlink("..", "sys/up");
    repo.symlink("b", "sys/a");
    repo.symlink("a", "sys/b");
    repo.symlink("loop.md", "sys/loop.md");
    repo.symlink("self.md", "sys/self.md");
    // A card that is a loop: not a system, the scan goes on.
    repo.symlink("model_card.yaml", "other/model_card.yaml");
    let run = check(&repo, &[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert_eq!(run.summary("systems"), 1, "{}", run.describe());
    let found = run.rule("card-invalid");
    for field in ["impact_assessment", "monitoring.plan"] {
        assert!(
            found.iter().any(|f| f.field.as_deref() == Some(field)),
            "no card-invalid for the {field} loop:\n{}",
            run.describe()
        );
    }
}

#[cfg(unix)]
#[test]
fn linked_document_through_a_symlinked_directory_out_of_the_repository() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("ia.md"), common::IMPACT_ASSESSMENT).expect("write");
    let repo = Repo::with(&[(
        "sys/model_card.yaml",
        &format!("{MINIMAL_CARD}impact_assessment: out/ia.md\n"),
    )]);
    repo.symlink(outside.path(), "sys/out");
    let run = check(&repo, &[]);
    assert_card_invalid(&run, "sys/model_card.yaml", &["leaves the repository"]);
    assert_eq!(
        repo.inspect_systems()[0]["record"]["impact_assessment"],
        "out/ia.md"
    );
}

/// A secret beside the repository, as `~/.docker/config.json` is on a runner.
#[cfg(unix)]
fn secret_outside() -> tempfile::TempDir {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        outside.path().join("config.json"),
        "{\"auths\": {\"registry\": {\"auth\": \"SECRET-RUNNER-CREDENTIAL\"}}}\nhuman_oversight: {mode: SECRET-RUNNER-CREDENTIAL}\n",
    )
    .expect("write");
    outside
}

#[cfg(unix)]
fn assert_secret_never_shown(repo: &Repo, run: &Run) {
    assert!(!run.stdout.contains("SECRET-RUNNER"), "{}", run.stdout);
    assert!(!run.stderr.contains("SECRET-RUNNER"), "{}", run.stderr);
    let inspect = repo.run(&["inspect", ".", "--now", NOW]);
    assert!(
        !inspect.stdout.contains("SECRET-RUNNER"),
        "{}",
        inspect.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_sidecar_symlinked_out_of_the_repository_is_never_read() {
    let outside = secret_outside();
    let repo = Repo::with(&[("sys/model_card.yaml", MINIMAL_CARD)]);
    repo.symlink(outside.path().join("config.json"), "sys/aimsgate.yaml");
    let run = check(&repo, &[]);
    assert_card_invalid(&run, "sys/aimsgate.yaml", &["leaves the repository"]);
    assert_secret_never_shown(&repo, &run);
}

#[cfg(unix)]
#[test]
fn a_configured_card_symlinked_out_of_the_repository_is_never_read() {
    let outside = secret_outside();
    let repo = Repo::with(&[
        (
            "aimsgate.toml",
            "[[systems]]\npath = \"svc\"\ncard = \"svc/governance.yaml\"\n",
        ),
        ("svc/train.py", TRAINING),
    ]);
    repo.symlink(outside.path().join("config.json"), "svc/governance.yaml");
    let run = check(&repo, &[]);
    assert_card_invalid(&run, "svc/governance.yaml", &["leaves the repository"]);
    assert_secret_never_shown(&repo, &run);
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_card_is_reported_not_waited_for() {
    let repo = Repo::with(&[("sys/train.py", TRAINING)]);
    let fifo = repo.path().join("sys/README.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    let run = check(&repo, &[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        !run.rule("model-card-missing").is_empty() || !run.rule("card-invalid").is_empty(),
        "{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------
// Path traversal, in every kind of reference

#[test]
fn traversal_in_every_reference() {
    let outside = "../../../../../../../etc/passwd.md";
    let cases: Vec<(&str, String)> = vec![
        (
            "impact_assessment",
            HIGH_CARD.replace(
                "impact_assessment: IMPACT_ASSESSMENT.md",
                &format!("impact_assessment: {outside}"),
            ),
        ),
        (
            "datasets.0.datasheet",
            HIGH_CARD.replace(
                "datasheet: data/DATASHEET.md",
                &format!("datasheet: {outside}"),
            ),
        ),
        (
            "fairness.evidence",
            HIGH_CARD.replace(
                "fairness:\n",
                &format!("fairness:\n  evidence: {outside}\n"),
            ),
        ),
        (
            "monitoring.plan",
            format!("{HIGH_CARD}monitoring: {{plan: {outside}}}\n"),
        ),
        (
            "suppliers.0.assessment",
            format!("{HIGH_CARD}suppliers:\n  - {{name: LightGBM, assessment: {outside}}}\n"),
        ),
    ];
    for (field, card) in cases {
        for target in [
            outside,
            "..\\..\\..\\..\\etc\\passwd.md",
            "sub/../../../../x.md",
        ] {
            let card = card.replace(outside, target);
            let repo = common::high_risk_repo(&card);
            let run = check(&repo, &[]);
            assert_eq!(run.code, 1, "{field} = {target}: {}", run.describe());
            assert!(
                run.rule("card-invalid")
                    .iter()
                    .any(|f| f.field.as_deref() == Some(field) && f.file == "model_card.yaml"),
                "{field} = {target}: no card-invalid\n{}",
                run.describe()
            );
        }
    }
    // A datasheet's DPIA is relative to the datasheet, and may not leave either.
    let repo = common::high_risk_repo(HIGH_CARD);
    repo.write(
        "data/DATASHEET.md",
        common::DATASHEET.replace("dpia: DPIA.md", &format!("dpia: {outside}")),
    );
    let run = check(&repo, &[]);
    assert!(
        run.rule("card-invalid").iter().any(|f| f.field.as_deref()
            == Some("datasets.0.datasheet.personal_data.dpia")
            && f.file == "data/DATASHEET.md"
            && f.message.contains("leaves the repository")),
        "{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------
// File names

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names() {
    use std::os::unix::ffi::OsStrExt;
    let repo = Repo::new();
    let dir = repo
        .path()
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9-\x1b[31m"));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("model_card.yaml"),
        format!("{MINIMAL_CARD}impact_assessment: \"ia\\xff.md\"\n"),
    )
    .expect("write");
    std::fs::write(
        dir.join(std::ffi::OsStr::from_bytes(b"train\xff.py")),
        TRAINING,
    )
    .expect("write");
    let nb = repo.path().join(std::ffi::OsStr::from_bytes(b"nb\xfe"));
    std::fs::create_dir_all(&nb).expect("mkdir");
    std::fs::write(
        nb.join(std::ffi::OsStr::from_bytes(b"train\xfe.py")),
        TRAINING,
    )
    .expect("write");
    let run = check(&repo, &[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    assert_eq!(run.summary("systems"), 1, "{}", run.describe());
    // Code that cannot be read is said to be, never passed over in silence.
    let unread = run.rule("ml-code-skipped");
    assert!(
        unread
            .iter()
            .any(|f| f.message.contains("its name is not valid UTF-8")),
        "{}",
        run.describe()
    );
    // Text output escapes what the names carry.
    let text = repo.check_text(&[]);
    assert_eq!(text.code, 1);
    assert!(!text.stdout.contains('\x1b'), "{:?}", text.stdout);
}

// ---------------------------------------------------------------------------
// Hostile policies

/// Stopped by regorus's timer (naming the rule) or, when one builtin call
/// overruns it, by the evaluation watchdog (naming the limit).
fn assert_timed_out(run: &Run) {
    run.assert_tool_error(&[]);
    assert!(
        run.stderr.contains("time limit") || run.stderr.contains("eval_timeout_ms"),
        "{}",
        run.stderr
    );
}

fn policy_repo(policy: &str, eval_timeout_ms: u64) -> Repo {
    let repo = Repo::with(&[("model_card.yaml", MINIMAL_CARD), ("policy/p.rego", policy)]);
    repo.write(
        "aimsgate.toml",
        format!("[limits]\neval_timeout_ms = {eval_timeout_ms}\n"),
    );
    repo
}

#[test]
fn policy_that_never_terminates_is_a_tool_error() {
    let repo = policy_repo(
        "package slow\n\ndeny contains msg if {\n\tsome i in numbers.range(1, 100000000)\n\tsome j in numbers.range(1, 100000000)\n\ti + j < 0\n\tmsg := \"never\"\n}\n",
        500,
    );
    let run = check(&repo, &["--policy", "policy"]);
    assert_timed_out(&run);
}

#[test]
fn policy_that_builds_a_huge_set_is_a_tool_error() {
    let repo = policy_repo(
        "package huge\n\nbig contains [i, j] if {\n\tsome i in numbers.range(1, 1000000)\n\tsome j in numbers.range(1, 1000000)\n}\n\ndeny contains \"too many\" if count(big) > 0\n",
        500,
    );
    let run = check(&repo, &["--policy", "policy"]);
    assert_timed_out(&run);
}

#[test]
fn run_timeout_is_a_tool_error() {
    // Each system's evaluation is within eval_timeout_ms; the run as a whole is not.
    let repo = Repo::new();
    for i in 0..4 {
        repo.write(&format!("s{i}/model_card.yaml"), MINIMAL_CARD);
    }
    repo.write(
        "policy/p.rego",
        "package slowish\n\ndeny contains msg if {\n\tsome i in numbers.range(1, 100000000)\n\ti < 0\n\tmsg := \"never\"\n}\n",
    );
    repo.write(
        "aimsgate.toml",
        "[limits]\neval_timeout_ms = 60000\nrun_timeout_ms = 300\n",
    );
    let run = check(&repo, &["--policy", "policy", "--no-builtin"]);
    run.assert_tool_error(&["run_timeout_ms"]);
}

#[test]
fn too_many_files_or_systems_is_a_tool_error() {
    let repo = Repo::new();
    for i in 0..5 {
        repo.write(&format!("s{i}/model_card.yaml"), MINIMAL_CARD);
    }
    repo.write("aimsgate.toml", "[limits]\nmax_files = 3\n");
    check(&repo, &[]).assert_tool_error(&["max_files"]);
    repo.write("aimsgate.toml", "[limits]\nmax_systems = 4\n");
    check(&repo, &[]).assert_tool_error(&["max_systems"]);
    repo.write("aimsgate.toml", "[limits]\nmax_systems = 5\n");
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let _ = NOW;
}
