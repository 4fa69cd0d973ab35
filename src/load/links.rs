//! Linked documents: paths in the record, relative to the card, that must exist
//! inside the repository. Some are read and grafted in place of their path.

use super::document::Document;
use super::format::Limits;
use super::node::{Kind, Node};
use super::{Linked, Problem};
use std::collections::BTreeMap;
use std::path::Path;

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

pub fn resolve(
    root: &Path,
    card_dir: &str,
    record: &mut Node,
    limits: &Limits,
    documents: &mut BTreeMap<String, Linked>,
    problems: &mut Vec<Problem>,
    files: &mut Vec<String>,
) {
    for pattern in GRAFTED {
        for path in expand(record, pattern) {
            let Some((target, value_node)) = reference(record, &path) else {
                continue;
            };
            match check(root, &base_dir(&value_node, card_dir), &target) {
                Ok(rel) => {
                    let doc = Document::read(root, &rel, limits);
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
            match check(root, &base_dir(&value_node, card_dir), &target) {
                Ok(rel) => files.push(rel),
                Err(message) => problems.push(problem(&value_node, &path, message)),
            }
        }
    }
}

/// A path is relative to the file it is written in: the card, a sidecar beside
/// it, or a linked document (a datasheet's `dpia` is relative to the datasheet).
fn base_dir(value: &Node, card_dir: &str) -> String {
    if value.pos.file.is_empty() {
        card_dir.to_string()
    } else {
        crate::discover::parent_dir(&value.pos.file)
    }
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

/// Checks that `target`, relative to the card's directory, is a file inside the root.
/// Returns it relative to the root.
fn check(root: &Path, card_dir: &str, target: &str) -> Result<String, String> {
    if target.is_empty() {
        return Err("the path is empty".into());
    }
    if target.contains("://") {
        return Err(format!(
            "{target:?} is a URL; link a file in the repository"
        ));
    }
    let target_path = Path::new(target);
    if target_path.is_absolute() || target.starts_with('/') || target.starts_with('\\') {
        return Err(format!(
            "{target:?} is absolute; write it relative to the card"
        ));
    }
    let joined = super::join(card_dir, target);
    let normal = crate::discover::normalize(Path::new(&joined));
    // Lexically: `..` must not climb above the root.
    let mut depth: i64 = 0;
    for part in joined.split(['/', '\\']) {
        match part {
            ".." => depth -= 1,
            "." | "" => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return Err(format!("{target:?} leaves the repository"));
        }
    }
    // One lstat per component below the (canonical) root; only a path that
    // passes through a symlink needs resolving in full.
    let full = root.join(&normal);
    let mut at = root.to_path_buf();
    let mut through_symlink = false;
    let mut last = None;
    for part in normal.components() {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            return Err(format!("{target:?} does not exist"));
        };
        through_symlink |= meta.file_type().is_symlink();
        last = Some(meta);
    }
    if through_symlink {
        if !full.exists() {
            return Err(format!("{target:?} does not exist"));
        }
        if !crate::discover::stays_inside(root, &full) {
            return Err(format!(
                "{target:?} leaves the repository through a symlink"
            ));
        }
    }
    let is_file = if through_symlink {
        full.is_file()
    } else {
        last.is_some_and(|m| m.is_file())
    };
    if !is_file {
        return Err(format!("{target:?} is not a file"));
    }
    Ok(normal
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/"))
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
