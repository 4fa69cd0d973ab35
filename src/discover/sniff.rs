//! Cheap content checks for card names that are also used for other things
//! (`README.md`, `bom.json`): only a few kilobytes are read, nothing is parsed.

use std::io::Read;
use std::path::Path;

const SNIFF_BYTES: u64 = 1024 * 1024;

fn head(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut buf = Vec::new();
    file.take(SNIFF_BYTES).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Keys that make a README's front matter a model card: Hugging Face model
/// metadata, or aimsgate's own record keys.
const MODEL_KEYS: &[&str] = &[
    "model-index",
    "pipeline_tag",
    "base_model",
    "library_name",
    "risk",
    "human_oversight",
    "intended_use",
];

pub fn is_model_readme(path: &Path) -> bool {
    let Some(text) = head(path) else { return false };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    for line in lines {
        let line = line.trim_end();
        if line == "---" || line == "..." {
            break;
        }
        let key = line.split(':').next().unwrap_or("");
        if MODEL_KEYS.contains(&key) {
            return true;
        }
    }
    false
}

pub fn is_ml_bom(path: &Path) -> bool {
    head(path).is_some_and(|t| t.contains("\"machine-learning-model\""))
}
