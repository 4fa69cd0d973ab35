//! What changed between two versions of a file: the keys of a structured
//! document, or the first line that differs.

use crate::load::node::{Kind, Node};
use serde_json::Value;

/// One key whose value differs, placed where the new version writes it (or,
/// for a removed key, at its parent).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
    pub line: u32,
    pub column: u32,
}

/// Leaf-level differences between `old` and `new`: mappings key by key,
/// lists item by item, anything else as a whole.
pub fn keys(old: &Node, new: &Node) -> Vec<KeyChange> {
    let mut out = Vec::new();
    walk(String::new(), Some(old), Some(new), new, &mut out);
    out
}

fn walk(path: String, old: Option<&Node>, new: Option<&Node>, at: &Node, out: &mut Vec<KeyChange>) {
    let child = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (old.map(|n| &n.kind), new.map(|n| &n.kind)) {
        (Some(Kind::Object(a)), Some(Kind::Object(b))) => {
            let mut keys: Vec<&str> = b.iter().map(|e| e.key.as_str()).collect();
            for e in a {
                if !keys.contains(&e.key.as_str()) {
                    keys.push(&e.key);
                }
            }
            let (old, new) = (old.unwrap_or(at), new.unwrap_or(at));
            for key in keys {
                let here = new.entry(key).map_or(new, |e| &e.value);
                walk(child(key), old.get(key), new.get(key), here, out);
            }
        }
        (Some(Kind::Array(a)), Some(Kind::Array(b))) => {
            let new_node = new.unwrap_or(at);
            for i in 0..a.len().max(b.len()) {
                let here = b.get(i).unwrap_or(new_node);
                walk(child(&i.to_string()), a.get(i), b.get(i), here, out);
            }
        }
        _ => {
            let old = old.map_or(Value::Null, Node::to_json);
            let new_value = new.map_or(Value::Null, Node::to_json);
            if old != new_value {
                out.push(KeyChange {
                    field: path,
                    old,
                    new: new_value,
                    line: at.pos.line,
                    column: at.pos.column,
                });
            }
        }
    }
}

/// The first line of `new` (1-based) that is not the same line of `old`;
/// for a file that only lost its end, its last line.
pub fn first_line(old: &str, new: &str) -> u32 {
    let mut n: u32 = 0;
    let mut a = old.lines();
    for line in new.lines() {
        n = n.saturating_add(1);
        if a.next() != Some(line) {
            return n;
        }
    }
    n.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::format::Limits;
    use std::sync::Arc;

    fn toml(text: &str) -> Node {
        let file: Arc<str> = Arc::from("aimsgate.toml");
        crate::load::toml::parse_toml(text, &file, &Limits::default())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn keys_changed_added_and_removed_are_placed_in_the_new_file() {
        let old = toml("[params]\nbias_ratio_min = 0.8\n\n[rules.owner]\nseverity = \"error\"\nreason = \"x\"\n");
        let new = toml("[params]\nbias_ratio_min = 0.5\nextra = 1\n\n[rules]\n");
        let changes = keys(&old, &new);
        let fields: Vec<(&str, u32)> = changes.iter().map(|c| (c.field.as_str(), c.line)).collect();
        assert_eq!(
            fields,
            vec![
                ("params.bias_ratio_min", 2),
                ("params.extra", 3),
                ("rules.owner", 5)
            ]
        );
        assert_eq!(changes[0].old, serde_json::json!(0.8));
        assert_eq!(changes[0].new, serde_json::json!(0.5));
        assert!(keys(&old, &old).is_empty());
    }

    #[test]
    fn first_differing_line() {
        assert_eq!(first_line("a\nb\nc\n", "a\nx\nc\n"), 2);
        assert_eq!(first_line("a\nb\n", "a\nb\nc\n"), 3);
        assert_eq!(first_line("a\nb\nc\n", "a\nb\n"), 2);
        assert_eq!(first_line("", "a\n"), 1);
        assert_eq!(first_line("a\n", ""), 1);
    }
}
