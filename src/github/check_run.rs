//! `--github-check`: a completed check run named `aimsgate` carrying every
//! finding as an annotation, 50 per request as the API allows.

use super::api::{ApiResult, Client};
use crate::finding::{Finding, Severity};
use serde_json::{json, Value};

/// The API takes at most 50 annotations per create or update request.
pub const BATCH: usize = 50;

/// The check run's name on the pull request.
pub const NAME: &str = "aimsgate";

/// `output.summary` and `output.text` take at most this many characters.
pub const MAX_SUMMARY_CHARS: usize = 65_535;

/// An annotation's message, title and raw details are bounded too.
const MAX_MESSAGE_BYTES: usize = 60_000;
const MAX_TITLE_CHARS: usize = 255;

#[derive(Debug, Clone)]
pub struct CheckRun {
    pub head_sha: String,
    /// `success`, `failure` or `neutral`.
    pub conclusion: &'static str,
    pub title: String,
    pub summary: String,
    pub annotations: Vec<Value>,
}

/// Creates the check run with the first batch of annotations, then adds the
/// rest in further batches; the id of the run.
pub fn publish(client: &Client, repository: &str, run: &CheckRun) -> ApiResult<u64> {
    let mut batches = run.annotations.chunks(BATCH);
    let output = |batch: Option<&[Value]>| {
        let mut o = json!({"title": run.title, "summary": run.summary});
        if let Some(batch) = batch {
            o["annotations"] = Value::Array(batch.to_vec());
        }
        o
    };
    let created = client.post(
        &format!("/repos/{repository}/check-runs"),
        &json!({
            "name": NAME,
            "head_sha": run.head_sha,
            "status": "completed",
            "conclusion": run.conclusion,
            "output": output(batches.next()),
        }),
    )?;
    let id = created
        .get("id")
        .and_then(Value::as_u64)
        .ok_or_else(|| super::api::ApiError {
            status: None,
            message: "the created check run has no id".to_string(),
        })?;
    for batch in batches {
        client.patch(
            &format!("/repos/{repository}/check-runs/{id}"),
            &json!({ "output": output(Some(batch)) }),
        )?;
    }
    Ok(id)
}

/// `success` when nothing is reported, `failure` when the gate fails,
/// `neutral` for findings below the fail level.
pub fn conclusion(failed: bool, findings: &[Finding]) -> &'static str {
    if failed {
        "failure"
    } else if findings.iter().any(|f| !f.excused()) {
        "neutral"
    } else {
        "success"
    }
}

/// Every finding that is not waived, most severe first, as check run
/// annotations; `path` maps a finding's file to a path in the repository.
pub fn annotations(findings: &[Finding], path: &dyn Fn(&str) -> String) -> Vec<Value> {
    let mut open: Vec<&Finding> = findings.iter().filter(|f| !f.excused()).collect();
    open.sort_by_key(|f| std::cmp::Reverse(f.severity));
    open.into_iter()
        .map(|f| {
            let level = match f.severity {
                Severity::Error => "failure",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let line = f.line.max(1);
            let mut a = json!({
                "path": path(&f.file),
                "start_line": line,
                "end_line": line,
                "annotation_level": level,
                "title": truncate_chars(&f.rule, MAX_TITLE_CHARS),
                "message": truncate_bytes(&f.message, MAX_MESSAGE_BYTES),
            });
            let mut details = Vec::new();
            if let Some(help) = f.help.as_deref().filter(|h| !h.trim().is_empty()) {
                details.push(help.trim().to_string());
            }
            if !f.controls.is_empty() {
                details.push(format!("Controls: {}", f.controls.join(", ")));
            }
            if !details.is_empty() {
                a["raw_details"] =
                    Value::String(truncate_bytes(&details.join("\n\n"), MAX_MESSAGE_BYTES));
            }
            a
        })
        .collect()
}

/// `text` cut to at most `max` bytes at a character boundary, marked when cut.
pub fn truncate_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub(3);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// `text` cut to at most `max` characters, marked when cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(3)).collect();
    format!("{kept}...")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, severity: Severity, line: u32) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            message: format!("{rule} message"),
            system: None,
            file: "a/model_card.yaml".into(),
            line,
            column: 1,
            field: None,
            key: None,
            controls: vec!["iso42001:A.5.2".into()],
            waived: false,
            baselined: false,
            baseline: None,
            help: Some("Do this.".into()),
            waiver: None,
            approval: None,
            exception: None,
        }
    }

    #[test]
    fn most_severe_first_and_waived_left_out() {
        let mut waived = finding("w", Severity::Error, 3);
        waived.waived = true;
        let findings = vec![
            finding("n", Severity::Note, 1),
            finding("warn", Severity::Warning, 0),
            finding("err", Severity::Error, 2),
            waived,
        ];
        let a = annotations(&findings, &|f| format!("sub/{f}"));
        let rules: Vec<&str> = a.iter().map(|a| a["title"].as_str().unwrap()).collect();
        assert_eq!(rules, ["err", "warn", "n"]);
        assert_eq!(a[0]["annotation_level"], "failure");
        assert_eq!(a[1]["start_line"], 1);
        assert_eq!(a[2]["annotation_level"], "notice");
        assert_eq!(a[0]["path"], "sub/a/model_card.yaml");
        assert!(a[0]["raw_details"]
            .as_str()
            .unwrap()
            .contains("iso42001:A.5.2"));
    }

    #[test]
    fn conclusions() {
        assert_eq!(conclusion(true, &[]), "failure");
        assert_eq!(conclusion(false, &[]), "success");
        assert_eq!(
            conclusion(false, &[finding("x", Severity::Warning, 1)]),
            "neutral"
        );
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate_bytes("héllo", 4), "h...");
        assert_eq!(truncate_chars("abcdef", 5), "ab...");
        assert_eq!(truncate_chars("abc", 5), "abc");
    }
}
