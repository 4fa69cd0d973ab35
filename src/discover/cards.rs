//! Which files are model cards: names matched without regard to case, and
//! for names that also serve other purposes (`README.md`, `bom.json`) a
//! cheap look at the content (a few kilobytes read, nothing parsed).

use crate::config::Config;
use crate::error::{Error, Result};
use crate::glob::{Case, PathGlobs, Reach};
use crate::tree::Tree;

/// Card names (gitignore-style globs, any case). Several cards in one
/// directory are several systems.
pub const DEFAULT_CARDS: &[&str] = &[
    "MODEL_CARD.md",
    "*_MODEL_CARD.md",
    "model_card.{md,markdown,yaml,yml,json,toml}",
    "model-card.{md,markdown,yaml,yml,json,toml}",
    "modelcard.{md,markdown,yaml,yml,json,toml}",
    "**/model_cards/*.{md,markdown,yaml,yml,json,toml}",
    "README.md",
    "*.cdx.json",
    "bom.json",
];

/// The card globs `config` discovers (defaults and its own).
pub fn card_globs(config: &Config) -> Result<PathGlobs> {
    let all: Vec<&str> = DEFAULT_CARDS
        .iter()
        .copied()
        .chain(config.discovery.cards.iter().map(String::as_str))
        .collect();
    PathGlobs::new(&all, Case::Insensitive, Reach::Named)
        .map_err(|e| Error::Usage(format!("discovery.cards: {e}")))
}

/// Whether `rel`, whose name a card glob matched, is a card: a README or
/// a `bom.json` only when its content says so.
pub fn is_card(tree: &Tree, rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    if name == "readme.md" {
        is_model_readme(tree, rel)
    } else if name.ends_with(".cdx.json") || name == "bom.json" {
        is_ml_bom(tree, rel)
    } else {
        true
    }
}

/// The directory whose code a card covers by default: its own, or, for a
/// card kept in a `model_cards/` directory, the one holding that directory.
pub fn covered_dir(card: &str) -> String {
    let dir = crate::tree::parent_dir(card);
    let name = dir.rsplit('/').next().unwrap_or(&dir);
    if name.eq_ignore_ascii_case("model_cards") {
        crate::tree::parent_dir(&dir)
    } else {
        dir
    }
}

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

fn is_model_readme(tree: &Tree, rel: &str) -> bool {
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

fn is_ml_bom(tree: &Tree, rel: &str) -> bool {
    head(tree, rel).is_some_and(|t| t.contains("\"machine-learning-model\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_names_in_any_case() {
        let globs = card_globs(&Config::default()).expect("globs");
        for card in [
            "MODEL_CARD.md",
            "a/model_card.MD",
            "a/Model-Card.markdown",
            "model_cards/MUSICGEN_MODEL_CARD.md",
            "x/model_cards/audiogen.md",
            "x/WHISPER_MODEL_CARD.md",
            "docs/README.md",
        ] {
            assert!(globs.is_match(card), "{card}");
        }
        for other in [
            "model_card.py",
            "model_cards/x/y.md",
            "cards.md",
            "model_card_utils.md",
        ] {
            assert!(!globs.is_match(other), "{other}");
        }
    }

    #[test]
    fn model_cards_directories_cover_their_parent() {
        assert_eq!(covered_dir("model_cards/MUSICGEN_MODEL_CARD.md"), ".");
        assert_eq!(covered_dir("svc/model_cards/a.md"), "svc");
        assert_eq!(covered_dir("svc/MODEL_CARD.md"), "svc");
        assert_eq!(covered_dir("MODEL_CARD.md"), ".");
    }
}
