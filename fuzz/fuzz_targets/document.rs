//! `Document::parse` in every format, then what the loader does with a
//! record: adapters' inputs, JSON conversion, placeholder search, and
//! `locate` on every path the tree holds; every position is inside the text.
#![no_main]

use aimsgate::load::document::{Document, Format};
use aimsgate::load::format::Limits;
use aimsgate::load::node::{Kind, Node};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fn paths(node: &Node, prefix: &str, out: &mut Vec<String>) {
    if out.len() > 4096 {
        return;
    }
    let join = |s: &str| {
        if prefix.is_empty() {
            s.to_string()
        } else {
            format!("{prefix}.{s}")
        }
    };
    match &node.kind {
        Kind::Object(entries) => {
            for e in entries {
                let p = join(&e.key);
                out.push(p.clone());
                paths(&e.value, &p, out);
            }
        }
        Kind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let p = join(&i.to_string());
                out.push(p.clone());
                paths(item, &p, out);
            }
        }
        _ => {}
    }
}

fn keys_with_dots(node: &Node) -> bool {
    match &node.kind {
        // A repeated key: the last one wins, so paths through the others are not found.
        Kind::Object(entries) => entries.iter().enumerate().any(|(i, e)| {
            e.key.contains(['.', '[', ']'])
                || e.key.is_empty()
                || entries[i + 1..].iter().any(|later| later.key == e.key)
                || keys_with_dots(&e.value)
        }),
        Kind::Array(items) => items.iter().any(keys_with_dots),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (format, name) = match selector % 4 {
        0 => (Format::Markdown, "MODEL_CARD.md"),
        1 => (Format::Yaml, "model_card.yaml"),
        2 => (Format::Json, "model_card.json"),
        _ => (Format::Toml, "model_card.toml"),
    };
    let file: Arc<str> = Arc::from(name);
    let doc = Document::parse(file, format, text, &Limits::default());
    // YAML also breaks lines at a lone CR (yaml-rust2 counts it); the other
    // loaders count LF only. Either way a position is within the text.
    let breaks = text.matches('\n').count() + text.matches('\r').count();
    let lines = u32::try_from(breaks + 1).unwrap_or(u32::MAX);
    if let Some(e) = &doc.error {
        assert!(e.line >= 1 && e.column >= 1);
        assert!(e.line <= lines.saturating_add(1), "error line {} past the end", e.line);
    }
    let _ = doc.data.to_json();
    let _ = aimsgate::load::placeholder::find(&doc.data);
    let mut all = Vec::new();
    paths(&doc.data, "", &mut all);
    for p in &all {
        let (pos, found) = doc.data.locate(p);
        // A key holding `.`, `[` or `]` cannot be named by a record path:
        // such a path lands on the nearest parent, as docs/input.md says.
        let addressable = !p.contains(['[', ']']) && !p.split('.').any(str::is_empty);
        assert!(found || !addressable || keys_with_dots(&doc.data));
        assert!(pos.line >= 1 && pos.line <= lines.saturating_add(1));
    }
});
