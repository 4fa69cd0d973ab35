//! Stage 2: read each system's card, sidecar and linked documents into one
//! positioned record, noting every problem instead of failing.

pub mod adapters;
pub mod document;
pub mod format;
pub mod json;
mod links;
pub mod markdown;
pub mod node;
pub mod placeholder;
pub mod text;
pub mod toml;
pub mod vocabulary;
pub mod yaml;

use crate::discover::SystemSource;
use crate::tree::Tree;
use document::{Document, Format};
use format::Limits;
use markdown::Section;
use node::{Node, Pos};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

pub const TIERS: &[&str] = &["prohibited", "high", "limited", "minimal"];
const SIDECARS: &[&str] = &[
    "aimsgate.yaml",
    "aimsgate.yml",
    "aimsgate.json",
    "aimsgate.toml",
];

/// Something that could not be read: the card-invalid rule reports each one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

/// A linked document that was read and grafted into the record.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    pub file: String,
    pub sections: Vec<Section>,
}

#[derive(Debug)]
pub struct System {
    pub source: SystemSource,
    /// `huggingface`, `markdown`, `yaml`, `json`, `toml`, `cyclonedx` or `mct`.
    pub format: &'static str,
    pub record: Node,
    pub sections: Vec<Section>,
    /// Linked documents read, by record path.
    pub documents: BTreeMap<String, Linked>,
    pub problems: Vec<Problem>,
    /// Record paths whose value is placeholder text.
    pub placeholders: Vec<String>,
    /// Sections of the card (and linked documents) whose own text is placeholder text.
    pub placeholder_sections: Vec<placeholder::PlaceholderSection>,
    /// Every file this system's record was read from (card, sidecar, linked documents).
    pub files: Vec<String>,
    /// The tier policies judge by: the declared one when valid, else the strictest.
    pub tier: &'static str,
}

impl System {
    pub fn card_pos(&self) -> Pos {
        Pos::new(&Arc::from(self.source.card.as_str()), 1, 1)
    }
}

/// What loading learns once per scan root and every system's load reuses.
/// Shared by the loading threads.
#[derive(Debug, Default)]
pub struct RunCache {
    documents: document::Shared,
}

