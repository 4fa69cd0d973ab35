//! The input document each evaluation sees (see docs/input.md).

use crate::load::System;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Parameters every built-in policy may read, with their defaults.
pub fn default_params() -> Map<String, Value> {
    let mut params = Map::new();
    params.insert("bias_ratio_min".into(), json!(0.8));
    params.insert("bias_difference_max".into(), json!(0.1));
    params.insert("min_group_size".into(), json!(30));
    params.insert("max_assessment_age_days".into(), json!(365));
    params.insert(
        "max_waiver_days".into(),
        json!(crate::evaluate::waivers::MAX_WAIVER_DAYS),
    );
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
    /// The files the change touched: `None` for a full scan without `--base`.
    pub changed: Option<&'a BTreeSet<String>>,
    /// Under `--base`: the base revision's commit id.
    pub base: Option<&'a str>,
    /// Under `--base`: the repository's governance facts (`input.governance`).
    pub governance: Option<&'a Value>,
}

/// The input document of `system` as JSON (what `aimsgate inspect` prints).
/// `base`, under `--base`: the system at the base revision (`None` inside
/// when it is new there).
pub fn document(system: &System, ctx: &Context<'_>, base: Option<Option<&System>>) -> Value {
    let mut input = without_record(system, ctx);
    input["record"] = system.record.to_json();
    if let Some(commit) = ctx.base {
        input["base"] = crate::governance::base_input(commit, base.flatten());
    }
    input
}

