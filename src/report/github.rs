//! GitHub Actions workflow commands, one annotation per finding:
//! `::error file=F,line=L,col=C,title=RULE::MESSAGE` (`::warning`, and
//! `::notice` for notes, waived and baselined findings), escaped as the runner unescapes
//! them, so card text can neither end a command nor start a new one.

use crate::finding::{Finding, Severity};
use crate::pipeline::Outcome;
use std::io::Write;

/// GitHub shows at most this many annotations of each type per step.
pub const ANNOTATIONS_PER_TYPE: usize = 10;

/// The annotation type of a finding: `error`, `warning` or `notice`.
pub fn command(f: &Finding) -> &'static str {
    match (f.excused(), f.severity) {
        (true, _) | (false, Severity::Note) => "notice",
        (false, Severity::Error) => "error",
        (false, Severity::Warning) => "warning",
    }
}

/// Every finding as an annotation, most severe first.
pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    render_limited(outcome, out, usize::MAX).map(|_| ())
}

/// At most `per_type_limit` annotations of each type (errors, then warnings,
/// then notices; file order within each); returns the findings left out, in
/// that same order.
pub fn render_limited<'a>(
    outcome: &'a Outcome,
    out: &mut dyn Write,
    per_type_limit: usize,
) -> std::io::Result<Vec<&'a Finding>> {
    let mut left_out = Vec::new();
    let mut emitted = [0usize; 3];
    for f in super::markdown::ranked(&outcome.findings) {
        let slot = match command(f) {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        };
        if emitted[slot] >= per_type_limit {
            left_out.push(f);
            continue;
        }
        emitted[slot] += 1;
        writeln!(out, "{}", annotation(f))?;
    }
    Ok(left_out)
}

/// One finding's workflow command line (without the line break).
pub fn annotation(f: &Finding) -> String {
    let mut props = Vec::new();
    if !f.file.is_empty() {
        props.push(format!("file={}", property(&f.file)));
        props.push(format!("line={}", f.line.max(1)));
        props.push(format!("col={}", f.column.max(1)));
    }
    props.push(format!("title={}", property(&f.rule)));
    format!(
        "::{} {}::{}",
        command(f),
        props.join(","),
        data(&message(f))
    )
}

/// The annotation's text: the message, then what waived it or how to fix it.
pub fn message(f: &Finding) -> String {
    let mut text = f.message.clone();
    if f.waived {
        text.push_str("\n\nWaived");
        if let Some(why) = &f.waiver {
            text.push_str(": ");
            text.push_str(why);
        }
    } else if let Some(mark) = f.baseline.as_ref().filter(|_| f.baselined) {
        text.push_str("\n\n");
        let why = mark.describe();
        let mut chars = why.chars();
        if let Some(first) = chars.next() {
            text.extend(first.to_uppercase());
            text.push_str(chars.as_str());
        }
    } else if let Some(help) = f.help.as_deref().map(first_paragraph) {
        if !help.is_empty() {
            // The remediation's example follows its opening paragraph elsewhere.
            let help = help.trim_end_matches(':');
            let more = match super::sarif::help_uri(&f.rule, None) {
                Some(uri) => uri,
                None => format!("aimsgate explain {}", f.rule),
            };
            text.push_str(&format!("\n\nHow to fix: {help} (see {more})"));
        }
    }
    text
}

fn first_paragraph(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A command's message: `%`, CR and LF percent-encoded (the runner decodes
/// them); other control and bidi-override characters shown as `\u{..}`.
pub fn data(text: &str) -> String {
    escape(text, false)
}

/// A property value: as [`data`], plus `:` and `,`, which end a value.
pub fn property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            '\t' => out.push(c),
            c if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(data("50%\r\n::error::x"), "50%25%0D%0A::error::x");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(data("\u{1b}[2J\u{85}"), "\\u{1b}[2J\\u{85}");
    }
}
