//! Hugging Face model-card front matter: `datasets`, `model-index`.

use super::{array, fill};
use crate::load::node::{Kind, Node};

pub fn is_huggingface(front_matter: &Node) -> bool {
    ["model-index", "pipeline_tag", "base_model", "library_name"]
        .iter()
        .any(|k| front_matter.get(k).is_some())
}

pub fn adapt(record: &mut Node) {
    normalize_datasets(record);
    if record.get("evaluation").is_none() {
        if let Some(evaluation) = record.get("model-index").and_then(model_index_results) {
            fill(record, "evaluation", evaluation);
        }
    }
    if record.get("name").is_none() {
        let name = record
            .get("model-index")
            .and_then(Node::as_array)
            .and_then(|a| a.first())
            .and_then(|m| m.get("name"))
            .filter(|n| n.as_str().is_some())
            .cloned();
        if let Some(name) = name {
            fill(record, "name", name);
        }
    }
}

/// A bare dataset string is a Hub id of a third-party dataset.
fn normalize_datasets(record: &mut Node) {
    let Some(datasets) = record.get_mut("datasets") else {
        return;
    };
    if let Kind::String(_) = datasets.kind {
        let single = datasets.clone();
        *datasets = array(vec![single], datasets.pos.clone());
    }
    if let Kind::Array(items) = &mut datasets.kind {
        for item in items.iter_mut() {
            if let Some(id) = item.as_str().map(str::to_string) {
                let pos = item.pos.clone();
                let mut object = Node::object(pos.clone());
                object.insert("id", pos.clone(), Node::string(id, pos.clone()));
                object.insert("external", pos.clone(), Node::new(Kind::Bool(true), pos));
                *item = object;
            }
        }
    }
}

/// `model-index[].results[].metrics[]` as evaluation entries.
fn model_index_results(index: &Node) -> Option<Node> {
    let mut out = Vec::new();
    for model in index.as_array()? {
        for result in model.get("results").and_then(Node::as_array).unwrap_or(&[]) {
            let dataset = result.get("dataset");
            let dataset_name = dataset
                .and_then(|d| d.get("name").or_else(|| d.get("type")))
                .filter(|n| n.as_str().is_some());
            let split = dataset.and_then(|d| d.get("split"));
            for metric in result
                .get("metrics")
                .and_then(Node::as_array)
                .unwrap_or(&[])
            {
                let pos = metric.pos.clone();
                let mut entry = Node::object(pos.clone());
                if let Some(kind) = metric.get("type").or_else(|| metric.get("name")) {
                    entry.insert("metric", kind.pos.clone(), kind.clone());
                }
                if let Some(value) = metric.get("value") {
                    entry.insert("value", value.pos.clone(), value.clone());
                }
                if let Some(d) = dataset_name {
                    entry.insert("dataset", d.pos.clone(), d.clone());
                }
                if let Some(s) = split {
                    entry.insert("split", s.pos.clone(), s.clone());
                }
                out.push(entry);
            }
        }
    }
    (!out.is_empty()).then(|| array(out, index.pos.clone()))
}
