//! Cheap content checks for card names that are also used for other things
//! (`README.md`, `bom.json`): only a few kilobytes are read, nothing is parsed.

use crate::tree::Tree;

const SNIFF_BYTES: u64 = 1024 * 1024;

fn head(tree: &Tree, rel: &str) -> Option<String> {
    let buf = tree.head(rel, SNIFF_BYTES)?;
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

pub fn is_model_readme(tree: &Tree, rel: &str) -> bool {
    let Some(text) = head(tree, rel) else {
        return false;
    };
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

pub fn is_ml_bom(tree: &Tree, rel: &str) -> bool {
    head(tree, rel).is_some_and(|t| t.contains("\"machine-learning-model\""))
}