/// The input document of `system` for evaluation: the value of
/// [`document`], built straight from the loaded system rather than through
/// JSON (this runs once per system; `params` is converted once per run).
pub fn for_system<'a>(
    system: &'a System,
    ctx: &Context<'_>,
    params: &regorus::Value,
    base: Option<Option<&System>>,
) -> Evaluation<'a> {
    use regorus::Value as V;
    let strings = |items: &[String]| {
        V::from(
            items
                .iter()
                .map(|s| V::from(s.as_str()))
                .collect::<Vec<_>>(),
        )
    };
    let changed_files = changed_files(system, ctx);
    let bom = system.source.bom();
    let input = object([
        ("kind", V::from("system")),
        (
            "system",
            object([
                ("id", V::from(system.source.id.as_str())),
                ("path", V::from(system.source.id.as_str())),
                ("card", V::from(system.source.card.as_str())),
                ("format", V::from(system.format)),
                ("ml_files", strings(&system.source.ml_files)),
                ("models", json_value(&bom.models)),
                ("providers", json_value(&bom.providers)),
            ]),
        ),
        ("tier", V::from(system.tier)),
        ("record", system.record.to_value()),
        ("sections", sections(&system.sections)),
        (
            "documents",
            V::from(
                system
                    .documents
                    .iter()
                    .map(|(k, d)| {
                        let document = object([
                            ("file", V::from(d.file.as_str())),
                            ("sections", sections(&d.sections)),
                        ]);
                        (V::from(k.as_str()), document)
                    })
                    .collect::<BTreeMap<_, _>>(),
            ),
        ),
        (
            "problems",
            V::from(system.problems.iter().map(problem).collect::<Vec<_>>()),
        ),
        ("placeholders", strings(&system.placeholders)),
        (
            "placeholder_sections",
            V::from(
                system
                    .placeholder_sections
                    .iter()
                    .map(|p| {
                        object([
                            ("file", V::from(p.file.as_str())),
                            ("title", V::from(p.title.as_str())),
                            ("line", V::from(u64::from(p.line))),
                            ("reason", V::from(p.reason.as_str())),
                        ])
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
        ("changed", V::from(!changed_files.is_empty())),
        (
            "changed_files",
            V::from(
                changed_files
                    .iter()
                    .map(|f| V::from(f.as_str()))
                    .collect::<Vec<_>>(),
            ),
        ),
        ("now", V::from(ctx.now)),
        ("params", params.clone()),
    ]);
    let mut input = input;
    if let (Some(commit), Ok(fields)) = (ctx.base, input.as_object_mut()) {
        let base = crate::governance::base_input(commit, base.flatten());
        fields.insert(V::from("base"), V::from(base));
    }
    Evaluation {
        subject: format!("system {}", system.source.id),
        input,
        system: Some(system),
    }
}

/// A serialisable value as regorus sees it (a small part of the input: the
/// rest is built directly).
fn json_value<T: serde::Serialize>(value: &T) -> regorus::Value {
    regorus::Value::from(serde_json::to_value(value).unwrap_or(Value::Null))
}

fn object<const N: usize>(fields: [(&str, regorus::Value); N]) -> regorus::Value {
    regorus::Value::from(
        fields
            .into_iter()
            .map(|(k, v)| (regorus::Value::from(k), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn sections(list: &[crate::load::markdown::Section]) -> regorus::Value {
    use regorus::Value as V;
    V::from(
        list.iter()
            .map(|s| {
                object([
                    ("title", V::from(s.title.as_str())),
                    ("level", V::from(u64::from(s.level))),
                    ("line", V::from(u64::from(s.line))),
                    ("text", V::from(s.text.as_str())),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

fn problem(p: &crate::load::Problem) -> regorus::Value {
    use regorus::Value as V;
    let mut fields = vec![
        ("file", V::from(p.file.as_str())),
        ("line", V::from(u64::from(p.line))),
        ("column", V::from(u64::from(p.column))),
        ("message", V::from(p.message.as_str())),
    ];
    if let Some(field) = &p.field {
        fields.push(("field", V::from(field.as_str())));
    }
    regorus::Value::from(
        fields
            .into_iter()
            .map(|(k, v)| (V::from(k), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// The files of `system` among the changed ones, sorted, without repeats.
fn changed_files<'s>(system: &'s System, ctx: &Context<'_>) -> Vec<&'s String> {
    match ctx.changed {
        Some(changed) => system
            .files
            .iter()
            .chain(system.source.ml_files.iter())
            .filter(|f| changed.contains(*f))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        None => Vec::new(),
    }
}

/// The input document of `system` with `record` null.
fn without_record(system: &System, ctx: &Context<'_>) -> Value {
    let changed_files = changed_files(system, ctx);
    let bom = system.source.bom();
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
            "models": bom.models,
            "providers": bom.providers,
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

/// What discovery found outside any system: the repository's facts.
#[derive(Debug, Clone, Copy)]
pub struct Repository<'a> {
    /// Code with evidence and no card, one entry per system it forms.
    pub uncarded: &'a [crate::discover::UncardedSystem],
    /// Directories discovery passed over although they hold cards or ML code.
    pub skipped: &'a [crate::discover::Skipped],
}

/// The repository's input document as JSON (what `aimsgate inspect` prints).
pub fn repository_document(repo: Repository<'_>, ctx: &Context<'_>) -> Value {
    let systems: Vec<Value> = repo
        .uncarded
        .iter()
        .map(|system| {
            let (file, line, column) = system.first();
            let files: Vec<Value> = system
                .files
                .iter()
                .map(|f| json!({"file": f.file, "seen": f.describe(), "evidence": f}))
                .collect();
            let mut entry = json!({
                "dir": system.dir,
                "file": file,
                "line": line,
                "column": column,
                "files": files,
            });
            if let Some(card) = &system.covered_by {
                entry["covered_by"] = json!(card);
            }
            entry
        })
        .collect();
    let files: Vec<String> = repo
        .uncarded
        .iter()
        .flat_map(crate::discover::UncardedSystem::file_names)
        .collect();
    let skipped: Vec<Value> = repo
        .skipped
        .iter()
        .map(|s| {
            let mut entry =
                json!({"dir": s.dir, "hidden_by": s.hidden_by, "zone": s.zone, "files": s.files});
            if let Some(detail) = &s.detail {
                entry["detail"] = json!(detail);
            }
            entry
        })
        .collect();
    let changed: Vec<&String> = ctx.changed.map(|c| c.iter().collect()).unwrap_or_default();
    let mut document = json!({
        "kind": "repository",
        "systems_without_card": systems,
        "ml_files_without_card": files,
        "skipped": skipped,
        "changed_files": changed,
        "now": ctx.now,
        "params": ctx.params,
    });
    if let Some(governance) = ctx.governance {
        document["governance"] = governance.clone();
    }
    document
}

pub fn for_repository<'a>(repo: Repository<'_>, ctx: &Context<'_>) -> Evaluation<'a> {
    Evaluation {
        subject: "the repository".into(),
        input: regorus::Value::from(repository_document(repo, ctx)),
        system: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Policies must see, value for value, what `aimsgate inspect` prints:
    /// checked on every example system and on one with problems (a missing
    /// link, a sidecar that does not parse) and placeholder text, with and
    /// without a changed-file scope.
    #[test]
    fn evaluation_input_is_the_inspected_document() {
        let broken = tempfile::tempdir().expect("tempdir");
        let card = "name: TODO\nrisk: {tier: high}\nimpact_assessment: missing.md\n";
        std::fs::write(broken.path().join("model_card.yaml"), card).expect("card");
        std::fs::write(broken.path().join("aimsgate.yaml"), "a: [").expect("sidecar");
        let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut params = default_params();
        params.insert("allowed_licenses".into(), json!(["mit", "apache-2.0"]));
        let params_value = regorus::Value::from(Value::Object(params.clone()));
        let (mut systems, mut with_problems, mut with_documents) = (0, 0, 0);
        for root in [examples.as_path(), broken.path()] {
            let tree = crate::tree::Tree::work(root).expect("tree");
            let config = crate::config::Config::load(None, &tree).expect("config");
            let found = crate::discover::discover(&tree, &config).expect("discover");
            let limits = config.limits.parser_limits();
            let cache = crate::load::RunCache::default();
            let mut changed = BTreeSet::new();
            for source in &found.systems {
                changed.insert(source.card.clone());
                let system = crate::load::load_system(&tree, source.clone(), &limits, &cache);
                systems += 1;
                with_problems += usize::from(!system.problems.is_empty());
                with_documents += usize::from(!system.documents.is_empty());
                for scope in [None, Some(&changed)] {
                    let ctx = Context {
                        now: "2026-11-29",
                        params: &params,
                        changed: scope,
                        base: None,
                        governance: None,
                    };
                    let direct = for_system(&system, &ctx, &params_value, None).input;
                    let inspected = regorus::Value::from(document(&system, &ctx, None));
                    assert_eq!(direct, inspected, "{}", source.id);
                }
            }
        }
        assert!(systems >= 6 && with_problems > 0 && with_documents > 0);
    }
}
