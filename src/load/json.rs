//! Strict JSON to a positioned [`Node`] tree, via jsonc-parser's AST.

use std::sync::Arc;

use jsonc_parser::ast::{ObjectProp, ObjectPropName, Value};
use jsonc_parser::{parse_to_ast, CollectOptions, CommentCollectionStrategy, ParseOptions};
use serde_json::Number;

use super::format::{Limits, ParseError};
use super::node::{Entry, Kind, LineIndex, Node, Pos};

/// Parses `text` as strict JSON (RFC 8259: no comments, trailing commas, single
/// quotes, bare words, hex, `+1`, `.5`, `NaN`); a leading BOM is skipped.
pub fn parse_json(text: &str, file: &Arc<str>, limits: &Limits) -> Result<Node, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let index = LineIndex::new(text);
    let scan = scan(text, limits.max_depth);
    // jsonc-parser recurses once per nesting level, so depth is checked before it runs.
    if let Some(offset) = scan.too_deep {
        let (line, column) = index.position(offset);
        return Err(ParseError::new(
            line,
            column,
            format!("nesting deeper than {} levels", limits.max_depth),
        ));
    }
    let parsed = parse_to_ast(text, &collect_options(), &strict_options()).map_err(|e| {
        let (line, column) = index.position(e.range().start);
        ParseError::new(line, column, e.kind().to_string())
    })?;
    // jsonc-parser lets raw line breaks and tabs into strings; JSON does not. Checked
    // only after a clean parse, when the scan's idea of where strings are is sure to be right.
    if let Some(offset) = scan.control_in_string {
        let (line, column) = index.position(offset);
        return Err(ParseError::new(
            line,
            column,
            "control character in a string (write it as an escape such as \\n)",
        ));
    }
    match parsed.value {
        Some(value) => Converter {
            file,
            index: &index,
            limits,
            count: 0,
        }
        .convert(value),
        None => Err(ParseError::at_start("empty JSON document")),
    }
}

fn collect_options() -> CollectOptions {
    CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    }
}

/// Every field spelled out, so a new lenient default in a later jsonc-parser
/// cannot silently loosen what is accepted (the struct is not `non_exhaustive`,
/// so a new field breaks the build here instead).
fn strict_options() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// What a byte scan finds before jsonc-parser runs (byte offsets).
struct Scan {
    /// The first bracket nesting deeper than the limit.
    too_deep: Option<usize>,
    /// The first raw control character inside a string.
    control_in_string: Option<usize>,
}

/// Tracks bracket depth outside strings; anything malformed is left to the parser.
fn scan(text: &str, max_depth: usize) -> Scan {
    let mut found = Scan {
        too_deep: None,
        control_in_string: None,
    };
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, byte) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            if byte < 0x20 && found.control_in_string.is_none() {
                found.control_in_string = Some(offset);
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    found.too_deep = Some(offset);
                    return found;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    found
}

enum Body<'a> {
    Array {
        items: Vec<Node>,
        rest: std::vec::IntoIter<Value<'a>>,
    },
    Object {
        entries: Vec<Entry>,
        rest: std::vec::IntoIter<ObjectProp<'a>>,
    },
}

/// A container being filled, with the key it will be stored under in its parent.
struct Frame<'a> {
    pos: Pos,
    key: Option<(String, Pos)>,
    body: Body<'a>,
}

enum Started<'a> {
    Leaf(Node),
    Open(Pos, Body<'a>),
}

struct Converter<'a> {
    file: &'a Arc<str>,
    index: &'a LineIndex<'a>,
    limits: &'a Limits,
    count: usize,
}

