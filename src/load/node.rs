//! A parsed document as a tree whose every value remembers where it was written.
//!
//! All loaders (YAML, JSON, TOML, Markdown front matter) produce this tree, so
//! positions survive adapters, sidecar merges and linked-document grafting, and
//! a finding about `human_oversight.can_stop` can be placed at that key's line.

use serde_json::{Map, Number, Value};
use std::sync::Arc;

/// Where a value was written: a file (shared, cheap to clone) and a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn new(file: &Arc<str>, line: u32, column: u32) -> Self {
        Pos {
            file: Arc::clone(file),
            line: line.max(1),
            column: column.max(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Keys keep the order they were written in; each entry has the key's position.
    Object(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

impl Node {
    pub fn new(kind: Kind, pos: Pos) -> Self {
        Node { kind, pos }
    }

    pub fn object(pos: Pos) -> Self {
        Node::new(Kind::Object(Vec::new()), pos)
    }

    pub fn string(s: impl Into<String>, pos: Pos) -> Self {
        Node::new(Kind::String(s.into()), pos)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            Kind::Object(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, Kind::Object(_))
    }

    /// The value of `key` when this is an object (the last one, if a key repeats).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_entries()?.iter().rev().find(|e| e.key == key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.kind {
            Kind::Object(entries) => entries
                .iter_mut()
                .rev()
                .find(|e| e.key == key)
                .map(|e| &mut e.value),
            _ => None,
        }
    }

    /// Sets `key`, replacing an existing value (keeping the key's position) or appending.
    pub fn insert(&mut self, key: &str, key_pos: Pos, value: Node) {
        if let Kind::Object(entries) = &mut self.kind {
            if let Some(e) = entries.iter_mut().rev().find(|e| e.key == key) {
                e.value = value;
            } else {
                entries.push(Entry {
                    key: key.to_string(),
                    key_pos,
                    value,
                });
            }
        }
    }

    /// Follows a record path such as `fairness.results[0].value` or `fairness.results.0.value`.
    /// Returns the deepest node reached and whether the whole path was found.
    /// The position returned for an object key is the key's own position.
    pub fn locate(&self, path: &str) -> (Pos, bool) {
        let mut node = self;
        let mut pos = self.pos.clone();
        for segment in path_segments(path) {
            let next = match &node.kind {
                Kind::Object(entries) => entries
                    .iter()
                    .rev()
                    .find(|e| e.key == segment)
                    .map(|e| (&e.value, e.key_pos.clone())),
                Kind::Array(items) => segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|n| (n, n.pos.clone())),
                _ => None,
            };
            match next {
                Some((n, p)) => {
                    node = n;
                    pos = p;
                }
                None => return (pos, false),
            }
        }
        (pos, true)
    }

    /// The values `overlay` would change if merged into `self`: each path
    /// (`risk.tier`) both set to different values, with the overlay's node.
    pub fn conflicts<'o>(&self, overlay: &'o Node, path: &str, out: &mut Vec<(String, &'o Node)>) {
        let (Kind::Object(base), Kind::Object(over)) = (&self.kind, &overlay.kind) else {
            return;
        };
        for entry in over {
            let Some(existing) = base.iter().rev().find(|e| e.key == entry.key) else {
                continue;
            };
            let at = if path.is_empty() {
                entry.key.clone()
            } else {
                format!("{path}.{}", entry.key)
            };
            if existing.value.is_object() && entry.value.is_object() {
                existing.value.conflicts(&entry.value, &at, out);
            } else if existing.value.to_json() != entry.value.to_json() {
                out.push((at, &entry.value));
            }
        }
    }

    /// Merges `overlay` into `self`: objects merge key by key, anything else replaces.
    pub fn merge(&mut self, overlay: Node) {
        match (&mut self.kind, overlay.kind) {
            (Kind::Object(base), Kind::Object(over)) => {
                for entry in over {
                    match base.iter_mut().rev().find(|e| e.key == entry.key) {
                        Some(existing) if existing.value.is_object() && entry.value.is_object() => {
                            existing.value.merge(entry.value)
                        }
                        // A replaced value is reported where the overlay wrote it.
                        Some(existing) => *existing = entry,
                        None => base.push(entry),
                    }
                }
            }
            (_, kind) => {
                self.kind = kind;
                self.pos = overlay.pos;
            }
        }
    }

    /// The plain JSON value, without positions: what policies see.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Number(n) => Value::Number(n.clone()),
            Kind::String(s) => Value::String(s.clone()),
            Kind::Array(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Kind::Object(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for e in entries {
                    map.insert(e.key.clone(), e.value.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

impl Node {
    /// The value policies see, built straight from the tree: the same value
    /// as `regorus::Value::from(self.to_json())` (a repeated key keeps its
    /// last value) without the JSON in between.
    pub fn to_value(&self) -> regorus::Value {
        match &self.kind {
            Kind::Null => regorus::Value::Null,
            Kind::Bool(b) => regorus::Value::Bool(*b),
            Kind::Number(n) => regorus::Value::from(Value::Number(n.clone())),
            Kind::String(s) => regorus::Value::from(s.as_str()),
            Kind::Array(items) => {
                regorus::Value::from(items.iter().map(Node::to_value).collect::<Vec<_>>())
            }
            Kind::Object(entries) => regorus::Value::from(
                entries
                    .iter()
                    .map(|e| (regorus::Value::from(e.key.as_str()), e.value.to_value()))
                    .collect::<std::collections::BTreeMap<_, _>>(),
            ),
        }
    }
}

/// Splits `a.b[0].c` or `a.b.0.c` into `["a", "b", "0", "c"]`.
pub fn path_segments(path: &str) -> impl Iterator<Item = &str> {
    path.split(['.', '[', ']']).filter(|s| !s.is_empty())
}

/// Maps byte offsets to 1-based line and column (columns count characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters before each `BLOCK`-byte boundary, so a column costs at
    /// most one block of counting however long the line: a card written on
    /// one line would otherwise cost the square of its length.
    chars_before_block: Vec<usize>,
}

/// Bytes between checkpoints of `chars_before_block`.
const BLOCK: usize = 1024;

/// UTF-8 characters that start in `bytes` (continuation bytes are 10xxxxxx).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_before_block = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut seen = 0;
        chars_before_block.push(0);
        for block in text.as_bytes().chunks(BLOCK) {
            seen += char_starts(block);
            chars_before_block.push(seen);
        }
        LineIndex {
            text,
            starts,
            chars_before_block,
        }
    }

    /// Characters in `text[..offset]`.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        let counted = self.chars_before_block.get(block).copied().unwrap_or(0);
        counted + char_starts(&self.text.as_bytes()[block * BLOCK..offset])
    }

    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        // An offset inside a character counts as that character's start, so
        // columns never go backwards as offsets grow (fuzz/locate checks it).
        let mut end = offset;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = if end - start <= BLOCK {
            char_starts(&self.text.as_bytes()[start..end])
        } else {
            self.chars_before(end) - self.chars_before(start)
        };
        (to_u32(line + 1), to_u32(column + 1))
    }

    pub fn pos(&self, file: &Arc<str>, offset: usize) -> Pos {
        let (line, column) = self.position(offset);
        Pos::new(file, line, column)
    }
}

