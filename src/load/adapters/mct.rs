//! Google Model Card Toolkit JSON, schema 0.0.1 (plain strings) and 0.0.2 (objects).

use super::{array, fill, texts};
use crate::load::node::Node;

pub fn is_mct(doc: &Node) -> bool {
    doc.get("model_details").is_some_and(Node::is_object)
}

pub fn adapt(doc: &Node) -> Node {
    let mut record = Node::object(doc.pos.clone());
    let details = doc.get("model_details");
    if let Some(d) = details {
        if let Some(name) = d.get("name") {
            fill(&mut record, "name", name.clone());
        }
        if let Some(version) = d.get("version").and_then(|v| v.get("name").or(Some(v))) {
            if version.as_str().is_some() {
                fill(&mut record, "version", version.clone());
            }
        }
        if let Some(owner) = d
            .get("owners")
            .and_then(Node::as_array)
            .and_then(|o| o.first())
        {
            for key in ["name", "contact"] {
                if let Some(v) = owner.get(key) {
                    fill(&mut record, &format!("owner.{key}"), v.clone());
                }
            }
        }
        let license = d
            .get("licenses")
            .and_then(Node::as_array)
            .and_then(|l| l.first())
            .and_then(|l| l.get("identifier").or_else(|| l.get("custom_text")))
            .or_else(|| d.get("license").filter(|l| l.as_str().is_some()));
        if let Some(license) = license {
            fill(&mut record, "license", license.clone());
        }
    }
    if let Some(considerations) = doc.get("considerations") {
        for (key, path) in [
            ("use_cases", "intended_use.primary"),
            ("users", "intended_use.users"),
            ("limitations", "limitations"),
        ] {
            if let Some(node) = considerations.get(key) {
                let items = texts(node);
                if !items.is_empty() {
                    fill(&mut record, path, array(items, node.pos.clone()));
                }
            }
        }
    }
    if let Some(metrics) = doc
        .get("quantitative_analysis")
        .and_then(|q| q.get("performance_metrics"))
        .and_then(Node::as_array)
    {
        let entries: Vec<Node> = metrics.iter().map(super::metric_entry).collect();
        if !entries.is_empty() {
            fill(
                &mut record,
                "evaluation",
                array(entries, metrics[0].pos.clone()),
            );
        }
    }
    if let Some(data) = doc
        .get("model_parameters")
        .and_then(|p| p.get("data"))
        .and_then(Node::as_array)
    {
        let entries: Vec<Node> = data
            .iter()
            .filter_map(|d| {
                let name = d.get("name")?;
                let mut entry = Node::object(d.pos.clone());
                entry.insert("id", name.pos.clone(), name.clone());
                Some(entry)
            })
            .collect();
        if !entries.is_empty() {
            fill(&mut record, "datasets", array(entries, data[0].pos.clone()));
        }
    }
    record
}
