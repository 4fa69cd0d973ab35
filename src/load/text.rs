//! Reading a document file as UTF-8 text, within the size limit.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::format::{Limits, ParseError};
use super::node::LineIndex;

/// How far into a file a NUL byte marks it as binary (the same window git uses).
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// Reads `path` as UTF-8 text with any leading BOM removed.
///
/// Files over `limits.max_file_bytes` are refused without being read whole, files
/// with a NUL byte early on are refused as binary, and invalid UTF-8 is an error at
/// the line and column of the first bad byte.
pub fn read_text(path: &Path, limits: &Limits) -> Result<String, ParseError> {
    let max = limits.max_file_bytes;
    // Checked before opening: opening a FIFO for reading blocks until a writer appears.
    let metadata =
        std::fs::metadata(path).map_err(|e| ParseError::at_start(format!("cannot read: {e}")))?;
    if !metadata.is_file() {
        return Err(ParseError::at_start("not a regular file"));
    }
    if metadata.len() > max {
        return Err(too_big(metadata.len(), max));
    }
    let file = File::open(path).map_err(|e| ParseError::at_start(format!("cannot read: {e}")))?;
    // The file can grow between the check and the read, so the read is bounded too.
    // Sized from the metadata, so a file that did not change is read in one
    // call plus the one that finds its end, not in a run of growing reads.
    let expected = usize::try_from(metadata.len().saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ParseError::at_start(format!("cannot read: {e}")))?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > max {
        return Err(ParseError::at_start(format!(
            "file is over the {max}-byte limit"
        )));
    }
    decode(bytes)
}

fn too_big(len: u64, max: u64) -> ParseError {
    ParseError::at_start(format!("file is {len} bytes, over the {max}-byte limit"))
}

/// Checks for binary content and decodes UTF-8, stripping a BOM.
fn decode(bytes: Vec<u8>) -> Result<String, ParseError> {
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
    use std::io::Write;

    fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        f.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
        f
    }

    fn read(bytes: &[u8], limits: &Limits) -> Result<String, ParseError> {
        let f = write(bytes);
        read_text(f.path(), limits)
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
        let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        f.as_file()
            .set_len(52_428_800)
            .unwrap_or_else(|e| panic!("{e}"));
        let e = read_text(f.path(), &Limits::default());
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
        let e = read_text(dir.path(), &Limits::default());
        assert_eq!(e, Err(ParseError::at_start("not a regular file")));
    }
}
