//! Markdown sections as record facts: intended use, out-of-scope use, limitations.

use super::{array, fill};
use crate::load::markdown::Section;
use crate::load::node::{Node, Pos};
use std::sync::Arc;

/// Headings that state the primary use, best first.
const PRIMARY_USE: &[&str] = &[
    "direct use",
    "primary intended uses",
    "intended use",
    "intended uses",
    "intended use cases",
    "model use",
    "uses",
    "use cases",
];

pub fn adapt(record: &mut Node, sections: &[Section], file: &Arc<str>) {
    let titled = |pred: &dyn Fn(&str) -> bool| -> Option<&Section> {
        sections.iter().find(|s| pred(&normal_title(&s.title)))
    };
    let primary = PRIMARY_USE.iter().find_map(|want| titled(&|t| t == *want));
    let out_of_scope = titled(&|t| t.contains("out-of-scope") || t.contains("out of scope"));
    let limitations = titled(&|t| t.contains("limitation"));

    for (path, section) in [
        ("intended_use.primary", primary),
        ("intended_use.out_of_scope", out_of_scope),
        ("limitations", limitations),
    ] {
        if let Some(section) = section {
            let pos = Pos::new(file, section.line, 1);
            let text = Node::string(strip_html_comments(&section.text), pos.clone());
            fill(record, path, array(vec![text], pos));
        }
    }
}

fn normal_title(title: &str) -> String {
    title
        .trim()
        .trim_end_matches(':')
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Template guidance lives in HTML comments; it is not content.
pub fn strip_html_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_not_content() {
        assert_eq!(strip_html_comments("<!-- fill me -->"), "");
        assert_eq!(strip_html_comments("a <!-- x --> b"), "a  b");
        assert_eq!(strip_html_comments("a <!-- open"), "a");
    }
}
