//! Inputs the fuzz targets (fuzz/, docs/fuzzing.md) found or that guard what
//! they check, replayed in the normal suite: every file under
//! tests/fuzz-regressions/<target>/ goes through the same calls as
//! fuzz/fuzz_targets/<target>.rs and must not panic.

use aimsgate::load::document::{Document, Format};
use aimsgate::load::format::Limits;
use aimsgate::load::node::LineIndex;
use std::path::PathBuf;
use std::sync::Arc;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .map(|p| {
                    let bytes = std::fs::read(&p).unwrap_or_default();
                    (p, bytes)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn small() -> Limits {
    Limits {
        max_file_bytes: 4096,
        max_depth: 8,
        max_nodes: 256,
    }
}

fn replay(target: &str, parse: fn(&str, &Arc<str>, &Limits)) {
    for (path, bytes) in inputs(target) {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let file: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        parse(text, &file, &Limits::default());
        parse(text, &file, &small());
    }
}

#[test]
fn yaml() {
    replay("yaml", |t, f, l| {
        let _ = aimsgate::load::yaml::parse_yaml(t, f, l);
    });
}

#[test]
fn json() {
    replay("json", |t, f, l| {
        let _ = aimsgate::load::json::parse_json(t, f, l);
    });
}

#[test]
fn toml() {
    replay("toml", |t, f, l| {
        let _ = aimsgate::load::toml::parse_toml(t, f, l);
    });
}

#[test]
fn markdown() {
    replay("markdown", |t, f, l| {
        let _ = aimsgate::load::markdown::parse_markdown(t, f, l);
    });
}

#[test]
fn document() {
    for (_, bytes) in inputs("document") {
        let Some((&selector, rest)) = bytes.split_first() else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(rest) else {
            continue;
        };
        let (format, name) = match selector % 4 {
            0 => (Format::Markdown, "MODEL_CARD.md"),
            1 => (Format::Yaml, "model_card.yaml"),
            2 => (Format::Json, "model_card.json"),
            _ => (Format::Toml, "model_card.toml"),
        };
        let doc = Document::parse(Arc::from(name), format, text, &Limits::default());
        let _ = doc.data.to_json();
        let _ = aimsgate::load::placeholder::find(&doc.data);
        // As fuzz/document checks: positions are within the text, counting a
        // lone CR as a line break as YAML does (lone-cr-line-breaks.bin).
        let breaks = text.matches('\n').count() + text.matches('\r').count();
        let lines = u32::try_from(breaks + 2).unwrap_or(u32::MAX);
        if let Some(e) = &doc.error {
            assert!(
                e.line >= 1 && e.line <= lines,
                "{name}: error line {}",
                e.line
            );
        }
        let mut stack = vec![(String::new(), &doc.data)];
        while let Some((path, node)) = stack.pop() {
            let (pos, _) = doc.data.locate(&path);
            assert!(
                pos.line >= 1 && pos.line <= lines,
                "{name}: {path} at {}",
                pos.line
            );
            let join = |k: &str| {
                if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                }
            };
            if let Some(entries) = node.as_entries() {
                stack.extend(entries.iter().map(|e| (join(&e.key), &e.value)));
            } else if let Some(items) = node.as_array() {
                stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, n)| (join(&i.to_string()), n)),
                );
            }
        }
    }
}

/// fuzz/locate's property: positions never go backwards as offsets grow,
/// also for offsets inside a multi-byte character (which used to count
/// bytes, not characters, and so jumped ahead of the next character).
#[test]
fn line_index_columns_are_monotonic_inside_characters() {
    let text = "éé\n€x";
    let index = LineIndex::new(text);
    let mut last = (0, 0);
    for offset in 0..=text.len() + 2 {
        let pos = index.position(offset);
        assert!(pos >= last, "offset {offset}: {pos:?} after {last:?}");
        last = pos;
    }
    assert_eq!(index.position(3), (1, 2));
    assert_eq!(index.position(4), (1, 3));
    assert_eq!(index.position(6), (2, 1));
    assert_eq!(index.position(7), (2, 1));
    assert_eq!(index.position(8), (2, 2));
    assert_eq!(index.position(9), (2, 3));
}
