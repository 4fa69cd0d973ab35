//! Policy results (conftest conventions) turned into located findings.

use super::input::Evaluation;
use super::metadata::RuleMeta;
use super::Query;
use crate::config::RuleOverride;
use crate::finding::{Finding, Severity};
use regorus::Value;
use std::collections::BTreeMap;

pub(super) fn collect(
    value: &Value,
    query: &Query,
    meta: Option<&RuleMeta>,
    evaluation: &Evaluation<'_>,
    overrides: &BTreeMap<String, RuleOverride>,
    out: &mut Vec<Finding>,
) -> Result<(), String> {
    let items: Vec<&Value> = match value {
        Value::Undefined | Value::Null => return Ok(()),
        Value::Set(set) => set.iter().collect(),
        Value::Array(items) => items.iter().collect(),
        Value::Bool(false) => return Ok(()),
        other => vec![other],
    };
    for item in items {
        if let Some(finding) = one(item, query, meta, evaluation, overrides)? {
            out.push(finding);
        }
    }
    Ok(())
}

fn one(
    item: &Value,
    query: &Query,
    meta: Option<&RuleMeta>,
    evaluation: &Evaluation<'_>,
    overrides: &BTreeMap<String, RuleOverride>,
) -> Result<Option<Finding>, String> {
    let field_str = |key: &str| -> Option<String> {
        match item {
            Value::Object(obj) => match obj.get(&Value::from(key)) {
                Some(Value::String(s)) => Some(s.to_string()),
                _ => None,
            },
            _ => None,
        }
    };
    let message = match item {
        Value::String(s) => s.to_string(),
        Value::Bool(true) => format!("{} is true", query.rule),
        Value::Object(_) => field_str("msg").ok_or_else(|| {
            format!(
                "a {} result is an object without a string `msg`",
                query.rule
            )
        })?,
        other => {
            return Err(format!(
                "a {} result must be a string or an object with `msg`, not {}",
                query.rule,
                other.to_json_str().unwrap_or_default()
            ))
        }
    };
    let rule = field_str("rule")
        .or_else(|| meta.map(|m| m.id.clone()).filter(|id| !id.is_empty()))
        .unwrap_or_else(|| {
            query
                .package
                .rsplit('.')
                .next()
                .unwrap_or(&query.package)
                .replace('_', "-")
        });
    let tier = evaluation.system.map_or("high", |s| s.tier);
    let default = if query.is_warning() {
        Severity::Warning
    } else {
        Severity::Error
    };
    let severity = match field_str("severity") {
        Some(s) => Some(
            Severity::parse(&s)
                .ok_or_else(|| format!("result severity {s:?} is not error, warning or note"))?,
        ),
        None => match meta.and_then(|m| m.severity_for(tier)) {
            Some(by_tier) => by_tier,
            None => Some(default),
        },
    };
    let severity = match overrides.get(&rule) {
        Some(o) if o.severity == "off" => None,
        Some(o) => Severity::parse(&o.severity),
        None => severity,
    };
    let Some(severity) = severity else {
        return Ok(None);
    };
    let controls = match item {
        Value::Object(obj) => match obj.get(&Value::from("controls")) {
            Some(Value::Array(cs)) => Some(
                cs.iter()
                    .filter_map(|c| match c {
                        Value::String(s) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        },
        _ => None,
    }
    .or_else(|| meta.map(|m| m.controls.clone()))
    .unwrap_or_default();

    let field = field_str("field");
    let number = |key: &str| match item {
        Value::Object(obj) => obj.get(&Value::from(key)).and_then(|l| l.as_u32().ok()),
        _ => None,
    };
    let explicit = (number("line"), number("column"));
    let (file, line, column) = locate(evaluation, field_str("file"), explicit, field.as_deref());
    let accepted = accepted(item);
    Ok(Some(Finding {
        rule,
        severity,
        message,
        system: evaluation.system.map(|s| s.source.id.clone()),
        file,
        line,
        column,
        field,
        key: field_str("key"),
        controls,
        waived: accepted.is_some(),
        baselined: false,
        baseline: None,
        help: meta
            .map(|m| m.remediation.clone())
            .filter(|r| !r.is_empty()),
        waiver: accepted.as_ref().map(|a| a.justification()),
        approval: accepted.as_ref().map(|a| a.approval.clone()),
        exception: accepted.and_then(|a| a.field),
    }))
}

/// An exception a policy reports with its finding (`accepted: {by, reason,
/// field}`): a risk acceptance or a not_applicable written in the record.
/// The finding is reported waived, its approval a claim until verified.
struct Accepted {
    approval: crate::finding::Approval,
    reason: String,
    field: Option<String>,
}

impl Accepted {
    fn justification(&self) -> String {
        let reason = if self.reason.trim().is_empty() {
            "accepted"
        } else {
            self.reason.trim()
        };
        format!("{reason} ({})", self.approval.describe())
    }
}

fn accepted(item: &Value) -> Option<Accepted> {
    let Value::Object(obj) = item else {
        return None;
    };
    let Some(Value::Object(accepted)) = obj.get(&Value::from("accepted")) else {
        return None;
    };
    let text = |key: &str| match accepted.get(&Value::from(key)) {
        Some(Value::String(s)) => Some(s.to_string()),
        _ => None,
    };
    let by = text("by").filter(|b| !b.trim().is_empty())?;
    Some(Accepted {
        approval: crate::finding::Approval::claim(&by, "claim"),
        reason: text("reason").unwrap_or_default(),
        field: text("field"),
    })
}

/// An explicit file wins; else the field's key (or nearest parent); else line 1 of the card.
fn locate(
    evaluation: &Evaluation<'_>,
    file: Option<String>,
    (line, column): (Option<u32>, Option<u32>),
    field: Option<&str>,
) -> (String, u32, u32) {
    let line = line.unwrap_or(1).max(1);
    let column = column.unwrap_or(1).max(1);
    if let Some(file) = file {
        return (file, line, column);
    }
    let Some(system) = evaluation.system else {
        return (".".into(), line, column);
    };
    if let Some(field) = field {
        let (pos, _) = system.record.locate(field);
        // The record's own position is where its first key was written, not a
        // parent of the field: a field missing at the top level belongs at line 1.
        if pos != system.record.pos {
            return (pos.file.to_string(), pos.line, pos.column);
        }
    }
    (system.source.card.clone(), line, column)
}
