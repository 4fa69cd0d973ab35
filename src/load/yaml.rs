//! YAML to a positioned [`Node`] tree, built from yaml-rust2's event stream.
//!
//! The tree is built here rather than with `YamlLoader` because the loader drops
//! positions, and with an explicit stack rather than `Parser::load` because `load`
//! recurses once per nesting level: a 200,000-deep `[[[[` would overflow the stack
//! before any limit could be checked.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Number;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use super::format::{Limits, ParseError};
use super::node::{to_u32, Entry, Kind, Node, Pos};

/// Parses the first YAML document in `text`; an empty stream is a `Null` at line 1.
///
/// Scalars are typed by the YAML 1.2 core schema; aliases are expanded, with the
/// expansion counted against `limits.max_nodes` and `limits.max_depth`.
pub fn parse_yaml(text: &str, file: &Arc<str>, limits: &Limits) -> Result<Node, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::new(file, limits);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| scan_error(&e, limits))?;
        if let Some(root) = builder.on_event(event, mark)? {
            // Later documents are never pulled, so their errors cannot fail this one.
            return Ok(root);
        }
    }
}

fn scan_error(e: &ScanError, limits: &Limits) -> ParseError {
    // The scanner stops flow nesting at 255 levels while looking ahead, which can
    // happen before the builder sees level `max_depth`: the same breach, so the same words.
    let message = if e.info() == "recursion limit exceeded" {
        format!("nesting deeper than {} levels", limits.max_depth)
    } else {
        e.info().to_string()
    };
    error_at(*e.marker(), message)
}

/// yaml-rust2 markers have 1-based lines but 0-based columns (both counted in characters).
fn pos_of(file: &Arc<str>, mark: Marker) -> Pos {
    Pos::new(file, to_u32(mark.line()), to_u32(mark.col() + 1))
}

fn error_at(mark: Marker, message: impl Into<String>) -> ParseError {
    ParseError::new(to_u32(mark.line()), to_u32(mark.col() + 1), message)
}

/// An anchored node kept for later aliases, with what expanding it costs.
struct Anchored {
    node: Node,
    /// Container levels inside the node (0 for a scalar), so an alias cannot
    /// smuggle nesting past `max_depth`.
    height: usize,
    /// What the node cost to build, itself and nested anchor copies included:
    /// never less than the values a copy of it holds.
    count: usize,
}

enum Body {
    Seq(Vec<Node>),
    /// `key` holds the key read and waiting for its value.
    Map(Vec<Entry>, Option<(String, Pos)>),
}

struct Frame {
    body: Body,
    pos: Pos,
    /// Character index of `pos`, to tell whether the first child starts earlier.
    index: usize,
    anchor: usize,
    /// Highest child height seen so far.
    height: usize,
    /// `Builder::count` when this container was opened.
    count_at_open: usize,
    has_child: bool,
}

struct Builder<'a> {
    file: &'a Arc<str>,
    limits: &'a Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    /// Values created so far, alias expansions and anchor copies included.
    count: usize,
    aliases_used: bool,
}

impl<'a> Builder<'a> {
    fn new(file: &'a Arc<str>, limits: &'a Limits) -> Self {
        Builder {
            file,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            count: 0,
            aliases_used: false,
        }
    }

