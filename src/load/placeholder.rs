//! Placeholder text left from templates: found once while loading, so policies
//! get a list of paths instead of walking the whole card with regexes.

use super::node::{Kind, Node};

/// Record paths (dotted, numeric indexes) whose string value is placeholder text.
pub fn find(record: &Node) -> Vec<String> {
    let mut found = Vec::new();
    // An explicit stack: records are depth-bounded already, but this costs nothing.
    let mut stack: Vec<(String, &Node)> = vec![(String::new(), record)];
    while let Some((path, node)) = stack.pop() {
        match &node.kind {
            Kind::String(s) if is_placeholder(s) => found.push(path),
            Kind::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((child(&path, &i.to_string()), item));
                }
            }
            Kind::Object(entries) => {
                for e in entries.iter().rev() {
                    stack.push((child(&path, &e.key), &e.value));
                }
            }
            _ => {}
        }
    }
    found
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Template markers: `[More Information Needed]`, TODO, TBD, FIXME, `{{ }}`, lorem ipsum.
pub fn is_placeholder(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.contains("[more information needed]")
        || lower.contains("lorem ipsum")
        || (text.contains("{{") && text.contains("}}"))
    {
        return true;
    }
    has_marker_word(text)
}

/// TODO, TBD and FIXME as whole words in capitals: "todos" in prose are not markers.
fn has_marker_word(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "TODO" | "TBD" | "FIXME"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_as_words() {
        assert!(is_placeholder("[More Information Needed]"));
        assert!(is_placeholder("TODO: describe"));
        assert!(is_placeholder("owner: TBD"));
        assert!(is_placeholder("{{ card_data }}"));
        assert!(is_placeholder("Lorem ipsum dolor"));
        assert!(!is_placeholder("Fraud analysts review todos daily"));
        assert!(!is_placeholder("TODOS"));
        assert!(!is_placeholder("A {brace} only"));
    }
}
