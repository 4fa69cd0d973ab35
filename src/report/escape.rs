//! Card text is untrusted: every sink gets its own escaping.

/// For a terminal: control characters (escape sequences, CR, bell...) shown as
/// `\u{1b}` so a card cannot move the cursor, recolour or hide lines. Newlines
/// are kept only when `keep_newlines`.
pub fn terminal(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' && keep_newlines {
            out.push(c);
        } else if c.is_control() || is_bidi_override(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Bidirectional overrides can make text read differently from what it is.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_visible() {
        assert_eq!(terminal("a\x1b[31mb", false), "a\\u{1b}[31mb");
        assert_eq!(terminal("a\r\nb", false), "a\\u{d}\\u{a}b");
        assert_eq!(terminal("a\nb", true), "a\nb");
        assert_eq!(terminal("x\u{202e}y", false), "x\\u{202e}y");
    }
}