    /// Returns the root once the first document's root value is complete.
    fn on_event(&mut self, event: Event, mark: Marker) -> Result<Option<Node>, ParseError> {
        match event {
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {
                Ok(None)
            }
            Event::StreamEnd => Ok(Some(Node::new(Kind::Null, Pos::new(self.file, 1, 1)))),
            Event::Scalar(value, style, anchor, _tag) => {
                self.note_child(mark);
                if self.awaiting_key() {
                    let key_pos = pos_of(self.file, mark);
                    if anchor != 0 {
                        self.add_count(1, mark)?;
                        let node = Node::string(value.clone(), key_pos.clone());
                        self.anchors.insert(
                            anchor,
                            Anchored {
                                node,
                                height: 0,
                                count: 1,
                            },
                        );
                    }
                    self.set_key(value, key_pos);
                    return Ok(None);
                }
                self.add_count(1, mark)?;
                let pos = if value.is_empty() && style == TScalarStyle::Plain {
                    self.implicit_null_pos(mark)
                } else {
                    pos_of(self.file, mark)
                };
                let node = Node::new(scalar_kind(value, style), pos);
                self.complete(node, 0, 1, anchor, mark)
            }
            Event::Alias(id) => {
                self.note_child(mark);
                self.aliases_used = true;
                let Some(anchored) = self.anchors.get(&id) else {
                    return Err(error_at(mark, "alias to an anchor not defined before it"));
                };
                if self.awaiting_key() {
                    let Some(key) = scalar_key_text(&anchored.node) else {
                        return Err(error_at(mark, "mapping key must be a scalar"));
                    };
                    self.set_key(key, pos_of(self.file, mark));
                    return Ok(None);
                }
                let (height, count) = (anchored.height, anchored.count);
                if self.stack.len() + height > self.limits.max_depth {
                    return Err(self.depth_error(mark));
                }
                // Counted before cloning, so a billion laughs stops before it allocates.
                self.add_count(count, mark)?;
                let Some(mut node) = self.anchors.get(&id).map(|a| a.node.clone()) else {
                    return Err(error_at(mark, "alias to an anchor not defined before it"));
                };
                // The copy takes the alias's position: that is where the reader sees it.
                node.pos = pos_of(self.file, mark);
                self.complete(node, height, count, 0, mark)
            }
            Event::SequenceStart(anchor, _tag) => {
                self.open(Body::Seq(Vec::new()), anchor, mark)?;
                Ok(None)
            }
            Event::MappingStart(anchor, _tag) => {
                self.open(Body::Map(Vec::new(), None), anchor, mark)?;
                Ok(None)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(mark),
        }
    }

    fn awaiting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map(_, None),
                ..
            })
        )
    }

    fn set_key(&mut self, key: String, pos: Pos) {
        if let Some(Frame {
            body: Body::Map(_, pending),
            ..
        }) = self.stack.last_mut()
        {
            *pending = Some((key, pos));
        }
    }

    /// An omitted value (`key:` with nothing after it) is reported where the next
    /// token starts, often the following key's line; its own key, or line 1 for an
    /// empty document, is where a reader would look.
    fn implicit_null_pos(&self, mark: Marker) -> Pos {
        match self.stack.last() {
            None => Pos::new(self.file, 1, 1),
            Some(Frame {
                body: Body::Map(_, Some((_, key_pos))),
                ..
            }) => key_pos.clone(),
            Some(_) => pos_of(self.file, mark),
        }
    }

    /// Block collections are reported one character after their first key or item;
    /// the first child's own position is the better place for the container.
    fn note_child(&mut self, mark: Marker) {
        if let Some(frame) = self.stack.last_mut() {
            if !frame.has_child {
                frame.has_child = true;
                if mark.index() < frame.index {
                    frame.pos = pos_of(self.file, mark);
                    frame.index = mark.index();
                }
            }
        }
    }

    fn open(&mut self, body: Body, anchor: usize, mark: Marker) -> Result<(), ParseError> {
        if self.awaiting_key() {
            return Err(error_at(mark, "mapping key must be a scalar"));
        }
        self.note_child(mark);
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.depth_error(mark));
        }
        self.add_count(1, mark)?;
        self.stack.push(Frame {
            body,
            pos: pos_of(self.file, mark),
            index: mark.index(),
            anchor,
            height: 0,
            count_at_open: self.count - 1,
            has_child: false,
        });
        Ok(())
    }

    fn close(&mut self, mark: Marker) -> Result<Option<Node>, ParseError> {
        let Some(frame) = self.stack.pop() else {
            return Err(error_at(mark, "unbalanced end of a YAML collection"));
        };
        let kind = match frame.body {
            Body::Seq(items) => Kind::Array(items),
            Body::Map(entries, _) => {
                if let Some(duplicate) = super::node::duplicate_key(&entries) {
                    return Err(duplicate);
                }
                Kind::Object(entries)
            }
        };
        let count = self.count - frame.count_at_open;
        let node = Node::new(kind, frame.pos);
        self.complete(node, frame.height + 1, count, frame.anchor, mark)
    }

    /// Hands a finished value to its parent, or returns it when it is the root.
    fn complete(
        &mut self,
        node: Node,
        height: usize,
        count: usize,
        anchor: usize,
        mark: Marker,
    ) -> Result<Option<Node>, ParseError> {
        if anchor != 0 {
            // Keeping a copy costs as much as an expansion, so it is counted the same way:
            // otherwise nested anchors could multiply memory without any alias.
            self.add_count(count, mark)?;
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    height,
                    count,
                },
            );
        }
        let Some(parent) = self.stack.last_mut() else {
            return Ok(Some(node));
        };
        parent.height = parent.height.max(height);
        match &mut parent.body {
            Body::Seq(items) => items.push(node),
            Body::Map(entries, pending) => match pending.take() {
                Some((key, key_pos)) => entries.push(Entry {
                    key,
                    key_pos,
                    value: node,
                }),
                // Containers as keys are refused in `open`, scalars go to `set_key`.
                None => return Err(error_at(mark, "mapping key must be a scalar")),
            },
        }
        Ok(None)
    }

    fn add_count(&mut self, n: usize, mark: Marker) -> Result<(), ParseError> {
        self.count = self.count.saturating_add(n);
        if self.count > self.limits.max_nodes {
            let message = if self.aliases_used || !self.anchors.is_empty() {
                format!("YAML aliases expand past {} values", self.limits.max_nodes)
            } else {
                format!(
                    "YAML document has more than {} values",
                    self.limits.max_nodes
                )
            };
            return Err(error_at(mark, message));
        }
        Ok(())
    }

    fn depth_error(&self, mark: Marker) -> ParseError {
        error_at(
            mark,
            format!("nesting deeper than {} levels", self.limits.max_depth),
        )
    }
}

