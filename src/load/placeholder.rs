//! Placeholder text left from templates: found once while loading, so policies
//! get a list of paths instead of walking the whole card with regexes.

use super::node::{Kind, Node};

/// Record paths (dotted, numeric indexes) whose string value is placeholder text.
pub fn find(record: &Node) -> Vec<String> {
    let mut found = Vec::new();
    // An explicit stack: records are depth-bounded already, but this costs
    // nothing. Paths are kept as segments and joined only for a hit: most
    // values are not placeholders.
    let mut stack: Vec<(usize, Option<Segment<'_>>, &Node)> = vec![(0, None, record)];
    let mut trail: Vec<Segment<'_>> = Vec::new();
    while let Some((depth, segment, node)) = stack.pop() {
        trail.truncate(depth);
        trail.extend(segment);
        match &node.kind {
            Kind::String(s) if is_placeholder(s) => found.push(join(&trail)),
            Kind::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((trail.len(), Some(Segment::Index(i)), item));
                }
            }
            Kind::Object(entries) => {
                for e in entries.iter().rev() {
                    stack.push((trail.len(), Some(Segment::Key(&e.key)), &e.value));
                }
            }
            _ => {}
        }
    }
    found
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn join(trail: &[Segment<'_>]) -> String {
    let mut path = String::new();
    for segment in trail {
        if !path.is_empty() {
            path.push('.');
        }
        match segment {
            Segment::Key(key) => path.push_str(key),
            Segment::Index(i) => path.push_str(&i.to_string()),
        }
    }
    path
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlaceholderSection {
    pub file: String,
    pub title: String,
    pub line: u32,
    /// Why it is unfinished, so a policy can say it in its own words.
    pub reason: Unfinished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfinished {
    /// Its title or own text holds a template marker (TODO, `{{ }}`...).
    Placeholder,
    /// No text and no subsection.
    Empty,
    /// Only the template's italic guidance, no answer.
    Guidance,
}

impl Unfinished {
    pub fn as_str(self) -> &'static str {
        match self {
            Unfinished::Placeholder => "placeholder",
            Unfinished::Empty => "empty",
            Unfinished::Guidance => "guidance",
        }
    }
}

/// The same words in `inspect`'s JSON as in the evaluation input.
impl serde::Serialize for Unfinished {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Sections whose own text (before their first subsection), or title, is
/// template filler, or that have no subsection and are empty or hold only
/// the template's guidance (see [`guidance_only`]).
pub fn sections(file: &str, sections: &[super::markdown::Section]) -> Vec<PlaceholderSection> {
    let mut found = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        let has_children = sections
            .get(i + 1)
            .is_some_and(|next| next.level > section.level);
        let own = if has_children {
            own_text(&section.text)
        } else {
            section.text.as_str()
        };
        let stripped = super::adapters::sections::strip_html_comments(own);
        let reason = if is_placeholder(&stripped) || is_placeholder(&section.title) {
            Unfinished::Placeholder
        } else if has_children {
            continue;
        } else if stripped.trim().is_empty() {
            Unfinished::Empty
        } else if guidance_only(&stripped) {
            Unfinished::Guidance
        } else {
            continue;
        };
        found.push(PlaceholderSection {
            file: file.to_string(),
            title: section.title.clone(),
            line: section.line,
            reason,
        });
    }
    found
}

/// Text that is only a template's guidance: paragraphs each wholly in
/// italics, as the Datasheets-for-Datasets template writes under every
/// question (`_Was there a specific task in mind?_`). An answer beside it
/// is plain text; a section under its heading only guides, so a parent
/// section keeps its guidance without being reported.
pub fn guidance_only(text: &str) -> bool {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('_') || trimmed.starts_with('*')) {
        return false;
    }
    let mut paragraphs = 0usize;
    let mut in_paragraph = false;
    let mut italic = 0usize;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Paragraph) if !in_paragraph => {
                in_paragraph = true;
                paragraphs += 1;
            }
            Event::End(TagEnd::Paragraph) => in_paragraph = false,
            Event::Start(Tag::Emphasis) if in_paragraph => italic += 1,
            Event::End(TagEnd::Emphasis) if in_paragraph => italic = italic.saturating_sub(1),
            Event::SoftBreak | Event::HardBreak if in_paragraph => {}
            Event::Text(t) if in_paragraph && italic == 0 => {
                if !t.trim().is_empty() {
                    return false;
                }
            }
            // Inside italics anything goes (a link, code, bold); outside,
            // any other block or inline is an answer.
            _ if in_paragraph && italic > 0 => {}
            _ => return false,
        }
    }
    paragraphs > 0
}

/// A section's text up to its first subheading (ATX `#`; setext subsections
/// are rare in cards and only make the own text longer, never a false marker).
fn own_text(text: &str) -> &str {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('#') && offset > 0 {
            return &text[..offset];
        }
        if line.trim_start().starts_with('#') && offset == 0 {
            return "";
        }
        offset += line.len();
    }
    text
}

