//! CycloneDX ML-BOM (1.5, 1.6): the first `machine-learning-model` component's
//! `modelCard`, plus governance facts in properties named `aimsgate:<dotted.path>`.

use super::{array, fill, set, texts};
use crate::load::format::Limits;
use crate::load::node::{Kind, Node};

pub fn is_cyclonedx(doc: &Node) -> bool {
    doc.get("bomFormat").and_then(Node::as_str) == Some("CycloneDX")
}

/// The record for the BOM, or `None` when it holds no ML model component.
pub fn adapt(doc: &Node, limits: &Limits) -> Option<Node> {
    let component = ml_component(doc)?;
    let mut record = Node::object(component.pos.clone());
    for key in ["name", "version"] {
        if let Some(v) = component.get(key) {
            fill(&mut record, key, v.clone());
        }
    }
    if let Some(license) = first_license(component) {
        fill(&mut record, "license", license);
    }
    let supplier = component
        .get("supplier")
        .or_else(|| component.get("manufacturer"))
        .or_else(|| doc.get("metadata").and_then(|m| m.get("manufacturer")));
    if let Some(name) = supplier.and_then(|s| s.get("name")) {
        fill(&mut record, "owner.name", name.clone());
    }
    let card = component.get("modelCard");
    if let Some(considerations) = card.and_then(|c| c.get("considerations")) {
        map_list(
            &mut record,
            considerations,
            "useCases",
            "intended_use.primary",
        );
        map_list(&mut record, considerations, "users", "intended_use.users");
        map_list(
            &mut record,
            considerations,
            "technicalLimitations",
            "limitations",
        );
    }
    if let Some(metrics) = card
        .and_then(|c| c.get("quantitativeAnalysis"))
        .and_then(|q| q.get("performanceMetrics"))
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
    if let Some(datasets) = card
        .and_then(|c| c.get("modelParameters"))
        .and_then(|p| p.get("datasets"))
        .and_then(Node::as_array)
    {
        let entries: Vec<Node> = datasets.iter().filter_map(dataset_entry).collect();
        if !entries.is_empty() {
            fill(
                &mut record,
                "datasets",
                array(entries, datasets[0].pos.clone()),
            );
        }
    }
    for properties in [
        component.get("properties"),
        card.and_then(|c| c.get("properties")),
    ]
    .into_iter()
    .flatten()
    {
        apply_properties(&mut record, properties, limits);
    }
    Some(record)
}

fn ml_component(doc: &Node) -> Option<&Node> {
    let is_ml = |c: &&Node| c.get("type").and_then(Node::as_str) == Some("machine-learning-model");
    doc.get("metadata")
        .and_then(|m| m.get("component"))
        .filter(is_ml)
        .or_else(|| {
            doc.get("components")
                .and_then(Node::as_array)
                .and_then(|cs| cs.iter().find(is_ml))
        })
}

fn first_license(component: &Node) -> Option<Node> {
    let first = component.get("licenses")?.as_array()?.first()?;
    if let Some(expr) = first.get("expression") {
        return Some(expr.clone());
    }
    let license = first.get("license")?;
    license.get("id").or_else(|| license.get("name")).cloned()
}

fn map_list(record: &mut Node, from: &Node, key: &str, path: &str) {
    if let Some(node) = from.get(key) {
        let items = texts(node);
        if !items.is_empty() {
            fill(record, path, array(items, node.pos.clone()));
        }
    }
}

fn dataset_entry(dataset: &Node) -> Option<Node> {
    let id = dataset
        .get("name")
        .or_else(|| dataset.get("ref"))
        .or_else(|| dataset.get("bom-ref"))?;
    let mut entry = Node::object(dataset.pos.clone());
    entry.insert("id", id.pos.clone(), id.clone());
    Some(entry)
}

/// `{"name": "aimsgate:risk.tier", "value": "high"}`: values are read as YAML
/// scalars so `true` and `30` keep their types.
fn apply_properties(record: &mut Node, properties: &Node, limits: &Limits) {
    for property in properties.as_array().unwrap_or(&[]) {
        let Some(path) = property
            .get("name")
            .and_then(Node::as_str)
            .and_then(|n| n.strip_prefix("aimsgate:"))
        else {
            continue;
        };
        let Some(value) = property.get("value") else {
            continue;
        };
        let typed = match value.as_str() {
            Some(text) => {
                let file = value.pos.file.clone();
                match crate::load::yaml::parse_yaml(text, &file, limits) {
                    Ok(n) if !matches!(n.kind, Kind::Object(_) | Kind::Array(_) | Kind::Null) => {
                        Node::new(n.kind, value.pos.clone())
                    }
                    _ => value.clone(),
                }
            }
            None => value.clone(),
        };
        set(record, path, typed);
    }
}
