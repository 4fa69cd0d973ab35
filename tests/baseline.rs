//! Phased adoption (issue 16): `aimsgate baseline` records a legacy
//! repository's findings; `check` reports them as baselined and fails only
//! on new ones; the file only shrinks, dates come due, and under `--base` a
//! change cannot add to it without a governance approver.

mod common;

use aimsgate::evaluate::baseline::fingerprint;
use common::*;
use serde_json::Value;

/// A legacy repository: a complete high-risk system, and two that lack
/// evidence (a card without an owner, a notebook with no card).
fn legacy() -> Repo {
    let repo = Repo::new();
    for (path, contents) in high_risk_files("credit", HIGH_CARD) {
        repo.write(&path, contents);
    }
    repo.write(
        "spam/model_card.yaml",
        MINIMAL_CARD.replace("owner: {name: Workplace IT, contact: it@example.com}\n", ""),
    );
    repo.write("research/explore.ipynb", NOTEBOOK);
    repo
}

fn baseline_file(repo: &Repo) -> Value {
    let text = std::fs::read_to_string(repo.path().join("aimsgate-baseline.json"))
        .expect("the baseline file");
    serde_json::from_str(&text).expect("the baseline is JSON")
}

fn record(repo: &Repo, extra: &[&str]) -> Run {
    let mut args = vec!["baseline", ".", "--now", NOW];
    args.extend_from_slice(extra);
    let run = repo.run(&args);
    assert_eq!(run.code, 0, "baseline failed: {}", run.stderr);
    run
}

