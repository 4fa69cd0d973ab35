//! Markdown cards: YAML front matter plus the body split into sections by heading.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::format::{Limits, ParseError};
use super::node::{Kind, LineIndex, Node, Pos};
use super::yaml::parse_yaml;

/// A heading and the Markdown under it, subsections included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The heading's plain text, without links, emphasis or code marks.
    pub title: String,
    /// 1 to 6.
    pub level: u8,
    /// 1-based line of the heading in the whole file, front matter included.
    pub line: u32,
    /// Raw Markdown from after the heading to the next heading of the same or a
    /// higher level, trimmed.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Markdown {
    /// The front matter mapping; an empty block gives an empty object.
    pub front_matter: Option<Node>,
    /// Why front matter that is there could not be used.
    pub front_matter_error: Option<ParseError>,
    pub sections: Vec<Section>,
    /// 1-based line where the body starts (after the closing delimiter, or 1).
    pub body_line: u32,
}

/// Splits a Markdown document into front matter and sections. Never fails as a
/// whole: a bad front matter is reported in `front_matter_error` and the body is
/// still read.
pub fn parse_markdown(text: &str, file: &Arc<str>, limits: &Limits) -> Markdown {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let index = LineIndex::new(text);
    let (front_matter, front_matter_error, body_start) = match find_front_matter(text) {
        Block::Absent => (None, None, 0),
        Block::Closed {
            yaml_end,
            body_start,
        } => {
            // The opening `---` is kept: to YAML it is a document start, so every
            // position comes out as a line of the whole file with no offsetting.
            let yaml = text.get(..yaml_end).unwrap_or_default();
            match front_matter_node(yaml, file, limits) {
                Ok(node) => (Some(node), None, body_start),
                Err(e) => (None, Some(e), body_start),
            }
        }
        Block::Unclosed => (
            None,
            Some(ParseError::at_start(
                "front matter opened at line 1 is never closed",
            )),
            0,
        ),
        Block::IndentedClose {
            line_start,
            body_start,
        } => {
            let indent = text.get(line_start..).map_or(0, |rest| {
                rest.len() - rest.trim_start_matches([' ', '\t']).len()
            });
            let (line, column) = index.position(line_start + indent);
            (
                None,
                Some(ParseError::new(
                    line,
                    column,
                    format!(
                        "the closing front matter delimiter at line {line} is indented; \
                         it must start at column 1"
                    ),
                )),
                body_start,
            )
        }
    };
    let (body_line, _) = index.position(body_start);
    Markdown {
        front_matter,
        front_matter_error,
        sections: sections(text, body_start, &index),
        body_line,
    }
}

fn front_matter_node(yaml: &str, file: &Arc<str>, limits: &Limits) -> Result<Node, ParseError> {
    let node = parse_yaml(yaml, file, limits)?;
    let found = match node.kind {
        Kind::Object(_) => return Ok(node),
        // Only comments, or nothing: an empty mapping, not an error.
        Kind::Null => return Ok(Node::object(Pos::new(file, 1, 1))),
        Kind::Array(_) => "a sequence",
        Kind::String(_) => "a string",
        Kind::Number(_) => "a number",
        Kind::Bool(_) => "a boolean",
    };
    Err(ParseError::at_start(format!(
        "front matter must be a mapping, found {found}"
    )))
}

enum Block {
    Absent,
    /// `yaml_end` is where the closing line starts; `body_start` is just after it.
    Closed {
        yaml_end: usize,
        body_start: usize,
    },
    Unclosed,
    IndentedClose {
        line_start: usize,
        body_start: usize,
    },
}

/// Lines with their byte offsets; the content excludes the line break.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let content = content.strip_suffix('\r').unwrap_or(content);
        (start, content, offset)
    })
}

fn is_delimiter(line: &str, marks: &[&str]) -> bool {
    let line = line.trim_end_matches([' ', '\t']);
    marks.contains(&line)
}

fn find_front_matter(text: &str) -> Block {
    let mut all = lines(text);
    match all.next() {
        Some((_, first, _)) if is_delimiter(first, &["---"]) => {}
        _ => return Block::Absent,
    }
    let mut indented = None;
    for (start, line, end) in all {
        if is_delimiter(line, &["---", "..."]) {
            return Block::Closed {
                yaml_end: start,
                body_start: end,
            };
        }
        // Remembered only in case there is no proper closing line at all.
        if indented.is_none() && line.starts_with([' ', '\t']) && line.trim() == "---" {
            indented = Some((start, end));
        }
    }
    match indented {
        Some((line_start, body_start)) => Block::IndentedClose {
            line_start,
            body_start,
        },
        None => Block::Unclosed,
    }
}