/// The code a card declares it covers (`code: [paths or globs]`, relative
/// to the card), from the card or a sidecar beside it; `None` when neither
/// says. Most cards do not, so a card without the word is not parsed here.
pub fn declared_code(tree: &Tree, card: &str, limits: &Limits) -> Option<Vec<String>> {
    let dir = crate::tree::parent_dir(card);
    let candidates =
        std::iter::once(card.to_string()).chain(SIDECARS.iter().map(|s| join(&dir, s)));
    for rel in candidates {
        // `code:` is a top-level key: in the first 64 KiB of any card.
        let Some(head) = tree.head(&rel, 64 * 1024) else {
            continue;
        };
        if !names_code_key(&head) {
            continue;
        }
        let doc = Document::read(tree, &rel, limits);
        let Some(code) = doc.data.get("code") else {
            continue;
        };
        let paths: Vec<String> = match (code.as_str(), code.as_array()) {
            (Some(one), _) => vec![one.to_string()],
            (_, Some(many)) => many
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        return Some(paths);
    }
    None
}

/// Whether `text` may hold a `code` key (`code:`, `code =`, `"code":`),
/// not only the word (a card that speaks of reason codes).
fn names_code_key(text: &[u8]) -> bool {
    memchr::memmem::find_iter(text, b"code").any(|at| {
        let before = at.checked_sub(1).and_then(|i| text.get(i)).copied();
        let starts = matches!(
            before,
            None | Some(b'\n' | b' ' | b'\t' | b'"' | b'\'' | b'{' | b',')
        );
        let rest = text.get(at + 4..).unwrap_or(&[]);
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let after = rest.iter().find(|b| !matches!(b, b' ' | b'\t')).copied();
        starts && matches!(after, Some(b':' | b'='))
    })
}

pub fn load_system(tree: &Tree, source: SystemSource, limits: &Limits, cache: &RunCache) -> System {
    let card = Document::read(tree, &source.card, limits);
    let mut problems = Vec::new();
    if let Some(e) = &card.error {
        problems.push(Problem {
            file: source.card.clone(),
            line: e.line,
            column: e.column,
            field: None,
            message: format!("{} does not parse: {}", source.card, e.message),
        });
    }
    let (format, mut record) = adapt(card.format, card.data, &card.sections, &card.file, limits);
    let mut sections = card.sections;
    let mut files = vec![source.card.clone()];

    let dir = crate::tree::parent_dir(&source.card);
    for name in SIDECARS {
        let rel = join(&dir, name);
        match tree.probe(&rel) {
            Ok(true) => {}
            Ok(false) => continue,
            // There, but not to be read: a finding, never a silent skip.
            Err(why) => {
                problems.push(Problem {
                    file: rel.clone(),
                    line: 1,
                    column: 1,
                    field: None,
                    message: format!("{rel} cannot be read ({why})"),
                });
                files.push(rel);
                continue;
            }
        }
        let sidecar = Document::read(tree, &rel, limits);
        if let Some(e) = &sidecar.error {
            problems.push(Problem {
                file: rel.clone(),
                line: e.line,
                column: e.column,
                field: None,
                message: format!("{rel} does not parse: {}", e.message),
            });
        }
        // A sidecar adds what the card's format cannot hold; it never
        // changes what the card says (a tier talked down beside the card).
        let mut conflicts = Vec::new();
        record.conflicts(&sidecar.data, "", &mut conflicts);
        for (path, value) in conflicts {
            problems.push(Problem {
                file: rel.clone(),
                line: value.pos.line,
                column: value.pos.column,
                field: Some(path.clone()),
                message: format!(
                    "{rel} sets {path} to {}, which the card already sets to {}: a sidecar adds to the card, it does not change it",
                    value.to_json(),
                    record_value(&record, &path)
                ),
            });
        }
        record.merge(sidecar.data);
        sections.extend(sidecar.sections);
        files.push(rel);
    }

    let mut documents = BTreeMap::new();
    let reader = links::Reader {
        tree,
        limits,
        cache,
    };
    links::resolve(
        &reader,
        &dir,
        &mut record,
        &mut documents,
        &mut problems,
        &mut files,
    );
    vocabulary::normalise(&mut record);
    let placeholders = placeholder::find(&record);
    let mut placeholder_sections = placeholder::sections(&source.card, &sections);
    for linked in documents.values() {
        placeholder_sections.extend(placeholder::sections(&linked.file, &linked.sections));
    }
    let tier = effective_tier(&record);
    System {
        source,
        format,
        record,
        sections,
        documents,
        problems,
        placeholders,
        placeholder_sections,
        files,
        tier,
    }
}

/// The tier the rules judge a system by: `risk.tier` when valid, else high;
/// and high when the card names an EU AI Act Annex III area or Annex I but
/// declares limited or minimal (policies/lib/aimsgate.rego, `tier`).
fn effective_tier(record: &Node) -> &'static str {
    let risk = record.get("risk");
    let declared = risk
        .and_then(|r| r.get("tier"))
        .and_then(Node::as_str)
        .and_then(|t| TIERS.iter().find(|known| **known == t).copied())
        .unwrap_or("high");
    let area = risk
        .and_then(|r| r.get("annex_iii_area"))
        .and_then(Node::as_str)
        .map(|a| a.trim().to_lowercase())
        .is_some_and(|a| !matches!(a.as_str(), "" | "none" | "n/a" | "no" | "false"));
    let annex_i = risk
        .and_then(|r| r.get("annex_i"))
        .is_some_and(|v| matches!(v.kind, node::Kind::Bool(true)));
    if matches!(declared, "limited" | "minimal") && (area || annex_i) {
        "high"
    } else {
        declared
    }
}

/// The value at a dotted record path, as JSON text.
fn record_value(record: &Node, path: &str) -> String {
    let mut node = record;
    for key in path.split('.') {
        match node.get(key) {
            Some(next) => node = next,
            None => return "nothing".into(),
        }
    }
    node.to_json().to_string()
}

/// The record a card's own format yields from its `data`.
fn adapt(
    format: Format,
    data: Node,
    sections: &[markdown::Section],
    file: &std::sync::Arc<str>,
    limits: &Limits,
) -> (&'static str, Node) {
    match format {
        Format::Markdown => {
            let hf = adapters::huggingface::is_huggingface(&data);
            let mut record = data;
            if hf {
                adapters::huggingface::adapt(&mut record);
            }
            adapters::sections::adapt(&mut record, sections, file);
            (if hf { "huggingface" } else { "markdown" }, record)
        }
        _ if adapters::cyclonedx::is_cyclonedx(&data) => {
            let record = adapters::cyclonedx::adapt(&data, limits)
                .unwrap_or_else(|| Node::object(data.pos.clone()));
            ("cyclonedx", record)
        }
        _ if adapters::mct::is_mct(&data) => ("mct", adapters::mct::adapt(&data)),
        Format::Yaml => ("yaml", data),
        Format::Json => ("json", data),
        Format::Toml => ("toml", data),
    }
}

pub use crate::tree::join;

#[cfg(test)]
mod tests {
    use super::names_code_key;

    #[test]
    fn a_code_key_not_the_word() {
        assert!(names_code_key(b"name: x\ncode: [src/**]\n"));
        assert!(names_code_key(b"{\"name\": \"x\", \"code\": [\"a\"]}"));
        assert!(names_code_key(b"code = [\"a\"]\n"));
        assert!(!names_code_key(b"mitigation: reason codes shown: yes\n"));
        assert!(!names_code_key(b"barcode: 1\n"));
    }
}
