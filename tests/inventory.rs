//! `aimsgate inventory`: the AI-system register in text, JSON, CSV and
//! Markdown, on the example repository and on hostile card text.

mod common;

use common::*;
use serde_json::Value;

fn examples(format: &str) -> Run {
    let out = std::process::Command::new(bin())
        .current_dir(manifest_dir())
        .args(["inventory", "examples", "--now", NOW, "--format", format])
        .output()
        .expect("run aimsgate");
    Run::from(out)
}

fn row<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["systems"]
        .as_array()
        .expect("systems")
        .iter()
        .find(|s| s["system"] == id)
        .unwrap_or_else(|| panic!("no row {id}: {doc}"))
}

#[test]
fn json_register_of_the_examples() {
    let run = examples("json");
    // The register is not the gate: it succeeds although systems fail.
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["now"], NOW);
    let ids: Vec<&str> = doc["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["system"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "examples/fraud-detector",
            "examples/hiring-screener",
            "examples/loan-approval",
            "examples/spam-filter",
            "examples/support-chatbot",
        ]
    );
    let fraud = row(&doc, "examples/fraud-detector");
    assert_eq!(fraud["path"], "examples/fraud-detector/README.md");
    assert_eq!(fraud["name"], "Fraud Detector");
    assert_eq!(fraud["version"], "3.2.0");
    assert_eq!(fraud["owner"]["name"], "Payments Risk ML Team");
    assert_eq!(
        fraud["owner"]["contact"],
        "payments-risk-ml@acmebank.example"
    );
    assert_eq!(fraud["lifecycle"], "production");
    assert_eq!(fraud["risk_tier"], "high");
    assert_eq!(fraud["gate"]["status"], "pass");
    assert_eq!(fraud["gate"]["errors"], 0);
    assert_eq!(
        fraud["impact_assessment"]["approved_by"],
        "AI Governance Board (chair, Chief Risk Officer)"
    );
    assert_eq!(fraud["impact_assessment"]["approved_at"], "2026-10-01");
    assert_eq!(fraud["impact_assessment"]["next_review"], "2027-10-01");
    assert_eq!(
        fraud["impact_assessment"]["file"],
        "examples/fraud-detector/IMPACT_ASSESSMENT.md"
    );
    assert_eq!(fraud["datasets"], serde_json::json!(["transactions-2024"]));
    assert_eq!(fraud["suppliers"], serde_json::json!(["LightGBM"]));

    let loan = row(&doc, "examples/loan-approval");
    assert_eq!(loan["gate"]["status"], "fail");
    assert_eq!(loan["gate"]["errors"], 1);
    assert_eq!(loan["impact_assessment"]["approved_by"], Value::Null);
    // Inline impact assessments count too.
    let chatbot = row(&doc, "examples/support-chatbot");
    assert_eq!(
        chatbot["impact_assessment"]["approved_by"],
        "AI Governance Office"
    );
    assert_eq!(chatbot["risk_tier"], "limited");
    assert_eq!(
        doc["ml_files_without_card"],
        serde_json::json!(["examples/notebooks/exploration.ipynb"])
    );
}

#[test]
fn text_register_is_an_aligned_table() {
    let run = examples("text");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header = lines[0];
    assert!(header.starts_with("SYSTEM"), "{header}");
    for column in ["NAME", "OWNER", "TIER", "GATE", "NEXT REVIEW", "SUPPLIERS"] {
        assert!(header.contains(column), "no {column} column: {header}");
    }
    // Every row starts each column where the header does.
    let name_at = header.find("NAME").unwrap();
    let tier_at = header.find("TIER").unwrap();
    for line in &lines[1..6] {
        assert!(line.starts_with("examples/"), "{line}");
        assert_eq!(&line[name_at - 2..name_at], "  ", "{line}");
        assert_ne!(&line[name_at..name_at + 1], " ", "{line}");
        assert!(
            ["high", "limited", "minimal"]
                .iter()
                .any(|t| line[tier_at..].starts_with(t)),
            "{line}"
        );
    }
    assert!(lines[2].contains("fail (1E)"), "{}", lines[2]);
    assert!(run
        .stdout
        .contains("5 systems, 3 failing the gate (as of 2026-11-29)."));
    assert!(run.stdout.contains("examples/notebooks/exploration.ipynb"));
}

#[test]
fn csv_register_has_a_header_and_a_row_per_system() {
    let run = examples("csv");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "system",
            "path",
            "name",
            "version",
            "owner",
            "owner_contact",
            "lifecycle",
            "risk_tier",
            "gate",
            "errors",
            "warnings",
            "waived",
            "baselined",
            "ia_approved_by",
            "ia_approved_at",
            "next_review",
            "datasets",
            "suppliers",
            "ai_in_code",
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let hiring = &rows[1];
    assert_eq!(&hiring[0], "examples/hiring-screener");
    assert_eq!(&hiring[8], "fail");
    assert_eq!(&hiring[9], "1");
    assert_eq!(&hiring[12], "0", "baselined");
    assert_eq!(
        &hiring[13],
        "AI Governance Board (chair, Chief Risk Officer)"
    );
}

