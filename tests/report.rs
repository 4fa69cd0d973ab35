//! `aimsgate report`: the audit evidence (Statement of Applicability, controls
//! x systems, evidence per system, waivers, reviews) in JSON, Markdown and
//! self-contained HTML, with card text escaped.

mod common;

use common::*;
use serde_json::Value;
use std::sync::OnceLock;

fn examples(format: &str) -> Run {
    let out = std::process::Command::new(bin())
        .current_dir(manifest_dir())
        .args(["report", "examples", "--now", NOW, "--format", format])
        .output()
        .expect("run aimsgate");
    Run::from(out)
}

fn examples_json() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let run = examples("json");
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).expect("JSON report")
    })
}

fn control<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .find(|c| c["control"] == id)
        .unwrap_or_else(|| panic!("no control {id}"))
}

fn status_of(control: &Value, system: &str) -> String {
    control["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["system"] == system)
        .map(|s| s["status"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {system} in {control}"))
}

fn system<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no system {id}"))
}

#[test]
fn statement_of_applicability_of_the_examples() {
    let doc = examples_json();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["now"], NOW);
    let ids: Vec<&str> = doc["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control"].as_str().unwrap())
        .collect();
    // Every ISO/IEC 42001 control a rule maps to, in the standard's order.
    for expected in [
        "iso42001:A.3.2",
        "iso42001:A.5.2",
        "iso42001:A.5.4",
        "iso42001:A.6.2.4",
        "iso42001:A.6.2.7",
        "iso42001:A.9.4",
    ] {
        assert!(ids.contains(&expected), "{expected} missing: {ids:?}");
    }
    assert!(ids.iter().all(|c| c.starts_with("iso42001:")), "{ids:?}");
    let pos = |c: &str| ids.iter().position(|i| *i == c).unwrap();
    assert!(pos("iso42001:A.5.4") < pos("iso42001:A.6.2.4"));

    let a32 = control(doc, "iso42001:A.3.2");
    assert_eq!(a32["title"], "AI roles and responsibilities");
    assert_eq!(a32["applicable"], true);
    assert_eq!(a32["rules"], serde_json::json!(["owner"]));
    assert_eq!(a32["status"], "pass");
    assert_eq!(a32["counts"]["pass"], 5);

    let a54 = control(doc, "iso42001:A.5.4");
    assert_eq!(a54["status"], "fail");
    assert!(a54["rules"]
        .as_array()
        .unwrap()
        .contains(&Value::from("bias-threshold")));
    assert_eq!(status_of(a54, "examples/hiring-screener"), "fail");
    assert_eq!(status_of(a54, "examples/fraud-detector"), "pass");
    // Minimal risk: the rules behind A.5.4 are off for the tier.
    assert_eq!(status_of(a54, "examples/spam-filter"), "not_applicable");

    assert_eq!(
        status_of(control(doc, "iso42001:A.9.4"), "examples/support-chatbot"),
        "fail"
    );
    assert_eq!(
        status_of(control(doc, "iso42001:A.5.2"), "examples/loan-approval"),
        "fail"
    );
    // The notebook without a card fails A.6.2.7 outside any system.
    let a627 = control(doc, "iso42001:A.6.2.7");
    assert_eq!(a627["outside_systems"], "fail");
    assert_eq!(a627["status"], "fail");
    assert_eq!(
        doc["outside_systems"][0]["file"],
        "examples/notebooks/exploration.ipynb"
    );

    assert_eq!(doc["summary"]["systems"], 5);
    assert_eq!(doc["summary"]["passing"], 2);
    assert_eq!(doc["summary"]["failing"], 3);
}