/// Template markers: `[More Information Needed]`, TODO, TBD, FIXME, `{{ }}`,
/// lorem ipsum; and a whole value that answers nothing ("N/A", "see above").
/// Text with characters beyond ASCII is folded first (homoglyphs such as
/// Cyrillic "Т", zero-width and other format characters, non-breaking
/// spaces, fullwidth forms), so a marker cannot hide behind them.
pub fn is_placeholder(text: &str) -> bool {
    if may_hold_marker(text) && holds_marker(text) {
        return true;
    }
    if text.is_ascii() {
        return text.len() <= MAX_ANSWER_BYTES && empty_answer(&text.to_ascii_lowercase());
    }
    let folded = folded(text);
    (folded.len() <= MAX_ANSWER_BYTES && empty_answer(&folded))
        || PHRASES.iter().any(|p| folded.contains(p))
        || (folded.contains("{{") && folded.contains("}}"))
        || folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w, "todo" | "tbd" | "fixme"))
}

/// Whole values, lower case, that answer no question.
const EMPTY_ANSWERS: &[&str] = &[
    "n/a",
    "na",
    "n.a",
    "tbd",
    "tba",
    "tbc",
    "todo",
    "fixme",
    "see above",
    "see below",
    "to be determined",
    "to be confirmed",
    "to be defined",
    "to be added",
    "-",
    "--",
    "?",
    "...",
    "xxx",
    "placeholder",
];

/// Zero-width and other invisible format characters (Unicode category Cf
/// as it occurs in text: ZWSP, ZWJ, ZWNJ, word joiner, BOM, soft hyphen,
/// bidirectional marks).
fn is_format_character(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Longer values are prose, never one of [`EMPTY_ANSWERS`].
const MAX_ANSWER_BYTES: usize = 64;

fn empty_answer(lower: &str) -> bool {
    let answer = lower.trim().trim_end_matches('.').trim();
    let answer = if answer.is_empty() {
        lower.trim()
    } else {
        answer
    };
    EMPTY_ANSWERS.contains(&answer)
}

/// `text` folded for comparison: invisible format characters removed,
/// NFKC (fullwidth and compatibility forms), confusables mapped to their
/// prototype (UTS #39 skeleton: Cyrillic "Т" is "T"), lower case, and
/// non-breaking spaces as spaces.
fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let visible: String = text
        .chars()
        .filter(|c| !is_format_character(*c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .nfkc()
        .collect();
    let skeleton: String = unicode_security::confusable_detection::skeleton(&visible).collect();
    skeleton.to_lowercase()
}

/// Every string of every card is tested: one pass of this automaton rules out
/// almost all of them. It matches ASCII case-insensitively a substring of
/// every marker, so it never rules out one.
static CANDIDATES: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(
                PHRASES
                    .iter()
                    .copied()
                    .chain(["{{", "todo", "tbd", "fixme"]),
            )
            .ok()
    });

/// False only when `text` certainly holds no marker. Non-ASCII text is left
/// to the exact test, which lowercases it the Unicode way.
fn may_hold_marker(text: &str) -> bool {
    match CANDIDATES.as_ref() {
        Some(candidates) if text.is_ascii() => candidates.is_match(text),
        _ => true,
    }
}

fn holds_marker(text: &str) -> bool {
    let phrase = if text.is_ascii() {
        // The same test as below without a lowercased copy: for ASCII text
        // Unicode lowercasing is ASCII lowercasing.
        PHRASES.iter().any(|p| contains_ascii_ignore_case(text, p))
    } else {
        let lower = text.to_lowercase();
        PHRASES.iter().any(|p| lower.contains(p))
    };
    if phrase || (text.contains("{{") && text.contains("}}")) {
        return true;
    }
    has_marker_word(text)
}

/// Lowercase, ASCII.
const PHRASES: &[&str] = &["[more information needed]", "lorem ipsum"];

fn contains_ascii_ignore_case(text: &str, lower: &str) -> bool {
    text.as_bytes()
        .windows(lower.len())
        .any(|w| w.eq_ignore_ascii_case(lower.as_bytes()))
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
        assert!(is_placeholder("See [MORE information NEEDED] below"));
        assert!(is_placeholder("Ünïcode, then LOREM Ipsum"));
        assert!(!is_placeholder("lorem"));
        assert!(!is_placeholder(""));
    }

    #[test]
    fn empty_answers_and_hidden_markers() {
        for empty in [
            "N/A",
            "n/a",
            " NA ",
            "tbd",
            "Tbd.",
            "See above",
            "-",
            "?",
            "To be determined",
        ] {
            assert!(is_placeholder(empty), "{empty:?}");
        }
        // Hidden behind a zero-width space, a non-breaking space, Cyrillic or Greek letters.
        for hidden in [
            "T\u{200b}BD",
            "N/\u{200d}A",
            "see\u{a0}above",
            "\u{422}BD",
            "\u{422}\u{39f}D\u{39f}: write it",
            "ｔｂｄ",
        ] {
            assert!(is_placeholder(hidden), "{hidden:?}");
        }
        for answer in [
            "none",
            "Nancy",
            "Analysts review every case",
            "n/a is not an answer we accept here, so we wrote this",
            "Тимур Иванов",
        ] {
            assert!(!is_placeholder(answer), "{answer:?}");
        }
    }
}

