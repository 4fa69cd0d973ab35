//! Linked documents: paths in the record, relative to the card, that must exist
//! inside the repository. Some are read and grafted in place of their path.

use super::document::Document;
use super::format::Limits;
use super::node::{Kind, Node};
use super::{Linked, Problem};
use crate::tree::Tree;
use std::collections::BTreeMap;

/// Paths read and grafted into the record.
const GRAFTED: &[&str] = &[
    "impact_assessment",
    "datasets.*.datasheet",
    "fairness.evidence",
];
/// Paths that must exist but are evidence for humans, not data for policies.
const CHECKED: &[&str] = &[
    "monitoring.plan",
    "suppliers.*.assessment",
    "datasets.*.datasheet.personal_data.dpia",
];

/// Extensions that make a string a document reference rather than prose or a URL.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    ".md",
    ".markdown",
    ".yaml",
    ".yml",
    ".json",
    ".toml",
    ".txt",
    ".pdf",
    ".html",
    ".csv",
];

/// What every linked read of a run shares: where, within which limits, and
/// what the run already learned.
pub struct Reader<'a> {
    pub tree: &'a Tree,
    pub limits: &'a Limits,
    pub cache: &'a super::RunCache,
}

pub fn resolve(
    reader: &Reader<'_>,
    card_dir: &str,
    record: &mut Node,
    documents: &mut BTreeMap<String, Linked>,
    problems: &mut Vec<Problem>,
    files: &mut Vec<String>,
) {
    let (tree, limits) = (reader.tree, reader.limits);
    for pattern in GRAFTED {
        for path in expand(record, pattern) {
            let Some((target, value_node)) = reference(record, &path) else {
                continue;
            };
            match tree.resolve(&base_dir(&value_node, card_dir), &target) {
                Ok(rel) => {
                    // A document in the system's own directory is its own;
                    // one outside it may be linked by many systems.
                    let doc = if is_below(&rel, card_dir) {
                        Document::read(tree, &rel, limits)
                    } else {
                        reader.cache.documents.read(tree, &rel, limits)
                    };
                    if let Some(e) = &doc.error {
                        problems.push(Problem {
                            file: rel.clone(),
                            line: e.line,
                            column: e.column,
                            field: Some(path.clone()),
                            message: format!(
                                "{rel} (linked from {path}) does not parse: {}",
                                e.message
                            ),
                        });
                        continue;
                    }
                    if let Some(slot) = node_at_mut(record, &path) {
                        *slot = doc.data;
                    }
                    documents.insert(
                        path,
                        Linked {
                            file: rel.clone(),
                            sections: doc.sections,
                        },
                    );
                    files.push(rel);
                }
                Err(message) => problems.push(problem(&value_node, &path, message)),
            }
        }
    }
    for pattern in CHECKED {
        for path in expand(record, pattern) {
            let Some((target, value_node)) = reference(record, &path) else {
                continue;
            };
            if !looks_like_document(&target) {
                continue;
            }
            match tree.resolve(&base_dir(&value_node, card_dir), &target) {
                Ok(rel) if blank(tree, &rel) => problems.push(problem(
                    &value_node,
                    &path,
                    format!("{target:?} is empty: it is linked as evidence, so it must hold the document"),
                )),
                Ok(rel) => files.push(rel),
                Err(message) => problems.push(problem(&value_node, &path, message)),
            }
        }
    }
}

/// Evidence that holds nothing but whitespace in its first 64 KiB.
fn blank(tree: &Tree, rel: &str) -> bool {
    tree.head(rel, 64 * 1024)
        .is_some_and(|bytes| bytes.iter().all(u8::is_ascii_whitespace))
}

/// A path is relative to the file it is written in: the card, a sidecar beside
/// it, or a linked document (a datasheet's `dpia` is relative to the datasheet).
fn base_dir(value: &Node, card_dir: &str) -> String {
    if value.pos.file.is_empty() {
        card_dir.to_string()
    } else {
        crate::tree::parent_dir(&value.pos.file)
    }
}

/// True when the root-relative `rel` is inside the directory `dir` (`.` is the root).
fn is_below(rel: &str, dir: &str) -> bool {
    dir == "."
        || rel
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn problem(at: &Node, path: &str, message: String) -> Problem {
    Problem {
        file: at.pos.file.to_string(),
        line: at.pos.line,
        column: at.pos.column,
        field: Some(path.to_string()),
        message: format!("{path}: {message}"),
    }
}

fn looks_like_document(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    !lower.contains("://")
        && !target.contains(char::is_whitespace)
        && DOCUMENT_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// The string at `path` when it is one: a reference still to follow.
fn reference(record: &Node, path: &str) -> Option<(String, Node)> {
    let node = node_at(record, path)?;
    node.as_str().map(|s| (s.trim().to_string(), node.clone()))
}

/// Concrete paths for a pattern whose `*` stands for every array index.
fn expand(record: &Node, pattern: &str) -> Vec<String> {
    let mut paths = vec![(String::new(), record)];
    for segment in pattern.split('.') {
        let mut next = Vec::new();
        for (prefix, node) in paths {
            let join = |s: &str| {
                if prefix.is_empty() {
                    s.to_string()
                } else {
                    format!("{prefix}.{s}")
                }
            };
            if segment == "*" {
                if let Kind::Array(items) = &node.kind {
                    for (i, item) in items.iter().enumerate() {
                        next.push((join(&i.to_string()), item));
                    }
                }
            } else if let Some(child) = node.get(segment) {
                next.push((join(segment), child));
            }
        }
        paths = next;
    }
    paths.into_iter().map(|(p, _)| p).collect()
}

fn node_at<'a>(record: &'a Node, path: &str) -> Option<&'a Node> {
    let mut node = record;
    for segment in path.split('.') {
        node = match &node.kind {
            Kind::Object(_) => node.get(segment)?,
            Kind::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn node_at_mut<'a>(record: &'a mut Node, path: &str) -> Option<&'a mut Node> {
    let mut node = record;
    for segment in path.split('.') {
        node = if node.is_object() {
            node.get_mut(segment)?
        } else if let Kind::Array(items) = &mut node.kind {
            items.get_mut(segment.parse::<usize>().ok()?)?
        } else {
            return None;
        };
    }
    Some(node)
}