/// The second occurrence of the first key written twice in one mapping, as
/// an error at that key: a card whose reader would see one value and whose
/// reviewer another is no evidence. Linear in the number of keys.
pub fn duplicate_key(entries: &[Entry]) -> Option<super::format::ParseError> {
    let mut seen = std::collections::HashMap::with_capacity(entries.len());
    for entry in entries {
        if let Some(first) = seen.insert(entry.key.as_str(), &entry.key_pos) {
            return Some(super::format::ParseError::new(
                entry.key_pos.line,
                entry.key_pos.column,
                format!(
                    "duplicate key {:?} (first at line {}): which value counts would be a guess",
                    entry.key, first.line
                ),
            ));
        }
    }
    None
}

pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_characters() {
        let idx = LineIndex::new("ab\ncé d\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(7), (2, 4));
        assert_eq!(idx.position(999), (3, 1));
    }

    #[test]
    fn columns_on_a_long_line_count_characters_across_blocks() {
        let line = format!("{}x{}", "é".repeat(3000), "a".repeat(5000));
        let idx = LineIndex::new(&line);
        for (offset, column) in [
            (0, 1),
            (2, 2),
            (5999, 3000),
            (6000, 3001),
            (6001, 3002),
            (11000, 8001),
        ] {
            assert_eq!(idx.position(offset), (1, column), "offset {offset}");
        }
        // Inside a character: that character's column.
        assert_eq!(idx.position(1), (1, 1));
        assert_eq!(idx.position(2048), (1, 1025));
    }

    #[test]
    fn locate_falls_back_to_nearest_parent() {
        let f: Arc<str> = Arc::from("card.yaml");
        let mut root = Node::object(Pos::new(&f, 1, 1));
        let mut child = Node::object(Pos::new(&f, 2, 3));
        child.insert(
            "mode",
            Pos::new(&f, 3, 3),
            Node::string("none", Pos::new(&f, 3, 9)),
        );
        root.insert("human_oversight", Pos::new(&f, 2, 1), child);
        assert_eq!(
            root.locate("human_oversight.mode"),
            (Pos::new(&f, 3, 3), true)
        );
        assert_eq!(
            root.locate("human_oversight.can_stop"),
            (Pos::new(&f, 2, 1), false)
        );
        assert_eq!(root.locate("owner.name"), (Pos::new(&f, 1, 1), false));
    }
}