#[test]
fn markdown_register_is_a_table() {
    let run = examples("markdown");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("# AI system register\n"));
    let register = run
        .stdout
        .split("## AI systems without a model card")
        .next()
        .unwrap_or_default();
    let table: Vec<&str> = register.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 7, "{}", run.stdout);
    let columns = table[0].replace("\\|", "").matches('|').count();
    for line in &table {
        assert_eq!(
            line.replace("\\|", "").matches('|').count(),
            columns,
            "{line}"
        );
    }
    assert!(run.stdout.contains("| Fraud Detector | 3.2.0 |"));
    // The notebook is an AI system found in code, listed after the register.
    assert!(
        run.stdout
            .contains("| examples | examples/notebooks/exploration.ipynb | - |"),
        "{}",
        run.stdout
    );
}

const HOSTILE: &str = "\
name: \"<script>alert(1)</script> | split\\nnext line\"
version: \"=HYPERLINK(\\\"http://evil.example\\\")\"
owner: {name: \"@SUM(A1)\", contact: \"a|b@x.example\"}
lifecycle: development
risk: {tier: minimal, rationale: Sorts mail, affects_people: false}
intended_use: {primary: [x], out_of_scope: [y]}
limitations: [z]
evaluation: [{metric: acc, value: 0.9, dataset: d, split: test}]
human_oversight: {mode: on-the-loop, overseer: Team}
suppliers: [{name: \"-2+3\", license: mit, assessment: reviewed}]
";

#[test]
fn hostile_card_text_is_escaped_in_every_format() {
    let repo = Repo::with(&[("evil/model_card.yaml", HOSTILE)]);

    let csv_run = repo.run(&["inventory", ".", "--now", NOW, "--format", "csv"]);
    assert_eq!(csv_run.code, 0, "{}", csv_run.stderr);
    let mut reader = csv::Reader::from_reader(csv_run.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    // The newline survives inside a quoted cell; formulas are defused.
    assert_eq!(&r[2], "<script>alert(1)</script> | split\nnext line");
    assert_eq!(&r[3], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(&r[4], "'@SUM(A1)");
    assert_eq!(&r[17], "'-2+3");

    let md = repo.run(&["inventory", ".", "--now", NOW, "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(!md.stdout.contains("<script>"), "{}", md.stdout);
    assert!(md.stdout.contains("&lt;script&gt;"));
    assert!(md.stdout.contains("\\| split next line"), "{}", md.stdout);
    assert!(md.stdout.contains("a\\|b@x.example"));
    let table: Vec<&str> = md.stdout.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(
        table.len(),
        3,
        "a newline in a cell broke the table: {}",
        md.stdout
    );
    let columns = |l: &str| l.replace("\\|", "").matches('|').count();
    assert_eq!(columns(table[0]), columns(table[2]), "{}", md.stdout);

    let text = repo.run(&["inventory", ".", "--now", NOW]);
    assert_eq!(text.code, 0);
    assert_eq!(
        text.stdout.lines().nth(1).map(|l| l.contains('\n')),
        Some(false)
    );
    assert!(text.stdout.contains("split next line"));

    let json = repo.run(&["inventory", ".", "--now", NOW, "--format", "json"]);
    let doc: Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        doc["systems"][0]["name"],
        "<script>alert(1)</script> | split\nnext line"
    );
}

#[test]
fn an_undeclared_tier_is_shown_as_judged() {
    let repo = Repo::with(&[(
        "svc/model_card.yaml",
        "name: Svc\nowner: {name: T, contact: t@x.example}\n",
    )]);
    let run = repo.run(&["inventory", ".", "--now", NOW, "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(",high (not declared),fail,"),
        "{}",
        run.stdout
    );
}

#[test]
fn output_file_and_tool_errors() {
    let repo = Repo::with(&[("svc/model_card.yaml", MINIMAL_CARD)]);
    let run = repo.run(&[
        "inventory",
        ".",
        "--now",
        NOW,
        "--format",
        "json",
        "--output",
        "register.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(repo.path().join("register.json")).unwrap())
            .unwrap();
    assert_eq!(doc["systems"][0]["gate"]["status"], "pass");
    assert_eq!(doc["systems"][0]["system"], "svc");

    repo.run(&["inventory", ".", "--now", "2026-02-30"])
        .assert_tool_error(&["--now"]);
    repo.run(&["inventory", ".", "--format", "xml"])
        .assert_tool_error(&["xml"]);
    repo.run(&["inventory", "missing-dir", "--now", NOW])
        .assert_tool_error(&[]);
}
