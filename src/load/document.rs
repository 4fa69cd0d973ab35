//! One file read and parsed once, whatever its format.

use super::format::{Limits, ParseError};
use super::markdown::{parse_markdown, Section};
use super::node::{Node, Pos};
use std::path::Path;
use std::sync::Arc;

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

#[derive(Debug)]
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
    pub fn read(root: &Path, rel: &str, limits: &Limits) -> Document {
        let file: Arc<str> = Arc::from(rel);
        let format = Format::of(rel);
        let text = match super::text::read_text(&root.join(rel), limits) {
            Ok(text) => text,
            Err(error) => return Document::failed(file, format, error),
        };
        Document::parse(file, format, &text, limits)
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