#[cfg(test)]
mod prefilter_properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The prefilter never rules out text the exact test finds a marker in.
        #[test]
        fn prefilter_keeps_every_marker(
            text in "(lorem ipsum|LoReM IPSUM|lorem|\\[more information needed\\]|\\[MORE| information NEEDED\\]|\\{\\{|\\}\\}|TODO|todo|TBD|FIXME|S|x| |é){0,8}",
        ) {
            prop_assert!(!holds_marker(&text) || may_hold_marker(&text));
        }
    }

    #[test]
    fn prefilter_rules_out_plain_prose() {
        assert!(!may_hold_marker(
            "Rank incoming cases for queue 8607 by urgency"
        ));
        assert!(may_hold_marker("see Lorem Ipsum"));
        assert!(may_hold_marker("todos"));
    }
}

#[cfg(test)]
mod find_tests {
    use super::*;
    use crate::load::node::Pos;
    use std::sync::Arc;

    #[test]
    fn paths_name_keys_and_indexes_in_written_order() {
        let f: Arc<str> = Arc::from("card.yaml");
        let at = Pos::new(&f, 1, 1);
        let text = |s: &str| Node::string(s, at.clone());
        let mut inner = Node::object(at.clone());
        inner.insert("owner", at.clone(), text("TBD"));
        inner.insert("ok", at.clone(), text("fine"));
        let list = Node::new(Kind::Array(vec![text("fine"), text("TODO")]), at.clone());
        let mut record = Node::object(at.clone());
        record.insert("a", at.clone(), inner);
        record.insert("b", at.clone(), list);
        record.insert("c", at.clone(), text("{{ x }}"));
        assert_eq!(find(&record), vec!["a.owner", "b.1", "c"]);
        assert_eq!(find(&text("TODO")), vec![""]);
    }
}

#[cfg(test)]
mod section_tests {
    use super::*;
    use crate::load::markdown::Section;

    fn section(title: &str, level: u8, line: u32, text: &str) -> Section {
        Section {
            title: title.into(),
            level,
            line,
            text: text.into(),
        }
    }

    #[test]
    fn sections_with_filler_or_nothing_are_found() {
        let list = vec![
            section("Uses", 2, 3, "### Direct Use\n\n[More Information Needed]"),
            section("Direct Use", 3, 5, "[More Information Needed]"),
            section("Limitations", 2, 9, "<!-- Fill in -->"),
            section("Evaluation", 2, 12, "AUC 0.91 on the 2024 test split."),
            section("Code", 2, 15, "# a python comment\nprint(1)"),
        ];
        let found = sections("MODEL_CARD.md", &list);
        let titles: Vec<(&str, Unfinished)> =
            found.iter().map(|s| (s.title.as_str(), s.reason)).collect();
        assert_eq!(
            titles,
            vec![
                ("Direct Use", Unfinished::Placeholder),
                ("Limitations", Unfinished::Empty)
            ]
        );
        assert_eq!(found[0].line, 5);
    }

    #[test]
    fn guidance_without_an_answer_is_filler() {
        let guidance = "_Was there a specific task in mind?\nPlease provide a description._";
        let list = vec![
            section(
                "Motivation",
                2,
                1,
                &format!("_Why this section._\n\n### Purpose\n\n{guidance}"),
            ),
            section("Purpose", 3, 5, guidance),
            section(
                "Funding",
                3,
                9,
                &format!("{guidance}\n\nThe bank's own budget."),
            ),
            section("Sample", 3, 13, "*Yes*, stratified by region."),
        ];
        let found = sections("DATASHEET.md", &list);
        let titles: Vec<(&str, Unfinished)> =
            found.iter().map(|s| (s.title.as_str(), s.reason)).collect();
        assert_eq!(titles, vec![("Purpose", Unfinished::Guidance)]);
    }

    #[test]
    fn guidance_is_paragraphs_wholly_in_italics() {
        for text in [
            "_Guidance._",
            "*Guidance.*",
            "_One._\n\n_Two, with [a link](https://example.com) and `code`._",
            "_A **bold** word inside._",
        ] {
            assert!(guidance_only(text), "{text:?}");
        }
        for text in [
            "",
            "An answer.",
            "_Guidance._\n\nAn answer.",
            "_Yes_, we did.",
            "**Bold answer.**",
            "_Guidance._\n\n- a list item",
            "_Guidance._\n\n| a | table |\n|---|---|\n| 1 | 2 |",
            "_unclosed guidance",
        ] {
            assert!(!guidance_only(text), "{text:?}");
        }
    }
}