/// A heading found in the body, with byte offsets into the whole text.
struct Heading {
    title: String,
    level: u8,
    start: usize,
    end: usize,
}

fn sections(text: &str, body_start: usize, index: &LineIndex<'_>) -> Vec<Section> {
    let body = text.get(body_start..).unwrap_or_default();
    let headings = headings(body, body_start);
    // Each section ends where the next heading of the same or a higher level starts;
    // a stack of still-open sections finds that in one pass.
    let mut ends = vec![text.len(); headings.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        while let Some(&j) = open.last() {
            match headings.get(j) {
                Some(prev) if prev.level >= h.level => {
                    if let Some(end) = ends.get_mut(j) {
                        *end = h.start;
                    }
                    open.pop();
                }
                _ => break,
            }
        }
        open.push(i);
    }
    headings
        .into_iter()
        .zip(ends)
        .map(|(h, end)| {
            let (line, _) = index.position(h.start);
            let text = text.get(h.end..end.max(h.end)).unwrap_or_default().trim();
            Section {
                title: h.title,
                level: h.level,
                line,
                text: text.to_string(),
            }
        })
        .collect()
}

fn options() -> Options {
    // GitHub-flavoured tables matter here: without them a table followed by `---`
    // would be read as a setext heading.
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

fn headings(body: &str, offset: usize) -> Vec<Heading> {
    let mut found = Vec::new();
    let mut current: Option<(u8, usize, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let Range { start, end } = range;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level_number(level), start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, raw)) = current.take() {
                    found.push(Heading {
                        title: raw.split_whitespace().collect::<Vec<_>>().join(" "),
                        level,
                        start: offset + start,
                        end: offset + end,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if let Some((_, _, title)) = current.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, title)) = current.as_mut() {
                    title.push(' ');
                }
            }
            _ => {}
        }
    }
    found
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file() -> Arc<str> {
        Arc::from("README.md")
    }

    fn parse(text: &str) -> Markdown {
        parse_markdown(text, &file(), &Limits::default())
    }

    fn titles(md: &Markdown) -> Vec<(&str, u8, u32)> {
        md.sections
            .iter()
            .map(|s| (s.title.as_str(), s.level, s.line))
            .collect()
    }

    fn error_message(md: &Markdown) -> Option<(u32, u32, &str)> {
        md.front_matter_error
            .as_ref()
            .map(|e| (e.line, e.column, e.message.as_str()))
    }

    #[test]
    fn front_matter_keeps_whole_file_lines() {
        let md = parse(
            "---\nlicense: mit\nhuman_oversight:\n  can_stop: true\n---\n\n# Model\n\ntext\n",
        );
        assert_eq!(md.front_matter_error, None);
        let fm = md
            .front_matter
            .clone()
            .unwrap_or_else(|| panic!("no front matter"));
        assert_eq!(
            fm.to_json(),
            json!({"license": "mit", "human_oversight": {"can_stop": true}})
        );
        let (pos, found) = fm.locate("human_oversight.can_stop");
        assert!(found);
        assert_eq!((pos.line, pos.column), (4, 3));
        assert_eq!(md.body_line, 6);
        assert_eq!(titles(&md), [("Model", 1, 7)]);
        assert_eq!(md.sections.first().map(|s| s.text.as_str()), Some("text"));
    }

    #[test]
    fn crlf_front_matter_and_trailing_spaces_on_delimiters() {
        let md =
            parse("---  \r\nlicense: mit\r\nlanguage: eo\r\n--- \r\n\r\n## Usage\r\nrun it\r\n");
        assert_eq!(md.front_matter_error, None);
        let fm = md
            .front_matter
            .clone()
            .unwrap_or_else(|| panic!("no front matter"));
        assert_eq!(fm.to_json(), json!({"license": "mit", "language": "eo"}));
        assert_eq!(fm.entry("language").map(|e| e.key_pos.line), Some(3));
        assert_eq!(titles(&md), [("Usage", 2, 6)]);
        assert_eq!(md.sections.first().map(|s| s.text.as_str()), Some("run it"));
    }

    #[test]
    fn bom_before_front_matter_is_skipped() {
        let md = parse("\u{feff}---\na: 1\n---\n# T\n");
        assert_eq!(
            md.front_matter.as_ref().map(Node::to_json),
            Some(json!({"a": 1}))
        );
        assert_eq!(titles(&md), [("T", 1, 4)]);
    }

    #[test]
    fn empty_front_matter_is_an_empty_mapping() {
        let md = parse("---\n---\n\n# Dataset Card for \"xsum\"\n");
        assert_eq!(md.front_matter_error, None);
        assert_eq!(md.front_matter.as_ref().map(Node::to_json), Some(json!({})));
        assert_eq!(titles(&md), [("Dataset Card for \"xsum\"", 1, 4)]);
        let md = parse("---\n# only a comment\n---\n");
        assert_eq!(md.front_matter.as_ref().map(Node::to_json), Some(json!({})));
    }

    #[test]
    fn dots_close_front_matter_too() {
        let md = parse("---\na: 1\n...\n# T\n");
        assert_eq!(
            md.front_matter.as_ref().map(Node::to_json),
            Some(json!({"a": 1}))
        );
        assert_eq!(md.body_line, 4);
    }

    #[test]
    fn front_matter_must_be_a_mapping() {
        let md = parse("---\n[]\n---\n\n# invalid-card-data\n\nThis card should fail.\n");
        assert_eq!(md.front_matter, None);
        assert_eq!(
            error_message(&md),
            Some((1, 1, "front matter must be a mapping, found a sequence"))
        );
        assert_eq!(titles(&md), [("invalid-card-data", 1, 5)]);
        let md = parse("---\njust text\n---\n");
        assert_eq!(
            error_message(&md),
            Some((1, 1, "front matter must be a mapping, found a string"))
        );
    }

    #[test]
    fn jinja_placeholder_is_a_yaml_error_and_sections_survive() {
        let md = parse("---\n# comment\n{{ card_data }}\n---\n\n# Model Card for {{ model_id | default(\"Model ID\", true) }}\n\n## Uses\n\nx\n");
        assert_eq!(md.front_matter, None);
        assert_eq!(
            error_message(&md),
            Some((3, 2, "mapping key must be a scalar"))
        );
        assert_eq!(
            titles(&md),
            [
                (
                    "Model Card for {{ model_id | default(\"Model ID\", true) }}",
                    1,
                    6
                ),
                ("Uses", 2, 8)
            ]
        );
    }

    #[test]
    fn unclosed_front_matter_leaves_the_whole_file_as_body() {
        let md = parse("---\n# Alpaca Model Card\n\n## Model details\nStanford\n");
        assert_eq!(md.front_matter, None);
        assert_eq!(
            error_message(&md),
            Some((1, 1, "front matter opened at line 1 is never closed"))
        );
        assert_eq!(md.body_line, 1);
        assert_eq!(
            titles(&md),
            [("Alpaca Model Card", 1, 2), ("Model details", 2, 4)]
        );
    }

    #[test]
    fn indented_closing_delimiter_is_named() {
        let md =
            parse("---\ntask_ids:\n  posp:\n  - tagging\n  ---\n\n# Dataset Card for IndoNLU\n");
        assert_eq!(md.front_matter, None);
        assert_eq!(
            error_message(&md),
            Some((
                5,
                3,
                "the closing front matter delimiter at line 5 is indented; it must start at column 1"
            ))
        );
        assert_eq!(md.body_line, 6);
        assert_eq!(titles(&md), [("Dataset Card for IndoNLU", 1, 7)]);
    }

    #[test]
    fn a_later_exact_delimiter_wins_over_an_indented_one() {
        let md = parse("---\na: |\n  ---\n---\n# T\n");
        assert_eq!(md.front_matter_error, None);
        assert_eq!(
            md.front_matter.as_ref().map(Node::to_json),
            Some(json!({"a": "---\n"}))
        );
    }

    #[test]
    fn no_front_matter_unless_the_first_line_is_exactly_dashes() {
        for text in [
            "\n---\na: 1\n---\n",
            " ---\na: 1\n---\n",
            "----\na: 1\n----\n",
            "--- a\n---\n",
        ] {
            let md = parse(text);
            assert_eq!(md.front_matter, None, "{text:?}");
            assert_eq!(md.front_matter_error, None, "{text:?}");
            assert_eq!(md.body_line, 1);
        }
    }

    #[test]
    fn titles_are_plain_text() {
        let md = parse("## [Dataset Description](#dataset-description)\n### *Bias*, `Risks`, and **Limitations** <a name=\"x\"></a>\n#### Direct   Use ####\n");
        assert_eq!(
            titles(&md),
            [
                ("Dataset Description", 2, 1),
                ("Bias, Risks, and Limitations", 3, 2),
                ("Direct Use", 4, 3)
            ]
        );
    }

    #[test]
    fn setext_headings_count_and_code_blocks_do_not() {
        let md = parse("Uses\n====\n\nSome use.\n\n```\n# not a heading\n```\n\n    # indented code\n\nLimitations\n-----------\nsome\n");
        assert_eq!(titles(&md), [("Uses", 1, 1), ("Limitations", 2, 12)]);
        let uses = md
            .sections
            .first()
            .map(|s| s.text.as_str())
            .unwrap_or_default();
        assert!(uses.starts_with("Some use."), "{uses}");
        assert!(uses.contains("# not a heading"));
        assert!(uses.ends_with("some"), "{uses}");
    }

    #[test]
    fn table_followed_by_a_rule_is_not_a_heading() {
        let md = parse("# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n---\n");
        assert_eq!(titles(&md), [("T", 1, 1)]);
    }

    #[test]
    fn section_text_includes_subsections_until_a_peer() {
        let text = "# Card\nintro\n## Uses\nuse text\n### Direct Use\ndirect\n### Out-of-Scope Use\noos\n## Bias, Risks, and Limitations\nbias\n# Other\nend\n";
        let md = parse(text);
        let by_title = |t: &str| {
            md.sections
                .iter()
                .find(|s| s.title == t)
                .map(|s| s.text.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            by_title("Uses"),
            "use text\n### Direct Use\ndirect\n### Out-of-Scope Use\noos"
        );
        assert_eq!(by_title("Direct Use"), "direct");
        assert_eq!(by_title("Out-of-Scope Use"), "oos");
        assert_eq!(by_title("Bias, Risks, and Limitations"), "bias");
        assert!(by_title("Card").ends_with("bias"));
        assert_eq!(by_title("Other"), "end");
    }

    #[test]
    fn html_comments_stay_in_text() {
        let md = parse("## Uses\n<!-- Address questions around how the model is intended to be used -->\n\n[More Information Needed]\n");
        let text = md
            .sections
            .first()
            .map(|s| s.text.as_str())
            .unwrap_or_default();
        assert!(text.starts_with("<!-- Address"));
        assert!(text.ends_with("[More Information Needed]"));
    }

    #[test]
    fn empty_input_has_nothing() {
        let md = parse("");
        assert_eq!(md.front_matter, None);
        assert_eq!(md.front_matter_error, None);
        assert!(md.sections.is_empty());
        assert_eq!(md.body_line, 1);
    }

    #[test]
    fn deep_markdown_nesting_does_not_crash() {
        for text in [
            ">".repeat(200_000),
            "- ".repeat(200_000),
            "[".repeat(200_000),
            "*".repeat(200_000),
            format!("# {}", "[".repeat(200_000)),
        ] {
            let md = parse(&text);
            assert!(md.front_matter_error.is_none());
        }
    }

    #[test]
    fn deep_front_matter_is_an_error_not_a_crash() {
        let text = format!("---\na: {}\n---\n# T\n", "[".repeat(200_000));
        let md = parse(&text);
        assert_eq!(
            md.front_matter_error.as_ref().map(|e| e.message.clone()),
            Some("nesting deeper than 64 levels".to_string())
        );
        assert_eq!(titles(&md), [("T", 1, 4)]);
    }

    #[test]
    fn sections_serialize() {
        let s = Section {
            title: "Uses".into(),
            level: 2,
            line: 3,
            text: "x".into(),
        };
        assert_eq!(
            serde_json::to_value(&s).ok(),
            Some(json!({"title": "Uses", "level": 2, "line": 3, "text": "x"}))
        );
    }
}
