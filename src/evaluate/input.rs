//! The input document each evaluation sees (see docs/input.md).

use crate::load::System;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// Parameters every built-in policy may read, with their defaults.
pub fn default_params() -> Map<String, Value> {
    let mut params = Map::new();
    params.insert("bias_ratio_min".into(), json!(0.8));
    params.insert("bias_difference_max".into(), json!(0.1));
    params.insert("min_group_size".into(), json!(30));
    params.insert("max_assessment_age_days".into(), json!(365));
    params
}

pub struct Evaluation<'a> {
    /// Names the subject in error messages: a system id or "the repository".
    pub subject: String,
    pub input: regorus::Value,
    pub system: Option<&'a System>,
}

pub struct Context<'a> {
    pub now: &'a str,
    pub params: &'a Map<String, Value>,
    /// `None` for a full scan; the changed files otherwise.
    pub changed: Option<&'a BTreeSet<String>>,
}

/// The input document of `system` as JSON (what `aimsgate inspect` prints).
pub fn document(system: &System, ctx: &Context<'_>) -> Value {
    let mut input = without_record(system, ctx);
    input["record"] = system.record.to_json();
    input
}

/// The input document of `system` for evaluation. The record, most of it,
/// goes straight from the tree to a regorus value.
pub fn for_system<'a>(system: &'a System, ctx: &Context<'_>) -> Evaluation<'a> {
    let mut input = regorus::Value::from(without_record(system, ctx));
    if let Ok(fields) = input.as_object_mut() {
        fields.insert(regorus::Value::from("record"), system.record.to_value());
    }
    Evaluation {
        subject: format!("system {}", system.source.id),
        input,
        system: Some(system),
    }
}

/// The input document of `system` with `record` null.
fn without_record(system: &System, ctx: &Context<'_>) -> Value {
    let changed_files: Vec<&String> = match ctx.changed {
        Some(changed) => system
            .files
            .iter()
            .chain(system.source.ml_files.iter())
            .filter(|f| changed.contains(*f))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    let documents: Map<String, Value> = system
        .documents
        .iter()
        .map(|(k, v)| (k.clone(), json!({"file": v.file, "sections": v.sections})))
        .collect();
    json!({
        "kind": "system",
        "system": {
            "id": system.source.id,
            "path": system.source.id,
            "card": system.source.card,
            "format": system.format,
            "ml_files": system.source.ml_files,
        },
        "tier": system.tier,
        "record": null,
        "sections": system.sections,
        "documents": documents,
        "problems": system.problems,
        "placeholders": system.placeholders,
        "placeholder_sections": system.placeholder_sections,
        "changed": !changed_files.is_empty(),
        "changed_files": changed_files,
        "now": ctx.now,
        "params": ctx.params,
    })
}

/// The repository's input document as JSON (what `aimsgate inspect` prints).
pub fn repository_document(unowned_ml_files: &[String], ctx: &Context<'_>) -> Value {
    let files: Vec<Value> = unowned_ml_files
        .iter()
        .map(|f| json!({"file": f}))
        .collect();
    let changed: Vec<&String> = ctx.changed.map(|c| c.iter().collect()).unwrap_or_default();
    json!({
        "kind": "repository",
        "ml_files_without_card": files,
        "changed_files": changed,
        "now": ctx.now,
        "params": ctx.params,
    })
}

pub fn for_repository<'a>(unowned_ml_files: &[String], ctx: &Context<'_>) -> Evaluation<'a> {
    Evaluation {
        subject: "the repository".into(),
        input: regorus::Value::from(repository_document(unowned_ml_files, ctx)),
        system: None,
    }
}
