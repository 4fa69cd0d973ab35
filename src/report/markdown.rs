//! A Markdown summary for a GitHub job summary or a pull-request comment: the
//! verdict, a counts table, and the findings of each system in a collapsed
//! `<details>` table. Every card-derived text is escaped for both Markdown and
//! HTML contexts (see [`escape`]), so a card cannot inject markup, break a
//! table, mention a user or hide text.

use crate::finding::{Finding, Severity};
use crate::pipeline::Outcome;
use std::io::Write;

/// The first line of the one PR comment aimsgate keeps up to date.
pub const COMMENT_MARKER: &str = "<!-- aimsgate-comment -->";

/// GitHub's limit for one step's job summary.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;
/// GitHub's limit for an issue or pull-request comment body (characters).
pub const COMMENT_LIMIT: usize = 65_536;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(render_string(outcome).as_bytes())
}

/// The full summary as a string.
pub fn render_string(outcome: &Outcome) -> String {
    let all: Vec<&Finding> = outcome.findings.iter().collect();
    document(outcome, &all, 0)
}

/// The summary in at most `max_bytes` bytes: when the whole does not fit, the
/// most severe findings are kept (errors, then warnings, notes, waived; file
/// order within each) and a closing note says how many were left out.
pub fn render_limited(outcome: &Outcome, max_bytes: usize) -> String {
    let full = render_string(outcome);
    if full.len() <= max_bytes {
        return full;
    }
    let ranked = ranked(&outcome.findings);
    let with = |k: usize| -> String {
        let mut kept: Vec<&Finding> = ranked[..k].to_vec();
        kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        document(outcome, &kept, ranked.len() - k)
    };
    // The largest number of findings whose document fits (the size grows with k).
    let (mut lo, mut hi) = (0usize, ranked.len());
    if with(0).len() > max_bytes {
        return truncate(&with(0), max_bytes);
    }
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if with(mid).len() <= max_bytes {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    with(lo)
}

/// The body of the PR comment: [`COMMENT_MARKER`], then the summary, within
/// GitHub's comment size limit.
pub fn comment(outcome: &Outcome) -> String {
    let budget = COMMENT_LIMIT - COMMENT_MARKER.len() - 1;
    format!("{COMMENT_MARKER}\n{}", render_limited(outcome, budget))
}

/// Findings most severe first: errors, warnings, notes, then waived and
/// baselined ones.
pub fn ranked(findings: &[Finding]) -> Vec<&Finding> {
    let mut ranked: Vec<&Finding> = findings.iter().collect();
    ranked.sort_by_key(|f| (f.excused(), std::cmp::Reverse(f.severity)));
    ranked
}

fn document(outcome: &Outcome, findings: &[&Finding], left_out: usize) -> String {
    let s = &outcome.summary;
    let mut md = String::new();
    let verdict = if outcome.failing() {
        "❌ aimsgate: failed"
    } else if s.warnings > 0 {
        "⚠️ aimsgate: passed with warnings"
    } else {
        "✅ aimsgate: passed"
    };
    md.push_str(&format!("## {verdict}\n\n"));
    // The baselined column only when a baseline holds something.
    let (head, rule, cell) = if s.baselined > 0 {
        (" baselined |", " ---: |", format!(" {} |", s.baselined))
    } else {
        ("", "", String::new())
    };
    md.push_str(&format!(
        "| systems | errors | warnings | notes | waived |{head}\n"
    ));
    md.push_str(&format!("| ---: | ---: | ---: | ---: | ---: |{rule}\n"));
    md.push_str(&format!(
        "| {} | {} | {} | {} | {} |{cell}\n\n",
        s.systems, s.errors, s.warnings, s.notes, s.waived
    ));
    if outcome.systems.is_empty() && outcome.findings.is_empty() {
        md.push_str("No AI systems (model cards) were found.\n\n");
    }

    let mut clean: Vec<&str> = Vec::new();
    for system in &outcome.systems {
        let mine: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.system.as_deref() == Some(system.id.as_str()))
            .collect();
        let total = outcome
            .findings
            .iter()
            .filter(|f| f.system.as_deref() == Some(system.id.as_str()))
            .count();
        if total == 0 {
            clean.push(&system.id);
            continue;
        }
        let mut title = format!("<strong>{}</strong>", escape(&system.id));
        if let Some(name) = system.name.as_deref().filter(|n| !n.trim().is_empty()) {
            title.push_str(&format!(" · {}", escape(name)));
        }
        title.push_str(&format!(" · {} risk", escape(&system.tier)));
        section(&mut md, outcome, &title, &mine, total);
    }
    // Findings of no listed system: the repository's (ML code without a card,
    // configuration waivers) and those of systems not in the list.
    let known = |f: &&Finding| {
        f.system
            .as_deref()
            .is_some_and(|id| outcome.systems.iter().any(|s| s.id == id))
    };
    let rest: Vec<&Finding> = findings.iter().copied().filter(|f| !known(f)).collect();
    let rest_total = outcome.findings.iter().filter(|f| !known(f)).count();
    if rest_total > 0 {
        section(
            &mut md,
            outcome,
            "<strong>Repository</strong> · outside any system",
            &rest,
            rest_total,
        );
    }
    if !clean.is_empty() {
        md.push_str(&format!(
            "✅ No findings for {}: {}\n\n",
            plural(clean.len(), "system"),
            clean
                .iter()
                .map(|id| escape(id))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for na in &outcome.not_applicable {
        md.push_str(&format!(
            "ℹ️ Rule {} not evaluated: {} marked not applicable ({})\n\n",
            escape(&na.rule),
            escape(&na.controls.join(", ")),
            escape(&na.justification)
        ));
    }
    if left_out > 0 {
        md.push_str(&format!(
            "> [!NOTE]\n> {} left out to fit GitHub's size limit; the job log and the JSON or SARIF report have them all.\n\n",
            plural(left_out, "more finding")
        ));
    }
    md.push_str(&format!(
        "<sub>aimsgate {} · [rule catalog]({})</sub>\n",
        env!("CARGO_PKG_VERSION"),
        super::sarif::RULES_DOC
    ));
    md
}

fn section(md: &mut String, outcome: &Outcome, title: &str, findings: &[&Finding], total: usize) {
    let count = |sev: Severity| {
        findings
            .iter()
            .filter(|f| !f.excused() && f.severity == sev)
            .count()
    };
    let mut counts = Vec::new();
    for (sev, word) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Note, "note"),
    ] {
        let n = count(sev);
        if n > 0 {
            counts.push(plural(n, word));
        }
    }
    let waived = findings.iter().filter(|f| f.waived).count();
    if waived > 0 {
        counts.push(format!("{waived} waived"));
    }
    let baselined = findings.iter().filter(|f| f.baselined).count();
    if baselined > 0 {
        counts.push(format!("{baselined} baselined"));
    }
    if findings.len() < total {
        counts.push(format!("{} left out", total - findings.len()));
    }
    md.push_str(&format!(
        "<details><summary>{title} · {}</summary>\n\n",
        counts.join(", ")
    ));
    if !findings.is_empty() {
        md.push_str("| severity | rule | location | message |\n");
        md.push_str("| --- | --- | --- | --- |\n");
        for f in findings {
            md.push_str(&row(outcome, f));
        }
        md.push('\n');
    }
    md.push_str("</details>\n\n");
}

fn row(outcome: &Outcome, f: &Finding) -> String {
    let severity = match (f.waived, f.severity) {
        (true, s) => format!("⚪ waived {s}"),
        (false, s) if f.baselined => format!("⚪ baselined {s}"),
        (false, Severity::Error) => "🔴 error".to_string(),
        (false, Severity::Warning) => "🟡 warning".to_string(),
        (false, Severity::Note) => "🔵 note".to_string(),
    };
    let rule = match super::sarif::help_uri(&f.rule, outcome.catalog.get(&f.rule)) {
        Some(uri) => format!("[{}](<{}>)", escape(&f.rule), url(&uri)),
        None => escape(&f.rule),
    };
    let mut message = escape(&f.message);
    if f.waived {
        if let Some(why) = &f.waiver {
            message.push_str(&format!(" — waived: {}", escape(why)));
        }
    } else if let Some(mark) = f.baseline.as_ref().filter(|_| f.baselined) {
        message.push_str(&format!(" — {}", escape(&mark.describe())));
    }
    format!(
        "| {severity} | {rule} | {}:{} | {message} |\n",
        escape(&f.file),
        f.line
    )
}

/// Text from a card, safe in a Markdown table cell, in inline Markdown and in
/// HTML (`<summary>`): markup characters become character references, line
/// breaks become spaces, other control and bidi-override characters are shown
/// as `\u{..}`, and `@` is followed by a zero-width space so no one is mentioned.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '|' => out.push_str("&#124;"),
            '`' => out.push_str("&#96;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '\\' => out.push_str("&#92;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '~' => out.push_str("&#126;"),
            '#' => out.push_str("&#35;"),
            '$' => out.push_str("&#36;"),
            '!' => out.push_str("&#33;"),
            '@' => out.push_str("@&#8203;"),
            c if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("&#92;u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// A web address for a link destination in `<...>`, inside a table cell.
fn url(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for c in uri.chars() {
        if c.is_ascii_graphic()
            && !matches!(c, '<' | '>' | '"' | '|' | '`' | '\\' | '{' | '}' | '^')
        {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// `text` cut to at most `max_bytes` on a line boundary (a last resort when
/// even the summary without findings is too long).
fn truncate(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_string();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(i) => text[..=i].to_string(),
        None => String::new(),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_mentions() {
        assert_eq!(
            escape("<script>a|b</script>"),
            "&lt;script&gt;a&#124;b&lt;/script&gt;"
        );
        assert_eq!(escape("a\r\nb"), "a  b");
        assert_eq!(escape("@octocat"), "@&#8203;octocat");
        assert_eq!(escape("# [x](y) `z`"), "&#35; &#91;x&#93;(y) &#96;z&#96;");
        assert_eq!(escape("\u{1b}[31m"), "&#92;u{1b}&#91;31m");
    }

    #[test]
    fn urls_cannot_leave_the_link() {
        assert_eq!(url("https://x/a b|c>d"), "https://x/a%20b%7Cc%3Ed");
    }

    #[test]
    fn truncates_on_lines() {
        assert_eq!(truncate("ab\ncd\nef", 7), "ab\ncd\n");
        assert_eq!(truncate("é", 1), "");
    }
}
