//! Card text is untrusted: escaping for the sinks of the register and the
//! audit report (HTML, Markdown tables, CSV cells, terminal table cells).

/// For HTML text and attribute values (double- or single-quoted).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than whitespace have no business in a report.
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// For one cell of a Markdown table (GitHub Flavored Markdown): one line, no
/// column breaks, no HTML, no emphasis, links or code spans from card text.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c == '\n' || c == '\r' || c == '\t' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = c == ' ';
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// For Markdown prose outside tables: the same escaping, kept on one line.
pub fn markdown(text: &str) -> String {
    markdown_cell(text)
}

/// For a CSV cell: a cell a spreadsheet would read as a formula (=, +, -, @,
/// tab, carriage return first) is prefixed with `'` (OWASP CSV injection).
/// Quoting itself is the csv crate's job.
pub fn csv_cell(text: &str) -> String {
    // Control characters (ESC, OSC sequences) would reach the terminal of
    // whoever prints the file; a line break inside a quoted cell is data.
    let text = crate::report::escape::terminal(text, true);
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text,
    }
}

/// For a terminal table cell: one line, control characters made visible.
pub fn terminal_cell(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    crate::report::escape::terminal(&one_line, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(html("a\u{1b}b"), "a\u{fffd}b");
    }

    #[test]
    fn markdown_cells_stay_in_their_cell() {
        assert_eq!(markdown_cell("a | b\nc <img>"), "a \\| b c &lt;img&gt;");
        assert_eq!(
            markdown_cell("[x](http://e) *y*"),
            "\\[x\\](http://e) \\*y\\*"
        );
    }

    #[test]
    fn csv_control_characters_are_made_visible() {
        assert_eq!(csv_cell("a\x1b]0;pwned\x07b"), "a\\u{1b}]0;pwned\\u{7}b");
        assert_eq!(csv_cell("two\nlines"), "two\nlines");
    }

    #[test]
    fn csv_formulas_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("Risk ML"), "Risk ML");
    }
}