#[test]
fn evidence_names_the_file_and_line_of_each_control() {
    let doc = examples_json();
    let fraud = system(doc, "examples/fraud-detector");
    assert_eq!(fraud["card"], "examples/fraud-detector/README.md");
    assert_eq!(fraud["gate"]["status"], "pass");
    let documents: Vec<(&str, &str)> = fraud["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["field"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert!(documents.contains(&(
        "impact_assessment",
        "examples/fraud-detector/IMPACT_ASSESSMENT.md"
    )));
    assert!(documents.contains(&(
        "datasets.0.datasheet",
        "examples/data/transactions-2024/DATASHEET.md"
    )));

    let readme =
        std::fs::read_to_string(manifest_dir().join("examples/fraud-detector/README.md")).unwrap();
    let owner_line = line_of(&readme, "owner:", 1);
    let a32 = fraud["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["control"] == "iso42001:A.3.2")
        .unwrap();
    assert_eq!(a32["status"], "pass");
    let owner = &a32["rules"][0];
    assert_eq!(owner["rule"], "owner");
    assert_eq!(owner["status"], "pass");
    assert_eq!(
        owner["evidence"][0],
        serde_json::json!({"file": "examples/fraud-detector/README.md", "line": owner_line, "field": "owner"})
    );

    // The impact assessment controls point at the link and at the document.
    let a55 = fraud["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["control"] == "iso42001:A.5.5")
        .unwrap();
    let files: Vec<&str> = a55["rules"][0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"examples/fraud-detector/IMPACT_ASSESSMENT.md"));
    assert!(files.contains(&"examples/fraud-detector/README.md"));

    // A failing rule points at its finding.
    let hiring = system(doc, "examples/hiring-screener");
    let a54 = hiring["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["control"] == "iso42001:A.5.4")
        .unwrap();
    let threshold = a54["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "bias-threshold")
        .unwrap();
    assert_eq!(threshold["status"], "fail");
    assert_eq!(
        threshold["evidence"][0]["file"],
        "examples/hiring-screener/MODEL_CARD.md"
    );
    assert_eq!(threshold["evidence"][0]["line"], 37);
    assert_eq!(hiring["findings"][0]["rule"], "bias-threshold");
}

#[test]
fn the_evidence_is_tied_to_a_git_commit() {
    let repo = Repo::with(&[("svc/model_card.yaml", MINIMAL_CARD)]);
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(repo.path())
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
    };
    let Ok(init) = git(&["init", "-q"]) else {
        eprintln!("git is not installed; skipping");
        return;
    };
    assert!(init.status.success());
    assert!(git(&["add", "."]).unwrap().status.success());
    assert!(git(&["commit", "-q", "-m", "cards"])
        .unwrap()
        .status
        .success());
    let head = String::from_utf8(git(&["rev-parse", "HEAD"]).unwrap().stdout).unwrap();

    let run = repo.run(&["report", ".", "--now", NOW, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["roots"][0]["revision"]["commit"], head.trim());
    assert_eq!(doc["roots"][0]["revision"]["dirty"], false);
    assert_eq!(doc["systems"][0]["revision"]["commit"], head.trim());

    repo.write(
        "svc/model_card.yaml",
        MINIMAL_CARD.replace("1.0.0", "1.0.1"),
    );
    let run = repo.run(&["report", ".", "--now", NOW, "--format", "json"]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["roots"][0]["revision"]["dirty"], true);

    // Outside a work tree there is no commit to name.
    let plain = Repo::with(&[("svc/model_card.yaml", MINIMAL_CARD)]);
    let run = plain.run(&["report", ".", "--now", NOW, "--format", "json"]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    if doc["roots"][0]["revision"].is_null() {
        assert!(doc["systems"][0]["revision"].is_null());
    }
}

/// Two high-risk systems: `credit` without limitations (waived in its card,
/// beside an expired waiver), `scoring` with its review overdue; the config
/// marks A.10.3 not applicable, declares A.4.2 and waives a rule on a glob.
fn governance_repo() -> Repo {
    let waived_card = HIGH_CARD.replace(
        "limitations: [Lower accuracy for applicants with a thin credit file]\n",
        "waivers:\n  - {rule: limitations, reason: Being written, approved_by: AI Board, expires: 2026-12-10}\n  - {rule: owner, reason: Old exception for the owner, approved_by: AI Board, expires: 2026-01-01}\n",
    );
    let overdue = IMPACT_ASSESSMENT.replace("next_review: 2027-10-01", "next_review: 2026-11-01");
    let repo = Repo::new();
    for (path, contents) in high_risk_files("credit", &waived_card) {
        repo.write(&path, contents);
    }
    for (path, contents) in high_risk_files("scoring", HIGH_CARD) {
        repo.write(&path, contents);
    }
    repo.write("scoring/IMPACT_ASSESSMENT.md", overdue);
    repo.write(
        "aimsgate.toml",
        "[controls]\n\"A.10.3\" = {applicable = false, justification = \"No third-party <components>\"}\n\"A.4.2\" = {applicable = true, justification = \"Resources in the platform wiki\"}\n\n[[waivers]]\nrule = \"evaluation\"\npath = \"legacy/**\"\nreason = \"Legacy models\"\napproved_by = \"Head of ML\"\nexpires = 2027-05-01\n",
    );
    repo
}

#[test]
fn waivers_exclusions_and_reviews() {
    let repo = governance_repo();
    let run = repo.run(&["report", ".", "--now", NOW, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();

    // The Statement of Applicability carries the configured controls.
    let a1003 = control(&doc, "iso42001:A.10.3");
    assert_eq!(a1003["applicable"], false);
    assert_eq!(a1003["justification"], "No third-party <components>");
    assert_eq!(a1003["status"], "not_applicable");
    let a42 = control(&doc, "iso42001:A.4.2");
    assert_eq!(a42["applicable"], true);
    assert_eq!(a42["justification"], "Resources in the platform wiki");
    assert_eq!(a42["rules"], serde_json::json!([]));

    // A waived limitations error: A.8.2 is waived for that system.
    let a82 = control(&doc, "iso42001:A.8.2");
    assert_eq!(status_of(a82, "credit"), "waived");
    assert_eq!(status_of(a82, "scoring"), "pass");

    let waivers = doc["waivers"].as_array().unwrap();
    assert_eq!(waivers.len(), 3, "{waivers:?}");
    let by_rule = |rule: &str| waivers.iter().find(|w| w["rule"] == rule).unwrap();
    let limitations = by_rule("limitations");
    assert_eq!(limitations["scope"], "credit");
    assert_eq!(limitations["status"], "expiring");
    assert_eq!(limitations["days_left"], 11);
    assert_eq!(limitations["waived"], 1);
    assert_eq!(limitations["file"], "credit/model_card.yaml");
    let owner = by_rule("owner");
    assert_eq!(owner["status"], "expired");
    assert_eq!(owner["waived"], 0);
    let evaluation = by_rule("evaluation");
    assert_eq!(evaluation["scope"], "legacy/**");
    assert_eq!(evaluation["status"], "active");
    assert_eq!(evaluation["file"], "aimsgate.toml");

    let reviews = doc["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1, "{reviews:?}");
    assert_eq!(reviews[0]["system"], "scoring");
    assert_eq!(reviews[0]["status"], "overdue");
    assert_eq!(reviews[0]["days"], -28);
    assert_eq!(reviews[0]["file"], "scoring/IMPACT_ASSESSMENT.md");
    assert_eq!(doc["summary"]["reviews_due"], 1);

    // The same content in Markdown and HTML.
    let md = repo.run(&["report", ".", "--now", NOW, "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    for needle in [
        "## 1. Statement of Applicability",
        "## 2. Controls × systems",
        "## 3. Evidence per system",
        "## 4. Waivers",
        "## 5. Impact assessment reviews due",
        "**no (excluded)**",
        "No third-party &lt;components&gt;",
        "expiring",
        "(28 days overdue)",
    ] {
        assert!(md.stdout.contains(needle), "markdown lacks {needle:?}");
    }
    let html = repo.run(&["report", ".", "--now", NOW, "--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    for needle in [
        "id=\"soa\"",
        "id=\"matrix\"",
        "id=\"systems\"",
        "id=\"waivers\"",
        "id=\"reviews\"",
        "No (excluded)",
        "No third-party &lt;components&gt;",
        "28 days overdue",
    ] {
        assert!(html.stdout.contains(needle), "html lacks {needle:?}");
    }
}

const HOSTILE: &str = "\
name: \"<script>alert('card')</script>\"
version: \"[link](javascript:alert(1)) **bold** | pipe\"
owner: {name: \"<img src=x onerror=alert(1)>\", contact: \"\\\"><script>b()</script>\"}
lifecycle: development
risk: {tier: minimal, rationale: \"</td></tr></table><script>c()</script>\", affects_people: false}
intended_use: {primary: [x], out_of_scope: [y]}
limitations: [\"<style>body{display:none}</style>\"]
evaluation: [{metric: acc, value: 0.9, dataset: \"<iframe src=//evil.example>\", split: test}]
human_oversight: {mode: on-the-loop, overseer: \"`code` **bold** [link](javascript:alert(1))\"}
suppliers: [{name: \"<script>d()</script>\", license: mit, assessment: ok}]
waivers:
  - {rule: \"<script>e()</script>\", reason: \"<b>r</b>\", approved_by: \"<i>a</i>\", expires: 2027-01-01}
";

#[test]
fn hostile_card_text_never_reaches_html_as_markup() {
    let repo = Repo::with(&[("<evil>/model_card.yaml", HOSTILE)]);
    let run = repo.run(&["report", ".", "--now", NOW, "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = &run.stdout;
    let lower = html.to_lowercase();
    for raw in [
        "<script",
        "<img",
        "<iframe",
        "<b>r",
        "<i>a",
        "</table><script",
    ] {
        assert!(!lower.contains(raw), "raw {raw:?} in the HTML");
    }
    // Exactly one <style>, ours, in the head.
    assert_eq!(lower.matches("<style").count(), 1);
    assert!(html.contains("&lt;script&gt;alert(&#39;card&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;evil&gt;/<wbr>model_card.yaml"));

    let md = repo.run(&["report", ".", "--now", NOW, "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(
        !md.stdout.to_lowercase().contains("<script"),
        "{}",
        md.stdout
    );
    assert!(!md.stdout.contains("<img"));
    assert!(md
        .stdout
        .contains("\\[link\\](javascript:alert(1)) \\*\\*bold\\*\\* \\| pipe"));

    let json = repo.run(&["report", ".", "--now", NOW, "--format", "json"]);
    let doc: Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(doc["systems"][0]["name"], "<script>alert('card')</script>");
}

#[test]
fn html_is_one_self_contained_printable_file() {
    let run = examples("html");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = &run.stdout;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@media print"));
    assert!(html.contains("break-before: page"));
    let lower = html.to_lowercase();
    // No scripts and nothing fetched: no external stylesheet, image, font or frame.
    for external in [
        "<script", "<link", "<img", "<iframe", "src=", "url(", "@import", "http://", "https://",
    ] {
        assert!(!lower.contains(external), "{external:?} in the HTML");
    }
    for name in [
        "Fraud Detector",
        "Hiring Screener",
        "Loan Approval",
        "Spam Filter",
        "Support Chatbot",
    ] {
        assert!(html.contains(name), "{name} missing");
    }
    // A Content-Security-Policy that allows nothing but this page's own
    // stylesheet, by the hash of the stylesheet it carries.
    let csp = html
        .split("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a Content-Security-Policy meta element");
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(
        !csp.contains("unsafe") && !csp.contains("script-src"),
        "{csp}"
    );
    let style = html
        .split("<style>")
        .nth(1)
        .and_then(|rest| rest.split("</style>").next())
        .expect("the stylesheet");
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style.as_bytes()));
    assert!(csp.contains(&format!("style-src 'sha256-{hash}'")), "{csp}");
    // Links stay inside the page.
    for href in html.split("href=\"").skip(1) {
        assert!(href.starts_with('#'), "external link {href:.40}");
    }
}

#[test]
fn output_file_and_formats() {
    let repo = Repo::with(&[("svc/model_card.yaml", MINIMAL_CARD)]);
    let run = repo.run(&["report", ".", "--now", NOW, "--output", "audit.html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let html = std::fs::read_to_string(repo.path().join("audit.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "HTML is the default");
    repo.run(&["report", ".", "--format", "csv"])
        .assert_tool_error(&["csv"]);
    repo.run(&["report", ".", "--now", "tomorrow"])
        .assert_tool_error(&["--now"]);
}