impl Converter<'_> {
    /// Walks the AST with an explicit stack: the depth pre-check already bounds nesting,
    /// but nothing here should depend on that to stay off the call stack.
    fn convert(&mut self, root: Value<'_>) -> Result<Node, ParseError> {
        let mut stack: Vec<Frame<'_>> = Vec::new();
        let mut next = Some((root, None));
        loop {
            if let Some((value, key)) = next.take() {
                match self.start(value)? {
                    Started::Leaf(node) => {
                        if let Some(root) = attach(&mut stack, key, node) {
                            return Ok(root);
                        }
                    }
                    Started::Open(pos, body) => stack.push(Frame { pos, key, body }),
                }
            }
            let Some(top) = stack.last_mut() else {
                return Err(ParseError::at_start("empty JSON document"));
            };
            match &mut top.body {
                Body::Array { rest, .. } => {
                    if let Some(v) = rest.next() {
                        next = Some((v, None));
                        continue;
                    }
                }
                Body::Object { rest, .. } => {
                    if let Some(prop) = rest.next() {
                        let (name, start) = match prop.name {
                            ObjectPropName::String(s) => (s.value.into_owned(), s.range.start),
                            ObjectPropName::Word(w) => (w.value.to_string(), w.range.start),
                        };
                        let key_pos = self.index.pos(self.file, start);
                        next = Some((prop.value, Some((name, key_pos))));
                        continue;
                    }
                }
            }
            if let Some(frame) = stack.pop() {
                let kind = match frame.body {
                    Body::Array { items, .. } => Kind::Array(items),
                    Body::Object { entries, .. } => {
                        if let Some(duplicate) = super::node::duplicate_key(&entries) {
                            return Err(duplicate);
                        }
                        Kind::Object(entries)
                    }
                };
                if let Some(root) = attach(&mut stack, frame.key, Node::new(kind, frame.pos)) {
                    return Ok(root);
                }
            }
        }
    }

    fn start<'v>(&mut self, value: Value<'v>) -> Result<Started<'v>, ParseError> {
        self.count += 1;
        let start = match &value {
            Value::StringLit(v) => v.range.start,
            Value::NumberLit(v) => v.range.start,
            Value::BooleanLit(v) => v.range.start,
            Value::Object(v) => v.range.start,
            Value::Array(v) => v.range.start,
            Value::NullKeyword(v) => v.range.start,
        };
        let pos = self.index.pos(self.file, start);
        if self.count > self.limits.max_nodes {
            return Err(ParseError::new(
                pos.line,
                pos.column,
                format!(
                    "JSON document has more than {} values",
                    self.limits.max_nodes
                ),
            ));
        }
        Ok(match value {
            Value::StringLit(s) => Started::Leaf(Node::string(s.value.into_owned(), pos)),
            Value::BooleanLit(b) => Started::Leaf(Node::new(Kind::Bool(b.value), pos)),
            Value::NullKeyword(_) => Started::Leaf(Node::new(Kind::Null, pos)),
            Value::NumberLit(n) => match json_number(n.value) {
                Some(number) => Started::Leaf(Node::new(Kind::Number(number), pos)),
                None => {
                    return Err(ParseError::new(
                        pos.line,
                        pos.column,
                        format!("number {} is out of range", n.value),
                    ))
                }
            },
            Value::Array(a) => Started::Open(
                pos,
                Body::Array {
                    items: Vec::with_capacity(a.elements.len()),
                    rest: a.elements.into_iter(),
                },
            ),
            Value::Object(o) => Started::Open(
                pos,
                Body::Object {
                    entries: Vec::with_capacity(o.properties.len()),
                    rest: o.properties.into_iter(),
                },
            ),
        })
    }
}

