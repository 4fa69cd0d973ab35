//! TOML to a positioned [`Node`] tree, via `toml::de::DeTable` (which keeps byte spans).

use std::sync::Arc;

use serde_json::Number;
use toml::de::{DeArray, DeString, DeTable, DeValue};
use toml::Spanned;

use super::format::{Limits, ParseError};
use super::node::{Entry, Kind, LineIndex, Node, Pos};

/// Parses a TOML document; datetimes become their ISO text, non-finite floats strings.
///
/// toml's own parser stops at 80 levels of arrays and inline tables (its
/// `RecursionGuard`), so deep input cannot overflow the stack before the
/// conversion below applies `limits.max_depth`.
pub fn parse_toml(text: &str, file: &Arc<str>, limits: &Limits) -> Result<Node, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let index = LineIndex::new(text);
    let table = DeTable::parse(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| index.position(span.start));
        let message = e.message().trim();
        // toml stops at its own nesting limit (80) with words of its own; same breach.
        let message = if message.contains("recurs") {
            format!("nesting deeper than {} levels", limits.max_depth)
        } else {
            message.to_string()
        };
        ParseError::new(line, column, message)
    })?;
    Converter {
        file,
        index: &index,
        limits,
        count: 0,
    }
    .convert(table.get_ref())
}

type TableItem<'t, 'i> = (&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>);

enum Body<'t, 'i> {
    Array {
        items: Vec<Node>,
        rest: std::slice::Iter<'t, Spanned<DeValue<'i>>>,
    },
    Table {
        entries: Vec<Entry>,
        rest: std::vec::IntoIter<TableItem<'t, 'i>>,
    },
}

/// A container being filled, with the key it will be stored under in its parent.
struct Frame<'t, 'i> {
    pos: Pos,
    key: Option<(String, Pos)>,
    body: Body<'t, 'i>,
}

struct Converter<'a> {
    file: &'a Arc<str>,
    index: &'a LineIndex<'a>,
    limits: &'a Limits,
    count: usize,
}

impl Converter<'_> {
    /// Iterative on purpose: nothing here may recurse once per nesting level.
    fn convert(&mut self, root: &DeTable<'_>) -> Result<Node, ParseError> {
        self.count_one(Pos::new(self.file, 1, 1))?;
        let mut stack = vec![Frame {
            pos: Pos::new(self.file, 1, 1),
            key: None,
            body: table_body(root),
        }];
        loop {
            let Some(top) = stack.last_mut() else {
                return Err(ParseError::at_start("empty TOML document"));
            };
            let next = match &mut top.body {
                Body::Array { rest, .. } => rest.next().map(|v| (v, None)),
                Body::Table { rest, .. } => rest.next().map(|(k, v)| {
                    let key_pos = self.index.pos(self.file, k.span().start);
                    (v, Some((k.get_ref().to_string(), key_pos)))
                }),
            };
            let Some((value, key)) = next else {
                if let Some(frame) = stack.pop() {
                    let kind = match frame.body {
                        Body::Array { items, .. } => Kind::Array(items),
                        Body::Table { entries, .. } => Kind::Object(entries),
                    };
                    if let Some(root) = attach(&mut stack, frame.key, Node::new(kind, frame.pos)) {
                        return Ok(root);
                    }
                }
                continue;
            };
            let pos = self.index.pos(self.file, value.span().start);
            self.count_one(pos.clone())?;
            let body = match value.get_ref() {
                DeValue::Array(array) => Some(array_body(array)),
                DeValue::Table(table) => Some(table_body(table)),
                _ => None,
            };
            match body {
                Some(body) => {
                    if stack.len() >= self.limits.max_depth {
                        return Err(ParseError::new(
                            pos.line,
                            pos.column,
                            format!("nesting deeper than {} levels", self.limits.max_depth),
                        ));
                    }
                    stack.push(Frame { pos, key, body });
                }
                None => {
                    let kind = scalar_kind(value.get_ref(), &pos)?;
                    // A scalar always has a parent here: the root is a table.
                    attach(&mut stack, key, Node::new(kind, pos));
                }
            }
        }
    }

    fn count_one(&mut self, pos: Pos) -> Result<(), ParseError> {
        self.count += 1;
        if self.count > self.limits.max_nodes {
            return Err(ParseError::new(
                pos.line,
                pos.column,
                format!(
                    "TOML document has more than {} values",
                    self.limits.max_nodes
                ),
            ));
        }
        Ok(())
    }
}

fn array_body<'t, 'i>(array: &'t DeArray<'i>) -> Body<'t, 'i> {
    Body::Array {
        items: Vec::with_capacity(array.len()),
        rest: array.iter(),
    }
}

/// Entries in the order they were written: without toml's `preserve_order`
/// feature the map is sorted by key, so the key spans restore the file order.
fn table_body<'t, 'i>(table: &'t DeTable<'i>) -> Body<'t, 'i> {
    let mut items: Vec<TableItem<'t, 'i>> = table.iter().collect();
    items.sort_by_key(|(k, _)| k.span().start);
    Body::Table {
        entries: Vec::with_capacity(items.len()),
        rest: items.into_iter(),
    }
}

