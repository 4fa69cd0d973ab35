//! Text from a file's bytes: binary refused, UTF-8 checked, BOM removed.
//! The bytes come from [`crate::tree::Tree`], which bounds their size.

use super::format::ParseError;
use super::node::LineIndex;

/// How far into a file a NUL byte marks it as binary (the same window git uses).
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// Checks for binary content and decodes UTF-8, stripping a BOM.
pub fn decode(bytes: Vec<u8>) -> Result<String, ParseError> {
    let sniff = bytes.get(..BINARY_SNIFF_BYTES).unwrap_or(&bytes);
    if sniff.contains(&0) {
        return Err(ParseError::at_start("binary file, not text"));
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // The prefix before the first bad byte is valid by definition.
            let valid = std::str::from_utf8(bytes.get(..bad).unwrap_or_default()).unwrap_or("");
            let (line, column) = LineIndex::new(valid).position(valid.len());
            return Err(ParseError::new(
                line,
                column,
                format!("invalid UTF-8 at byte {bad}"),
            ));
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::format::Limits;
    use crate::tree::Tree;

    fn read_text(path: &std::path::Path, limits: &Limits) -> Result<String, ParseError> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            panic!("{}", path.display());
        };
        let tree = Tree::work(dir).unwrap_or_else(|e| panic!("{e}"));
        tree.read_text(&name.to_string_lossy(), limits)
    }

    fn read(bytes: &[u8], limits: &Limits) -> Result<String, ParseError> {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("card.md");
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        read_text(&path, limits)
    }

    #[test]
    fn reads_text_and_strips_a_bom() {
        let limits = Limits::default();
        assert_eq!(read(b"a: 1\n", &limits), Ok("a: 1\n".to_string()));
        assert_eq!(
            read(b"\xef\xbb\xbf{\"a\": 1}", &limits),
            Ok("{\"a\": 1}".to_string())
        );
        assert_eq!(read(b"", &limits), Ok(String::new()));
    }

    #[test]
    fn refuses_files_over_the_limit() {
        let limits = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        assert_eq!(read(b"0123456789", &limits), Ok("0123456789".to_string()));
        let e = read(b"0123456789X", &limits);
        assert_eq!(
            e,
            Err(ParseError::at_start(
                "file is 11 bytes, over the 10-byte limit"
            ))
        );
    }

    #[test]
    fn big_sparse_file_is_refused_from_metadata() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("big.md");
        let f = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        f.set_len(52_428_800).unwrap_or_else(|e| panic!("{e}"));
        let e = read_text(&path, &Limits::default());
        assert_eq!(
            e,
            Err(ParseError::at_start(
                "file is 52428800 bytes, over the 4194304-byte limit"
            ))
        );
    }

    #[test]
    fn nul_byte_means_binary() {
        let e = read(b"PK\x03\x04\x00\x00", &Limits::default());
        assert_eq!(e, Err(ParseError::at_start("binary file, not text")));
    }

    #[test]
    fn nul_after_the_sniff_window_is_kept() {
        let mut bytes = vec![b'a'; BINARY_SNIFF_BYTES];
        bytes.push(0);
        let text = read(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text.len(), BINARY_SNIFF_BYTES + 1);
    }

    #[test]
    fn invalid_utf8_is_placed_at_its_line_and_column() {
        let e = read(b"title: ok\nname: caf\xe9 bar\n", &Limits::default());
        assert_eq!(e, Err(ParseError::new(2, 10, "invalid UTF-8 at byte 19")));
        // Columns count characters, not bytes.
        let mut bytes = "é\né€".as_bytes().to_vec();
        bytes.push(0xff);
        let e = read(&bytes, &Limits::default());
        assert_eq!(e, Err(ParseError::new(2, 3, "invalid UTF-8 at byte 8")));
    }

    #[test]
    fn missing_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let e = read_text(&dir.path().join("nope.md"), &Limits::default());
        assert!(matches!(
            e,
            Err(ParseError {
                line: 1,
                column: 1,
                ..
            })
        ));
        std::fs::create_dir(dir.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
        let e = read_text(&dir.path().join("sub"), &Limits::default());
        assert_eq!(e, Err(ParseError::at_start("not a regular file")));
    }
}
