//! One file read and parsed once, whatever its format.

use super::format::{Limits, ParseError};
use super::markdown::{parse_markdown, Section};
use super::node::{Node, Pos};
use crate::tree::Tree;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Yaml,
    Json,
    Toml,
}

impl Format {
    /// By extension; anything unknown is read as Markdown (prose with optional front matter).
    pub fn of(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else if lower.ends_with(".json") {
            Format::Json
        } else if lower.ends_with(".toml") {
            Format::Toml
        } else {
            Format::Markdown
        }
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    /// Relative to the scan root, as findings name it.
    pub file: Arc<str>,
    pub format: Format,
    /// The structured part: the whole file, or a Markdown file's front matter.
    /// An empty object when there is none or it did not parse.
    pub data: Node,
    pub sections: Vec<Section>,
    /// Why the file (or its front matter) could not be read.
    pub error: Option<ParseError>,
}

impl Document {
    pub fn read(tree: &Tree, rel: &str, limits: &Limits) -> Document {
        Document::read_sized(tree, rel, limits).0
    }

    /// [`Document::read`], with the length of the text read (0 when none was).
    pub fn read_sized(tree: &Tree, rel: &str, limits: &Limits) -> (Document, usize) {
        let file: Arc<str> = Arc::from(rel);
        let format = Format::of(rel);
        let text = match tree.read_text(rel, limits) {
            Ok(text) => text,
            Err(error) => return (Document::failed(file, format, error), 0),
        };
        let len = text.len();
        (Document::parse(file, format, &text, limits), len)
    }

    pub fn parse(file: Arc<str>, format: Format, text: &str, limits: &Limits) -> Document {
        let start = Pos::new(&file, 1, 1);
        let parsed = match format {
            Format::Markdown => {
                let md = parse_markdown(text, &file, limits);
                return Document {
                    data: md.front_matter.unwrap_or_else(|| Node::object(start)),
                    sections: md.sections,
                    error: md.front_matter_error,
                    file,
                    format,
                };
            }
            Format::Yaml => super::yaml::parse_yaml(text, &file, limits),
            Format::Json => super::json::parse_json(text, &file, limits),
            Format::Toml => super::toml::parse_toml(text, &file, limits),
        };
        match parsed {
            Ok(node) if node.is_object() => Document {
                file,
                format,
                data: node,
                sections: Vec::new(),
                error: None,
            },
            // An empty YAML file is an empty card, not a broken one.
            Ok(node) if matches!(node.kind, super::node::Kind::Null) => Document {
                data: Node::object(node.pos),
                file,
                format,
                sections: Vec::new(),
                error: None,
            },
            Ok(node) => {
                let error = ParseError::new(
                    node.pos.line,
                    node.pos.column,
                    format!(
                        "expected a mapping at the top level, found {}",
                        kind_name(&node)
                    ),
                );
                Document::failed(file, format, error)
            }
            Err(error) => Document::failed(file, format, error),
        }
    }

    fn failed(file: Arc<str>, format: Format, error: ParseError) -> Document {
        Document {
            data: Node::object(Pos::new(&file, 1, 1)),
            file,
            format,
            sections: Vec::new(),
            error: Some(error),
        }
    }
}

/// Documents linked from outside their systems' own directories (a shared
/// datasheet is linked by every system trained on it), parsed once per run.
/// A document's positions name its own file, so a copy grafts exactly as a
/// fresh parse would. Bounded in entries and in text bytes; once full it only
/// stops growing.
#[derive(Debug, Default)]
pub struct Shared {
    parsed: RwLock<HashMap<Box<str>, Document>>,
    bytes: AtomicUsize,
}

const MAX_SHARED_DOCUMENTS: usize = 4096;
/// Of text: a parsed tree takes several times its text, so this keeps the
/// cache to tens of megabytes.
const MAX_SHARED_BYTES: usize = 16 * 1024 * 1024;

impl Shared {
    pub fn read(&self, tree: &Tree, rel: &str, limits: &Limits) -> Document {
        // A poisoned lock only means another thread panicked: read afresh.
        if let Some(doc) = self
            .parsed
            .read()
            .ok()
            .and_then(|parsed| parsed.get(rel).cloned())
        {
            return doc;
        }
        let (doc, len) = Document::read_sized(tree, rel, limits);
        if let Ok(mut parsed) = self.parsed.write() {
            let bytes = self.bytes.load(Ordering::Relaxed).saturating_add(len);
            if parsed.len() < MAX_SHARED_DOCUMENTS
                && bytes <= MAX_SHARED_BYTES
                && !parsed.contains_key(rel)
            {
                self.bytes.store(bytes, Ordering::Relaxed);
                parsed.insert(rel.into(), doc.clone());
            }
        }
        doc
    }
}

pub fn kind_name(node: &Node) -> &'static str {
    use super::node::Kind;
    match node.kind {
        Kind::Null => "null",
        Kind::Bool(_) => "a boolean",
        Kind::Number(_) => "a number",
        Kind::String(_) => "a string",
        Kind::Array(_) => "a sequence",
        Kind::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_document_is_parsed_once_and_copied_exactly() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let tree = Tree::work(root).unwrap_or_else(|e| panic!("{e}"));
        let text = "---\nname: ds\n---\n\n# Datasheet\n\nText.\n";
        std::fs::write(root.join("sheet.md"), text).unwrap_or_else(|e| panic!("{e}"));
        let limits = Limits::default();
        let shared = Shared::default();
        let first = shared.read(&tree, "sheet.md", &limits);
        let fresh = Document::read(&tree, "sheet.md", &limits);
        assert_eq!(first.data, fresh.data);
        assert_eq!(first.sections, fresh.sections);
        assert_eq!(shared.bytes.load(Ordering::Relaxed), text.len());
        // Served from memory: a change on disk is not seen within the run.
        std::fs::write(root.join("sheet.md"), "---\nname: other\n---\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let again = shared.read(&tree, "sheet.md", &limits);
        assert_eq!(again.data, fresh.data);
        assert_eq!(again.sections, fresh.sections);
    }
}
