//! Known card formats mapped onto the aimsgate record. Keys a card writes
//! itself always win; adapters only fill what is missing.

pub mod cyclonedx;
pub mod huggingface;
pub mod mct;
pub mod sections;

use super::node::{Kind, Node, Pos};

/// Sets `path` (dotted) in `record` to `value` unless something is already there,
/// creating intermediate objects at `pos`.
pub fn fill(record: &mut Node, path: &str, value: Node) {
    let mut node = record;
    let segments: Vec<&str> = path.split('.').collect();
    let Some((last, parents)) = segments.split_last() else {
        return;
    };
    for segment in parents {
        if node.get(segment).is_none() {
            node.insert(segment, value.pos.clone(), Node::object(value.pos.clone()));
        }
        match node.get_mut(segment) {
            Some(child) if child.is_object() => node = child,
            _ => return,
        }
    }
    if node.get(last).is_none() {
        node.insert(last, value.pos.clone(), value);
    }
}

/// Like [`fill`] but replaces an existing value: for facts a format states explicitly.
pub fn set(record: &mut Node, path: &str, value: Node) {
    let mut node = record;
    let segments: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    let Some((last, parents)) = segments.split_last() else {
        return;
    };
    for segment in parents {
        if !node.get(segment).is_some_and(Node::is_object) {
            node.insert(segment, value.pos.clone(), Node::object(value.pos.clone()));
        }
        match node.get_mut(segment) {
            Some(child) => node = child,
            None => return,
        }
    }
    node.insert(last, value.pos.clone(), value);
}

/// A performance metric (`{type, value, slice}` in CycloneDX and Model Card
/// Toolkit alike) as an evaluation entry.
pub fn metric_entry(metric: &Node) -> Node {
    let mut entry = Node::object(metric.pos.clone());
    for (from, to) in [("type", "metric"), ("value", "value"), ("slice", "split")] {
        if let Some(v) = metric.get(from) {
            entry.insert(to, v.pos.clone(), v.clone());
        }
    }
    entry
}

pub fn array(items: Vec<Node>, pos: Pos) -> Node {
    Node::new(Kind::Array(items), pos)
}

/// Strings, or `{description: ...}` / `{name: ...}` objects, as a list of strings.
pub fn texts(node: &Node) -> Vec<Node> {
    let one = |n: &Node| -> Option<Node> {
        match &n.kind {
            Kind::String(_) => Some(n.clone()),
            Kind::Object(_) => ["description", "name", "value"]
                .iter()
                .find_map(|k| n.get(k).filter(|v| v.as_str().is_some()).cloned()),
            _ => None,
        }
    };
    match &node.kind {
        Kind::Array(items) => items.iter().filter_map(one).collect(),
        _ => one(node).into_iter().collect(),
    }
}