/// The text an aliased scalar stands for when used as a mapping key.
fn scalar_key_text(node: &Node) -> Option<String> {
    match &node.kind {
        Kind::String(s) => Some(s.clone()),
        Kind::Number(n) => Some(n.to_string()),
        Kind::Bool(b) => Some(b.to_string()),
        Kind::Null => Some("null".to_string()),
        Kind::Array(_) | Kind::Object(_) => None,
    }
}

/// Types a scalar by the YAML 1.2 core schema; only plain scalars are ever anything but strings.
fn scalar_kind(value: String, style: TScalarStyle) -> Kind {
    if style != TScalarStyle::Plain {
        return Kind::String(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        _ => {}
    }
    if let Some(number) = core_number(&value) {
        return Kind::Number(number);
    }
    Kind::String(value)
}

/// A finite core-schema number, or `None` (non-finite floats such as `.inf` stay strings,
/// since JSON has no way to write them).
fn core_number(s: &str) -> Option<Number> {
    if let Some(hex) = s.strip_prefix("0x") {
        return radix_number(hex, 16);
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return radix_number(oct, 8);
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = s.parse::<i64>() {
            return Some(Number::from(i));
        }
        if let Ok(u) = s.parse::<u64>() {
            return Some(Number::from(u));
        }
        return s.parse::<f64>().ok().and_then(Number::from_f64);
    }
    if is_core_float(unsigned) {
        return s.parse::<f64>().ok().and_then(Number::from_f64);
    }
    None
}

fn radix_number(digits: &str, radix: u32) -> Option<Number> {
    let valid = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
    if !valid {
        return None;
    }
    u64::from_str_radix(digits, radix).ok().map(Number::from)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, checked by hand because Rust's
/// float parser also accepts words such as `inf` and `NaN`.
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (s, None),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()),
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    };
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file() -> Arc<str> {
        Arc::from("card.yaml")
    }

    fn parse(text: &str) -> Result<Node, ParseError> {
        parse_yaml(text, &file(), &Limits::default())
    }

    fn json_of(text: &str) -> serde_json::Value {
        match parse(text) {
            Ok(node) => node.to_json(),
            Err(e) => panic!("unexpected error {e}"),
        }
    }

    fn error_of(text: &str) -> ParseError {
        match parse(text) {
            Ok(node) => panic!("expected an error, got {:?}", node.to_json()),
            Err(e) => e,
        }
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let v = json_of(concat!(
            "n1: null\nn2: ~\nn3:\nn4: NULL\n",
            "b1: true\nb2: False\nb3: yes\nb4: no\n",
            "i1: 42\ni2: -7\ni3: 0x1F\ni4: 0o17\ni5: +3\ni6: 007\n",
            "f1: 1.5\nf2: -2e3\nf3: .5\nf4: 1.\n",
            "inf: .inf\nninf: -.Inf\nnan: .NaN\n",
            "q1: '42'\nq2: \"true\"\nq3: 'null'\n",
            "date: 2026-10-01\nversion: 1.2.3\nbig: 123456789012345678901234567890\n",
            "u: 18446744073709551615\nhexword: 0xZZ\n",
        ));
        assert_eq!(
            v,
            json!({
                "n1": null, "n2": null, "n3": null, "n4": null,
                "b1": true, "b2": false, "b3": "yes", "b4": "no",
                "i1": 42, "i2": -7, "i3": 31, "i4": 15, "i5": 3, "i6": 7,
                "f1": 1.5, "f2": -2000.0, "f3": 0.5, "f4": 1.0,
                "inf": ".inf", "ninf": "-.Inf", "nan": ".NaN",
                "q1": "42", "q2": "true", "q3": "null",
                "date": "2026-10-01", "version": "1.2.3",
                "big": 1.2345678901234568e29,
                "u": 18446744073709551615u64, "hexword": "0xZZ",
            })
        );
    }

    #[test]
    fn overflowing_float_stays_a_string() {
        assert_eq!(json_of("x: 1e400"), json!({"x": "1e400"}));
    }

    #[test]
    fn block_and_literal_scalars_are_strings() {
        let v = json_of("a: |\n  12\nb: >\n  true\n");
        assert_eq!(v, json!({"a": "12\n", "b": "true\n"}));
    }

    #[test]
    fn keys_and_values_have_one_based_positions() {
        let text =
            "name: x\nhuman_oversight:\n  mode: none\n  can_stop: true\nlist:\n  - a\n  - k: v\n";
        let root = parse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((root.pos.line, root.pos.column), (1, 1));
        let ho = root
            .entry("human_oversight")
            .unwrap_or_else(|| panic!("no key"));
        assert_eq!((ho.key_pos.line, ho.key_pos.column), (2, 1));
        assert_eq!((ho.value.pos.line, ho.value.pos.column), (3, 3));
        let stop = ho
            .value
            .entry("can_stop")
            .unwrap_or_else(|| panic!("no key"));
        assert_eq!((stop.key_pos.line, stop.key_pos.column), (4, 3));
        assert_eq!((stop.value.pos.line, stop.value.pos.column), (4, 13));
        let (pos, found) = root.locate("list[1].k");
        assert!(found);
        assert_eq!((pos.line, pos.column), (7, 5));
        let (pos, _) = root.locate("list[1]");
        assert_eq!((pos.line, pos.column), (7, 5));
        let (pos, _) = root.locate("list[0]");
        assert_eq!((pos.line, pos.column), (6, 5));
    }

    #[test]
    fn omitted_values_sit_at_their_key() {
        let root = parse("a:\n\nb: 1\n").unwrap_or_else(|e| panic!("{e}"));
        let a = root.get("a").unwrap_or_else(|| panic!("no a"));
        assert_eq!(a.kind, Kind::Null);
        assert_eq!((a.pos.line, a.pos.column), (1, 1));
    }

    #[test]
    fn flow_collections_take_the_bracket_position() {
        let root = parse("a: {b: [1, 2]}").unwrap_or_else(|e| panic!("{e}"));
        let a = root.get("a").unwrap_or_else(|| panic!("no a"));
        assert_eq!((a.pos.line, a.pos.column), (1, 4));
        let b = a.get("b").unwrap_or_else(|| panic!("no b"));
        assert_eq!((b.pos.line, b.pos.column), (1, 8));
    }

    #[test]
    fn positions_count_characters_and_crlf() {
        let root = parse("é: x\r\nb: y\r\n").unwrap_or_else(|e| panic!("{e}"));
        let b = root.entry("b").unwrap_or_else(|| panic!("no b"));
        assert_eq!((b.key_pos.line, b.key_pos.column), (2, 1));
        let e = root.get("é").unwrap_or_else(|| panic!("no é"));
        assert_eq!((e.pos.line, e.pos.column), (1, 4));
    }

    #[test]
    fn empty_stream_is_null_at_line_one() {
        for text in ["", "# just a comment\n", "---\n", "\u{feff}"] {
            let node = parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(node.kind, Kind::Null, "{text:?}");
            assert_eq!((node.pos.line, node.pos.column), (1, 1));
        }
    }

    #[test]
    fn only_the_first_document_is_read() {
        assert_eq!(json_of("a: 1\n---\nb: 2\n"), json!({"a": 1}));
        // A broken later document must not fail the first.
        assert_eq!(json_of("---\na: 1\n---\nb: [\n"), json!({"a": 1}));
    }

    #[test]
    fn explicit_document_start_keeps_file_lines() {
        let root = parse("---\nlicense: mit\n").unwrap_or_else(|e| panic!("{e}"));
        let e = root
            .entry("license")
            .unwrap_or_else(|| panic!("no license"));
        assert_eq!(e.key_pos.line, 2);
    }

    #[test]
    fn non_scalar_keys_are_refused_at_the_key() {
        let e = error_of("---\n# comment\n{{ card_data }}\n---\n");
        assert_eq!(e.message, "mapping key must be a scalar");
        assert_eq!((e.line, e.column), (3, 2));
        let e = error_of("a: 1\n? [x]\n: 2\n");
        assert_eq!(e.message, "mapping key must be a scalar");
        assert_eq!(e.line, 2);
        let e = error_of("base: &m {a: 1}\n*m : 2\n");
        assert_eq!(e.message, "mapping key must be a scalar");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn aliases_expand_and_scalar_aliases_work_as_keys() {
        let v = json_of("k: &k name\nbase: &b {x: 1}\nuse: *b\n*k : 2\n<<: *b\n");
        assert_eq!(
            v,
            json!({"k": "name", "base": {"x": 1}, "use": {"x": 1}, "name": 2, "<<": {"x": 1}})
        );
        let root = parse("base: &b {x: 1}\nuse: *b\n").unwrap_or_else(|e| panic!("{e}"));
        let used = root.get("use").unwrap_or_else(|| panic!("no use"));
        assert_eq!((used.pos.line, used.pos.column), (2, 6));
    }

    #[test]
    fn duplicate_keys_are_an_error_at_the_second() {
        let e = error_of("risk:\n  tier: high\nname: x\nrisk:\n  tier: minimal\n");
        assert_eq!((e.line, e.column), (4, 1));
        assert!(
            e.message
                .contains("duplicate key \"risk\" (first at line 1)"),
            "{}",
            e.message
        );
        assert!(error_of("a: {b: 1, b: 2}\n").message.contains("\"b\""));
        // The same key in different mappings is no duplicate.
        assert!(parse("a: {k: 1}\nb: {k: 2}\n").is_ok());
    }

    #[test]
    fn billion_laughs_fails_fast() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..=9 {
            let prev = format!("*a{}", level - 1);
            let items = [prev.as_str(); 9].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let started = std::time::Instant::now();
        let e = error_of(&text);
        assert_eq!(e.message, "YAML aliases expand past 1000000 values");
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn nested_anchors_without_aliases_are_bounded() {
        let limits = Limits {
            max_nodes: 100,
            ..Limits::default()
        };
        // Each anchor keeps a copy, so 20 nested anchored levels of 5 values cost far more than 100.
        let mut text = String::new();
        for i in 0..20 {
            text.push_str(&format!("- &a{i} [1, 2, 3, 4, "));
        }
        text.push_str(&"]".repeat(20));
        let result = parse_yaml(&text, &file(), &limits);
        assert!(result.is_err());
    }

    #[test]
    fn many_plain_values_are_bounded() {
        let limits = Limits {
            max_nodes: 10,
            ..Limits::default()
        };
        let e = match parse_yaml("[1,2,3,4,5,6,7,8,9,10,11,12]", &file(), &limits) {
            Err(e) => e,
            Ok(_) => panic!("expected an error"),
        };
        assert_eq!(e.message, "YAML document has more than 10 values");
    }

    #[test]
    fn deep_flow_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(200_000);
        let e = error_of(&text);
        assert_eq!(e.message, "nesting deeper than 64 levels");
        assert_eq!(e.line, 1);
        let text = format!("{}{}", "{a: ".repeat(100), "}".repeat(100));
        assert_eq!(error_of(&text).message, "nesting deeper than 64 levels");
    }

    #[test]
    fn deep_block_nesting_is_an_error_not_a_crash() {
        let text = format!("{}x\n", "- ".repeat(200_000));
        assert_eq!(error_of(&text).message, "nesting deeper than 64 levels");
    }

    #[test]
    fn aliases_cannot_nest_past_the_depth_limit() {
        let limits = Limits {
            max_depth: 4,
            ..Limits::default()
        };
        let ok = parse_yaml("a: &a [[1]]\nb: *a\n", &file(), &limits);
        assert!(ok.is_ok());
        let deep = parse_yaml("a: &a [[[1]]]\nb: [*a]\n", &file(), &limits);
        match deep {
            Err(e) => assert_eq!(e.message, "nesting deeper than 4 levels"),
            Ok(_) => panic!("expected a depth error"),
        }
    }

    #[test]
    fn scanner_errors_keep_position_and_message() {
        let e = error_of("a: b: c\n");
        assert_eq!((e.line, e.column), (1, 5));
        assert!(
            e.message.contains("mapping values are not allowed"),
            "{}",
            e.message
        );
        let e = error_of("a:\n  - b\n c: 1\n");
        assert_eq!(e.line, 3);
        let e = error_of("a: 'unterminated\n");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn undefined_alias_is_an_error() {
        let e = error_of("a: *nope\n");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn core_float_shapes() {
        for ok in ["1", "1.", ".5", "1.5e3", "1E-2", "0.0"] {
            assert!(is_core_float(ok), "{ok}");
        }
        for bad in ["", ".", "e3", "1e", "1.5.2", "inf", "nan", "1_000", "1e+"] {
            assert!(!is_core_float(bad), "{bad}");
        }
    }
}