fn scalar_kind(value: &DeValue<'_>, pos: &Pos) -> Result<Kind, ParseError> {
    Ok(match value {
        DeValue::String(s) => Kind::String(s.to_string()),
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(d) => Kind::String(d.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str();
            if let Ok(n) = i64::from_str_radix(digits, i.radix()) {
                Kind::Number(Number::from(n))
            } else if let Ok(n) = u64::from_str_radix(digits, i.radix()) {
                Kind::Number(Number::from(n))
            } else {
                return Err(ParseError::new(
                    pos.line,
                    pos.column,
                    format!("integer {i} is out of range"),
                ));
            }
        }
        DeValue::Float(f) => {
            let text = f.as_str();
            match text.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(n) => Kind::Number(n),
                // JSON cannot write inf or nan; the TOML spelling is kept instead.
                None => Kind::String(text.to_string()),
            }
        }
        // Containers are opened as frames by the caller.
        DeValue::Array(_) | DeValue::Table(_) => Kind::Null,
    })
}

/// Adds a finished value to its parent; returns it when there is no parent (the root).
fn attach(stack: &mut [Frame<'_, '_>], key: Option<(String, Pos)>, node: Node) -> Option<Node> {
    let Some(parent) = stack.last_mut() else {
        return Some(node);
    };
    match (&mut parent.body, key) {
        (Body::Array { items, .. }, _) => items.push(node),
        (Body::Table { entries, .. }, Some((key, key_pos))) => entries.push(Entry {
            key,
            key_pos,
            value: node,
        }),
        // Values reach a table only with their key.
        (Body::Table { .. }, None) => {}
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file() -> Arc<str> {
        Arc::from("aimsgate.toml")
    }

    fn parse(text: &str) -> Result<Node, ParseError> {
        parse_toml(text, &file(), &Limits::default())
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
    fn values_convert_to_json_kinds() {
        let root = ok(concat!(
            "title = \"x\"\nn = 42\nh = 0xff\no = 0o17\nb = 0b101\nf = 1_000.5\n",
            "inf = inf\nninf = -inf\nnan = nan\nyes = true\n",
            "dt = 1979-05-27T07:32:00-08:00\nd = 2026-10-01\nt = 07:32:00\n",
            "arr = [1, \"two\", {k = 3}]\n",
        ));
        assert_eq!(
            root.to_json(),
            json!({
                "title": "x", "n": 42, "h": 255, "o": 15, "b": 5, "f": 1000.5,
                "inf": "inf", "ninf": "-inf", "nan": "nan", "yes": true,
                "dt": "1979-05-27T07:32:00-08:00", "d": "2026-10-01", "t": "07:32:00",
                "arr": [1, "two", {"k": 3}],
            })
        );
    }

    #[test]
    fn keys_keep_file_order_and_positions() {
        let text = "zeta = 1\nalpha = 2\n\n[human_oversight]\nmode = \"none\"\ncan_stop = true\n\n[[items]]\nk = 1\n[[items]]\nk = 2\n[a.b]\nc = [1, {d = 2}]\n";
        let root = ok(text);
        let keys: Vec<&str> = root
            .as_entries()
            .unwrap_or_default()
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["zeta", "alpha", "human_oversight", "items", "a"]);
        assert_eq!((root.pos.line, root.pos.column), (1, 1));
        let (pos, found) = root.locate("human_oversight.can_stop");
        assert!(found);
        assert_eq!((pos.line, pos.column), (6, 1));
        let stop = root.get("human_oversight").and_then(|h| h.get("can_stop"));
        let stop = stop.unwrap_or_else(|| panic!("no can_stop"));
        assert_eq!((stop.pos.line, stop.pos.column), (6, 12));
        let (pos, found) = root.locate("items[1].k");
        assert!(found);
        assert_eq!(pos.line, 11);
        let (pos, found) = root.locate("a.b.c[1].d");
        assert!(found);
        assert_eq!((pos.line, pos.column), (13, 10));
    }

    #[test]
    fn errors_carry_line_and_column() {
        let e = err("a = 1\nb = \n");
        assert_eq!(e.line, 2);
        let e = err("a = 1\na = 2\n");
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (2, 1, "duplicate key")
        );
        let e = err("a = 'x");
        assert_eq!(e.line, 1);
        let e = err("a = 99999999999999999999");
        assert_eq!((e.line, e.column), (1, 5));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for text in [
            format!("a = {}", "[".repeat(200_000)),
            format!("a = {}", "{b = ".repeat(200_000)),
            format!("a{} = 1", ".b".repeat(200_000)),
            format!("[a{}]", ".b".repeat(200_000)),
        ] {
            let e = err(&text);
            assert_eq!(e.message, "nesting deeper than 64 levels");
        }
    }

    #[test]
    fn nesting_past_max_depth_below_tomls_own_limit_is_refused() {
        let text = format!("a = {}1{}", "[".repeat(70), "]".repeat(70));
        let e = err(&text);
        assert_eq!(e.message, "nesting deeper than 64 levels");
        assert_eq!(e.line, 1);
        let text = format!("a = {}1{}", "[".repeat(60), "]".repeat(60));
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn value_count_is_bounded() {
        let limits = Limits {
            max_nodes: 5,
            ..Limits::default()
        };
        let e = parse_toml("a = [1, 2, 3, 4, 5, 6]", &file(), &limits);
        assert_eq!(
            e.map_err(|e| e.message),
            Err("TOML document has more than 5 values".to_string())
        );
    }

    #[test]
    fn empty_document_is_an_empty_table() {
        let root = ok("");
        assert_eq!(root.to_json(), json!({}));
        assert_eq!(ok("\u{feff}# c\n").to_json(), json!({}));
    }
}