/// Adds a finished value to its parent; returns it when there is no parent (the root).
fn attach(stack: &mut [Frame<'_>], key: Option<(String, Pos)>, node: Node) -> Option<Node> {
    let Some(parent) = stack.last_mut() else {
        return Some(node);
    };
    match (&mut parent.body, key) {
        (Body::Array { items, .. }, _) => items.push(node),
        (Body::Object { entries, .. }, Some((key, key_pos))) => entries.push(Entry {
            key,
            key_pos,
            value: node,
        }),
        // Values reach an object only through a property, which always carries a key.
        (Body::Object { .. }, None) => {}
    }
    None
}

/// Integers that fit stay integers; anything else must be a finite double.
fn json_number(text: &str) -> Option<Number> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Number::from(i));
    }
    if let Ok(u) = text.parse::<u64>() {
        return Some(Number::from(u));
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file() -> Arc<str> {
        Arc::from("bom.json")
    }

    fn parse(text: &str) -> Result<Node, ParseError> {
        parse_json(text, &file(), &Limits::default())
    }

    fn ok(text: &str) -> Node {
        parse(text).unwrap_or_else(|e| panic!("unexpected error {e}"))
    }

    fn err(text: &str) -> ParseError {
        match parse(text) {
            Ok(node) => panic!("expected an error, got {:?}", node.to_json()),
            Err(e) => e,
        }
    }

    #[test]
    fn values_convert_with_integers_kept() {
        let root = ok(
            r#"{"s": "x\u00e9", "i": -3, "u": 18446744073709551615, "big": 1e300,
            "f": 0.5, "e": 2E3, "t": true, "n": null, "a": [], "o": {}}"#,
        );
        assert_eq!(
            root.to_json(),
            json!({"s": "xé", "i": -3, "u": 18446744073709551615u64, "big": 1e300,
                   "f": 0.5, "e": 2000.0, "t": true, "n": null, "a": [], "o": {}})
        );
        assert!(matches!(
            ok("123456789012345678901234567890").kind,
            Kind::Number(_)
        ));
        assert_eq!(ok("\"top\"").to_json(), json!("top"));
    }

    #[test]
    fn keys_keep_order_and_positions() {
        let text = "{\n  \"zeta\": 1,\n  \"modelCard\": {\n    \"considerations\": {\n      \"users\": [\"a\", {\"k\": \"v\"}]\n    }\n  }\n}\n";
        let root = ok(text);
        let keys: Vec<&str> = root
            .as_entries()
            .unwrap_or_default()
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["zeta", "modelCard"]);
        let (pos, found) = root.locate("modelCard.considerations.users");
        assert!(found);
        assert_eq!((pos.line, pos.column), (5, 7));
        let (pos, found) = root.locate("modelCard.considerations.users[1].k");
        assert!(found);
        assert_eq!((pos.line, pos.column), (5, 23));
        let users = root
            .get("modelCard")
            .and_then(|m| m.get("considerations"))
            .and_then(|c| c.get("users"))
            .unwrap_or_else(|| panic!("no users"));
        assert_eq!((users.pos.line, users.pos.column), (5, 16));
    }

    #[test]
    fn strict_mode_refuses_json5_and_jsonc() {
        for (text, line, column) in [
            ("{\"a\": 1,}", 1, 8),
            ("[1, 2,]", 1, 6),
            ("{\"a\": 1 // c\n}", 1, 9),
            ("{\"a\": 1 /* c */}", 1, 9),
            ("{a: 1}", 1, 2),
            ("{\"a\": 'x'}", 1, 7),
            ("{\"a\": 0xFF}", 1, 7),
            ("{\"a\": +1}", 1, 7),
            ("{\"a\": .5}", 1, 7),
            ("{\"a\": NaN}", 1, 7),
            ("{\"a\": Infinity}", 1, 7),
            ("{\"a\": 1 \"b\": 2}", 1, 8),
            ("[1 2]", 1, 3),
            ("{\"a\": \"\\x41\"}", 1, 8),
            ("{\"a\": 1} {}", 1, 10),
            ("", 1, 1),
        ] {
            let e = err(text);
            assert_eq!(
                (e.line, e.column),
                (line, column),
                "{text:?}: {}",
                e.message
            );
        }
    }

    #[test]
    fn trailing_comma_is_placed_at_the_comma() {
        let text = "{\n  \"metadata\": {\n    \"timestamp\": \"2024\",\n  },\n  \"x\": 1\n}\n";
        let e = err(text);
        assert_eq!((e.line, e.column), (3, 24));
        assert_eq!(e.message, "Trailing commas are not allowed");
    }

    #[test]
    fn out_of_range_number_is_an_error() {
        let e = err("{\n  \"x\": 1e400\n}");
        assert_eq!((e.line, e.column), (2, 8));
        assert_eq!(e.message, "number 1e400 is out of range");
    }

    #[test]
    fn raw_control_characters_in_strings_are_refused() {
        let e = err("{\"a\": \"x\ny\"}");
        assert_eq!((e.line, e.column), (1, 9));
        let e = err("[\"x\ty\"]");
        assert_eq!((e.line, e.column), (1, 4));
        // Escaped, they are fine; and a line break between tokens is not in a string.
        assert_eq!(
            ok("[\"x\\ny\",\n\"\\\\\"]").to_json(),
            json!(["x\ny", "\\"])
        );
    }

    #[test]
    fn bom_is_tolerated() {
        let root = ok("\u{feff}{\"a\": 1}");
        let e = root.entry("a").unwrap_or_else(|| panic!("no a"));
        assert_eq!((e.key_pos.line, e.key_pos.column), (1, 2));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let e = err(&"[".repeat(200_000));
        assert_eq!(e.message, "nesting deeper than 64 levels");
        assert_eq!((e.line, e.column), (1, 65));
        let e = err(&"{\"a\":".repeat(200_000));
        assert_eq!(e.message, "nesting deeper than 64 levels");
        let at_limit = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(parse(&at_limit).is_ok());
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let text = format!("[\"{}\\\"{}\"]", "[".repeat(100), "{".repeat(100));
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn value_count_is_bounded() {
        let limits = Limits {
            max_nodes: 3,
            ..Limits::default()
        };
        let e = parse_json("[1, 2, 3]", &file(), &limits);
        assert_eq!(
            e.map_err(|e| (e.line, e.column, e.message)),
            Err((1, 8, "JSON document has more than 3 values".to_string()))
        );
        assert!(parse_json("[1, 2]", &file(), &limits).is_ok());
    }

    #[test]
    fn duplicate_keys_are_an_error_at_the_second() {
        let e = parse("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
        assert!(e.message.contains("duplicate key \"a\""), "{}", e.message);
    }
}
