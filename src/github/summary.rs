//! The step's own files: the job summary (`$GITHUB_STEP_SUMMARY`), the step
//! outputs (`$GITHUB_OUTPUT`), and the log a step prints.

use crate::pipeline::Outcome;
use std::io::Write;
use std::path::Path;

/// GitHub shows at most 1 MiB of job summary per step.
pub const MAX_SUMMARY_BYTES: usize = crate::report::markdown::STEP_SUMMARY_LIMIT;

/// Appends the report to the job summary: `render(max_bytes)` is asked for
/// at most what is left of the step's 1 MiB after what earlier commands wrote.
pub fn append_step_summary(
    path: &Path,
    render: impl FnOnce(usize) -> String,
) -> Result<(), String> {
    let used = std::fs::metadata(path)
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    let left = MAX_SUMMARY_BYTES.saturating_sub(used + 1);
    if left < 1024 {
        return Err("the job summary is full (1 MiB per step)".to_string());
    }
    let mut text = render(left);
    if text.len() > left {
        // The renderer keeps to the limit; this only guards against a miscount.
        let mut end = left;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    append(path, &text)
}

/// `name=value` lines for `$GITHUB_OUTPUT`: the counts, and the SARIF
/// report's path when one was written. A value with a line break cannot be
/// written in this form and is left out, with a reason.
pub fn outputs(outcome: &Outcome, sarif: Option<&Path>) -> (String, Vec<String>) {
    let s = &outcome.summary;
    let mut pairs = vec![
        ("errors", s.errors.to_string()),
        ("warnings", s.warnings.to_string()),
        ("notes", s.notes.to_string()),
        ("waived", s.waived.to_string()),
        ("baselined", s.baselined.to_string()),
        ("systems", s.systems.to_string()),
    ];
    if let Some(path) = sarif {
        pairs.push(("sarif", path.to_string_lossy().into_owned()));
    }
    let mut text = String::new();
    let mut problems = Vec::new();
    for (name, value) in pairs {
        if value.contains(['\n', '\r']) {
            problems.push(format!(
                "output {name} left out: its value has a line break"
            ));
        } else {
            text.push_str(&format!("{name}={value}\n"));
        }
    }
    (text, problems)
}

/// Appends `text` to a file GitHub gave the step (never truncates it: other
/// steps' commands may have written to it).
pub fn append(path: &Path, text: &str) -> Result<(), String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A token for `::stop-commands::`, unguessable by whoever wrote a card.
pub fn stop_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.write_u32(std::process::id());
    let a = h.finish();
    let b = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("aimsgate-{a:016x}{b:016x}")
}

/// `text` between `::stop-commands::` and its end token: card text in it
/// (file names, messages) cannot run workflow commands.
pub fn write_inert(out: &mut dyn Write, text: &str) -> std::io::Result<()> {
    let token = stop_token();
    writeln!(out, "::stop-commands::{token}")?;
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    writeln!(out, "::{token}::")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_lines() {
        let mut outcome = Outcome::default();
        outcome.summary.errors = 3;
        outcome.summary.systems = 2;
        let (text, problems) = outputs(&outcome, Some(Path::new("out/aimsgate.sarif")));
        assert_eq!(
            text,
            "errors=3\nwarnings=0\nnotes=0\nwaived=0\nbaselined=0\nsystems=2\nsarif=out/aimsgate.sarif\n"
        );
        assert!(problems.is_empty());
        let (text, problems) = outputs(&outcome, Some(Path::new("a\nb=c")));
        assert!(!text.contains("sarif"));
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn stop_tokens_differ() {
        assert_ne!(stop_token(), stop_token());
    }

    #[test]
    fn summary_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        std::fs::write(&path, vec![b'x'; MAX_SUMMARY_BYTES - 2000]).unwrap();
        append_step_summary(&path, |max| {
            assert!(max < 2000);
            "é".repeat(5000)
        })
        .unwrap();
        let len = std::fs::metadata(&path).unwrap().len() as usize;
        assert!(len <= MAX_SUMMARY_BYTES, "{len}");
        assert!(append_step_summary(&path, |_| String::new()).is_err());
    }
}