#[test]
fn a_baseline_lets_legacy_pass_and_new_findings_fail() {
    let repo = legacy();
    assert_eq!(repo.check(&[]).code, 1);
    let run = record(&repo, &[]);
    assert!(run.stdout.contains("2 entries"), "{}", run.stdout);
    let file = baseline_file(&repo);
    assert_eq!(file["version"], 1);
    let entries = file["entries"].as_array().expect("entries");
    let rules: Vec<&str> = entries.iter().filter_map(|e| e["rule"].as_str()).collect();
    assert_eq!(rules, ["model-card-missing", "owner"], "{file}");
    assert!(entries.iter().all(|e| e.get("line").is_none()));

    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert_eq!(run.summary("baselined"), 2);
    assert_eq!(run.summary("errors"), 0);
    assert!(run.findings().iter().all(|f| f.baselined));
    let text = repo.check_text(&[]);
    assert!(
        text.stdout.contains("error (baselined)[owner]"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("0 errors, 0 warnings, 0 waived, 2 baselined"),
        "{}",
        text.stdout
    );

    // A new system with its own findings fails on them alone.
    repo.write(
        "fraud/model_card.yaml",
        MINIMAL_CARD.replace("contact: it@example.com", "contact: Workplace IT"),
    );
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let failing: Vec<(String, Option<String>)> = run
        .findings()
        .into_iter()
        .filter(|f| !f.baselined)
        .map(|f| (f.rule, f.system))
        .collect();
    assert_eq!(failing, [("owner".to_string(), Some("fraud".to_string()))]);
}

#[test]
fn entries_survive_line_moves_and_edits_elsewhere() {
    let repo = legacy();
    record(&repo, &[]);
    let card = MINIMAL_CARD.replace("owner: {name: Workplace IT, contact: it@example.com}\n", "");
    repo.write(
        "spam/model_card.yaml",
        format!("# Reviewed 2026-12\n\n\n{}", card.replace("1.0.0", "1.1.0")),
    );
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(run.rule("baseline-stale").is_empty(), "{}", run.describe());
    assert_eq!(run.summary("baselined"), 2);
}

#[test]
fn fixed_findings_make_entries_stale_and_prune_removes_them() {
    let repo = legacy();
    record(&repo, &[]);
    repo.write("spam/model_card.yaml", MINIMAL_CARD);
    let run = repo.check(&[]);
    assert_eq!(
        run.code,
        0,
        "a stale entry is a warning: {}",
        run.describe()
    );
    let stale = run.rule("baseline-stale");
    assert_eq!(stale.len(), 1, "{}", run.describe());
    assert_eq!(stale[0].file, "aimsgate-baseline.json");
    assert_eq!(stale[0].severity, "warning");
    let text = std::fs::read_to_string(repo.path().join("aimsgate-baseline.json")).expect("read");
    let owner_line = line_of(&text, "\"rule\": \"owner\"", 1) - 2;
    assert_eq!(stale[0].line, owner_line, "at the entry's opening line");
    assert!(stale[0].message.contains("--prune"));
    assert_eq!(repo.check(&["--fail-on", "warning"]).code, 1);

    // A scoped run (pre-commit) sees a few systems: it calls nothing stale.
    let run = repo.check(&["--files", "spam/model_card.yaml"]);
    assert!(run.rule("baseline-stale").is_empty(), "{}", run.describe());

    let run = record(&repo, &["--prune"]);
    assert!(run.stdout.contains("1 entry (2 before)"), "{}", run.stdout);
    let run = repo.check(&[]);
    assert_eq!(run.code, 0);
    assert!(run.rule("baseline-stale").is_empty(), "{}", run.describe());
    // Prune adds nothing, even when something new fails.
    repo.write(
        "spam/model_card.yaml",
        MINIMAL_CARD.replace("contact: it@example.com", "contact: nobody"),
    );
    assert_eq!(repo.check(&[]).code, 1);
    record(&repo, &["--prune"]);
    assert_eq!(
        baseline_file(&repo)["entries"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn owners_and_due_dates_and_what_comes_due() {
    let repo = legacy();
    record(&repo, &["--due", "2027-03-31", "--owner", "ML Platform"]);
    let file = baseline_file(&repo);
    for e in file["entries"].as_array().expect("entries") {
        assert_eq!(e["due"], "2027-03-31");
        assert_eq!(e["owner"], "ML Platform");
    }
    // Without --owner, each entry is owned by its system's owner; a re-run
    // keeps the owners and dates already agreed.
    let repo = legacy();
    repo.write(
        "spam/model_card.yaml",
        MINIMAL_CARD.replace("contact: it@example.com", "contact: nobody"),
    );
    record(&repo, &[]);
    let owners: Vec<Value> = baseline_file(&repo)["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["owner"].clone())
        .collect();
    assert_eq!(owners, [Value::Null, Value::from("Workplace IT")]);

    assert_eq!(repo.check(&[]).code, 0);
    let text = std::fs::read_to_string(repo.path().join("aimsgate-baseline.json")).expect("read");
    std::fs::write(
        repo.path().join("aimsgate-baseline.json"),
        text.replace(
            "\"owner\": \"Workplace IT\"",
            "\"owner\": \"Workplace IT\",\n      \"due\": \"2027-03-31\"",
        ),
    )
    .expect("write");
    record(&repo, &[]);
    assert_eq!(
        baseline_file(&repo)["entries"][1]["due"],
        "2027-03-31",
        "a re-run keeps the date"
    );
    // Before the date it holds; after it the finding fails again, and says why.
    let on = |date: &str| {
        repo.run(&["check", ".", "--format", "json", "--now", date])
            .expect_json()
    };
    assert_eq!(on("2027-03-31").code, 0);
    let run = on("2027-04-01");
    assert_eq!(run.code, 1, "{}", run.describe());
    let owner = run.rule("owner");
    assert!(!owner[0].baselined);
    let due = run.rule("baseline-due");
    assert_eq!(due.len(), 1, "{}", run.describe());
    assert!(due[0]
        .message
        .contains("was due on 2027-03-31 (owner Workplace IT)"));
    // The register and the audit report list the backlog with owners and dates.
    let args = ["inventory", ".", "--now", NOW, "--format", "json"];
    let inventory: Value = serde_json::from_str(&repo.run(&args).stdout).expect("json");
    let backlog = inventory["backlog"].as_array().expect("backlog");
    assert_eq!(backlog.len(), 2, "{inventory}");
    assert_eq!(backlog[0]["due"], "2027-03-31");
    assert_eq!(backlog[0]["owner"], "Workplace IT");
    assert_eq!(backlog[0]["system"], "spam");
    let text = repo.run(&["inventory", ".", "--now", NOW]).stdout;
    assert!(
        text.contains("Adoption backlog (2 baselined findings)"),
        "{text}"
    );
    let report = repo
        .run(&["report", ".", "--now", NOW, "--format", "markdown"])
        .stdout;
    assert!(report.contains("## 6. Adoption backlog"), "{report}");
    assert!(report.contains("| `spam` | `owner` |"), "{report}");
    assert!(report.contains("2027-03-31 (in 122 days)"), "{report}");
    let html = repo.run(&["report", ".", "--now", NOW]).stdout;
    assert!(html.contains("<h2>6. Adoption backlog</h2>"));
    // --due must be a future date.
    repo.run(&["baseline", ".", "--now", NOW, "--due", "2026-01-01"])
        .assert_tool_error(&["--due 2026-01-01"]);
}

#[test]
fn rules_no_baseline_holds() {
    let repo = legacy();
    record(&repo, &[]);
    let mut file = baseline_file(&repo);
    // A hand-made entry for a prohibited system: the fingerprint is right,
    // the rule is one no baseline may hold.
    let mut entry = file["entries"][1].clone();
    entry["rule"] = "prohibited-practice".into();
    entry["field"] = "risk.tier".into();
    entry["fingerprint"] = "0".repeat(20).into();
    file["entries"].as_array_mut().expect("entries").push(entry);
    let write = |file: &Value| {
        std::fs::write(
            repo.path().join("aimsgate-baseline.json"),
            serde_json::to_string_pretty(file).expect("json"),
        )
        .expect("write")
    };
    write(&file);
    // A fingerprint its own rule, system and field do not give was edited.
    repo.check(&[])
        .assert_tool_error(&["does not match its rule, system and field"]);
    file["entries"][2]["fingerprint"] = fingerprint(
        "prohibited-practice",
        Some("spam"),
        Some("risk.tier"),
        None,
        "",
        "",
    )
    .into();
    write(&file);
    let card = MINIMAL_CARD.replace("tier: minimal", "tier: prohibited");
    repo.write("spam/model_card.yaml", &card);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.describe());
    let prohibited = run.rule("prohibited-practice");
    assert!(!prohibited.is_empty() && prohibited.iter().all(|f| !f.baselined));
    assert!(run
        .rule("baseline-stale")
        .iter()
        .any(|f| f.message.contains("cannot be baselined")));
    // And `aimsgate baseline` never records them.
    record(&repo, &[]);
    let rules: Vec<Value> = baseline_file(&repo)["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["rule"].clone())
        .collect();
    assert!(
        !rules.contains(&Value::from("prohibited-practice")),
        "{rules:?}"
    );
}

#[test]
fn a_corrupt_or_hostile_baseline_is_a_tool_error() {
    let repo = legacy();
    for (text, says) in [
        ("not json", "aimsgate-baseline.json:1"),
        ("{\"version\": 7, \"entries\": []}", "version 7"),
        (
            "{\"version\": 1, \"entries\": [{\"rule\": \"owner\"}]}",
            "fingerprint must be",
        ),
        (
            "{\"version\": 1, \"entries\": [], \"waive\": \"all\"}",
            "unknown key",
        ),
        ("[1, 2]", "expected a JSON object"),
    ] {
        repo.write("aimsgate-baseline.json", text);
        repo.check(&[]).assert_tool_error(&[says]);
    }
    // Named on the command line or in config but missing.
    std::fs::remove_file(repo.path().join("aimsgate-baseline.json")).expect("rm");
    repo.check(&["--baseline", "legacy.json"])
        .assert_tool_error(&["legacy.json does not exist"]);
    repo.write("aimsgate.toml", "[baseline]\nfile = \"gone.json\"\n");
    repo.check(&[])
        .assert_tool_error(&["gone.json does not exist"]);
    std::fs::remove_file(repo.path().join("aimsgate.toml")).expect("rm");
    // Outside the repository, or leading out of it: never read.
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("baseline.json");
    std::fs::write(&secret, "{\"version\": 1, \"entries\": []}").expect("write");
    repo.check(&["--baseline", secret.to_str().expect("utf-8")])
        .assert_tool_error(&["inside the repository"]);
    #[cfg(unix)]
    {
        repo.symlink(&secret, "aimsgate-baseline.json");
        repo.check(&[])
            .assert_tool_error(&["aimsgate-baseline.json", "symlink"]);
        // Nor written through.
        repo.run(&["baseline", ".", "--now", NOW])
            .assert_tool_error(&["symlink"]);
        assert_eq!(
            std::fs::read_to_string(&secret).expect("read"),
            "{\"version\": 1, \"entries\": []}"
        );
    }
}

#[test]
fn every_output_tells_baselined_from_new() {
    let repo = legacy();
    record(&repo, &[]);
    repo.write(
        "fraud/model_card.yaml",
        MINIMAL_CARD.replace("contact: it@example.com", "contact: Workplace IT"),
    );
    let out = |format: &str| {
        repo.run(&["check", ".", "--now", NOW, "--format", format])
            .stdout
    };
    let sarif: Value = serde_json::from_str(&out("sarif")).expect("sarif");
    let states: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["baselineState"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        states.contains(&("owner".into(), "new".into())),
        "{states:?}"
    );
    assert!(
        states.contains(&("owner".into(), "unchanged".into())),
        "{states:?}"
    );
    assert!(states.contains(&("model-card-missing".into(), "unchanged".into())));
    let gitlab: Value = serde_json::from_str(&out("gitlab")).expect("gitlab");
    let severities: Vec<&str> = gitlab
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["severity"].as_str())
        .collect();
    assert_eq!(
        severities.iter().filter(|s| **s == "info").count(),
        2,
        "{severities:?}"
    );
    let junit = out("junit");
    assert!(junit.contains("type=\"baselined\""), "{junit}");
    let github = out("github");
    assert!(
        github.contains("::notice file=spam/model_card.yaml"),
        "{github}"
    );
    assert!(
        github.contains("::error file=fraud/model_card.yaml"),
        "{github}"
    );
    let markdown = out("markdown");
    assert!(markdown.contains("⚪ baselined error"), "{markdown}");
    assert!(markdown.contains("| waived | baselined |"), "{markdown}");
    // Without a baseline, SARIF says nothing of baselines.
    std::fs::remove_file(repo.path().join("aimsgate-baseline.json")).expect("rm");
    assert!(!out("sarif").contains("baselineState"));
}

/// Under `--base` the baseline is a governance input: a change may remove
/// entries, but what it adds is a governance change that holds nothing
/// until a governance approver approves it.
#[test]
fn a_change_cannot_grow_the_baseline() {
    let mut files = high_risk_files("credit", HIGH_CARD);
    files.push((
        "spam/model_card.yaml".to_string(),
        MINIMAL_CARD.replace("owner: {name: Workplace IT, contact: it@example.com}\n", ""),
    ));
    let base_repo = Repo::new();
    for (path, contents) in &files {
        base_repo.write(path, contents);
    }
    record(&base_repo, &[]);
    files.push((
        "aimsgate-baseline.json".to_string(),
        std::fs::read_to_string(base_repo.path().join("aimsgate-baseline.json")).expect("read"),
    ));

    // The author breaks the credit system and baselines the break.
    let change = Change::new(&files, |repo| {
        repo.write(
            "credit/model_card.yaml",
            HIGH_CARD.replace("contact: risk-ml@example.com", "contact: TBD"),
        );
        let run = repo.run(&["baseline", ".", "--now", NOW]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    });
    let run = change.without_base();
    assert_eq!(
        run.code,
        0,
        "without --base the file is trusted: {}",
        run.describe()
    );
    let run = change.with_base();
    assert_eq!(run.code, 1, "{}", run.describe());
    let governance = run.rule("governance-change");
    assert!(
        governance
            .iter()
            .any(|f| f.file == "aimsgate-baseline.json" && f.message.contains("owner on credit")),
        "{}",
        run.describe()
    );
    let owner = run.rule("owner");
    assert!(
        owner
            .iter()
            .any(|f| f.system.as_deref() == Some("credit") && !f.baselined),
        "the added entry holds nothing: {}",
        run.describe()
    );
    assert!(owner
        .iter()
        .any(|f| f.system.as_deref() == Some("spam") && f.baselined));

    // Fixing a legacy system and pruning its entry needs nobody's approval.
    let change = Change::new(&files, |repo| {
        repo.write("spam/model_card.yaml", MINIMAL_CARD);
        let run = repo.run(&["baseline", ".", "--now", NOW, "--prune"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    });
    let run = change.with_base();
    assert_eq!(run.code, 0, "{}", run.describe());
    assert!(
        run.rule("governance-change").is_empty(),
        "{}",
        run.describe()
    );

    // Postponing a due date is loosening too: until a governance approver
    // approves it, the postponed entry holds nothing.
    let dated: Vec<(String, String)> = files
        .iter()
        .map(|(p, c)| {
            let c = if p == "aimsgate-baseline.json" {
                due_on(c, "2027-01-31")
            } else {
                c.clone()
            };
            (p.clone(), c)
        })
        .collect();
    let change = Change::new(&dated, |repo| {
        let path = repo.path().join("aimsgate-baseline.json");
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, due_on(&text, "2027-12-31")).expect("write");
    });
    assert_eq!(change.without_base().code, 0);
    let run = change.with_base();
    assert_eq!(run.code, 1, "{}", run.describe());
    assert!(
        run.rule("governance-change").iter().any(|f| f
            .message
            .contains("was held until 2027-01-31, now held until 2027-12-31")),
        "{}",
        run.describe()
    );
    assert!(
        run.rule("owner").iter().all(|f| !f.baselined),
        "{}",
        run.describe()
    );
}

/// `text`, a baseline file, with every entry due on `date`.
fn due_on(text: &str, date: &str) -> String {
    let mut file: Value = serde_json::from_str(text).expect("baseline JSON");
    for entry in file["entries"].as_array_mut().expect("entries") {
        entry["due"] = date.into();
    }
    serde_json::to_string_pretty(&file).expect("json")
}
