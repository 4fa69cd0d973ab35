//! `aimsgate init`: a model card, a datasheet and an impact assessment to fill
//! in, holding every field the chosen risk tier requires, each commented with
//! what to write and the controls it serves. Values are placeholders (`TODO:`
//! text, empty contacts, `"TODO: true or false"` where a boolean belongs) that
//! fail the gate until they are replaced.
//!
//! Templates are embedded. A line `@if TIER...` starts a block kept only for
//! those tiers, `@end` closes it; `%NAME%`, `%NAME_QUOTED%`, `%TIER%`,
//! `%DATASHEET%` and `%IMPACT%` are substituted.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

const CARD_YAML: &str = include_str!("templates/card.yaml");
const CARD_TOML: &str = include_str!("templates/card.toml");
const CARD_BODY: &str = include_str!("templates/card_body.md");
const DATASHEET_YAML: &str = include_str!("templates/datasheet.yaml");
const DATASHEET_TOML: &str = include_str!("templates/datasheet.toml");
const DATASHEET_BODY: &str = include_str!("templates/datasheet_body.md");
const IMPACT_YAML: &str = include_str!("templates/impact.yaml");
const IMPACT_TOML: &str = include_str!("templates/impact.toml");
const IMPACT_BODY: &str = include_str!("templates/impact_body.md");

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tier {
    High,
    Limited,
    Minimal,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::High => "high",
            Tier::Limited => "limited",
            Tier::Minimal => "minimal",
        }
    }
}

/// The format of the files `init` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CardFormat {
    /// Markdown with YAML front matter (MODEL_CARD.md, DATASHEET.md, IMPACT_ASSESSMENT.md)
    Md,
    /// YAML (model_card.yaml, DATASHEET.yaml, IMPACT_ASSESSMENT.yaml)
    Yaml,
    /// TOML (model_card.toml, DATASHEET.toml, IMPACT_ASSESSMENT.toml)
    Toml,
}

impl CardFormat {
    /// Card, datasheet and impact assessment file names.
    pub fn file_names(self) -> [&'static str; 3] {
        match self {
            CardFormat::Md => ["MODEL_CARD.md", "DATASHEET.md", "IMPACT_ASSESSMENT.md"],
            CardFormat::Yaml => [
                "model_card.yaml",
                "DATASHEET.yaml",
                "IMPACT_ASSESSMENT.yaml",
            ],
            CardFormat::Toml => [
                "model_card.toml",
                "DATASHEET.toml",
                "IMPACT_ASSESSMENT.toml",
            ],
        }
    }
}

/// One file to write: its path and contents.
#[derive(Debug, Clone)]
pub struct Scaffold {
    pub path: PathBuf,
    pub contents: String,
}

/// The three files for a system in `dir`, named `name`.
pub fn render(dir: &Path, name: &str, tier: Tier, format: CardFormat) -> Vec<Scaffold> {
    let [card, datasheet, impact] = format.file_names();
    let name = one_line(name);
    let vars = Vars {
        name: &name,
        tier: tier.as_str(),
        datasheet,
        impact,
    };
    let (card_text, datasheet_text, impact_text) = match format {
        CardFormat::Md => (
            front_matter(CARD_YAML, CARD_BODY, &vars),
            front_matter(DATASHEET_YAML, DATASHEET_BODY, &vars),
            front_matter(IMPACT_YAML, IMPACT_BODY, &vars),
        ),
        CardFormat::Yaml => (
            expand(CARD_YAML, &vars),
            expand(DATASHEET_YAML, &vars),
            expand(IMPACT_YAML, &vars),
        ),
        CardFormat::Toml => (
            expand(CARD_TOML, &vars),
            expand(DATASHEET_TOML, &vars),
            expand(IMPACT_TOML, &vars),
        ),
    };
    vec![
        Scaffold {
            path: dir.join(card),
            contents: card_text,
        },
        Scaffold {
            path: dir.join(datasheet),
            contents: datasheet_text,
        },
        Scaffold {
            path: dir.join(impact),
            contents: impact_text,
        },
    ]
}

/// Writes the files; without `force`, refuses (writing nothing) when any exists.
pub fn write(files: &[Scaffold], force: bool) -> Result<()> {
    if !force {
        let existing: Vec<String> = files
            .iter()
            .filter(|f| f.path.exists() || f.path.is_symlink())
            .map(|f| f.path.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Usage(format!(
                "{} already exist{}; nothing was written (pass --force to overwrite)",
                existing.join(", "),
                if existing.len() == 1 { "s" } else { "" }
            )));
        }
    }
    for f in files {
        if let Some(parent) = f.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&f.path, &f.contents).map_err(|e| Error::io(&f.path, e))?;
    }
    Ok(())
}

/// A readable system name from a directory name: `fraud-detector` -> `Fraud Detector`.
pub fn name_from_dir(dir: &Path) -> String {
    let base = std::fs::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words: Vec<String> = base
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect();
    if words.is_empty() {
        "AI System".to_string()
    } else {
        words.join(" ")
    }
}

/// Card names a directory may already hold; the gate reads only one per directory.
pub const OTHER_CARDS: &[&str] = &[
    "MODEL_CARD.md",
    "model_card.md",
    "model_card.yaml",
    "model_card.yml",
    "model_card.json",
    "model_card.toml",
    "model-card.md",
    "model-card.yaml",
    "model-card.yml",
    "model-card.json",
    "model-card.toml",
    "modelcard.md",
    "modelcard.yaml",
    "modelcard.yml",
    "modelcard.json",
    "modelcard.toml",
];

struct Vars<'a> {
    name: &'a str,
    tier: &'a str,
    datasheet: &'a str,
    impact: &'a str,
}

fn front_matter(yaml: &str, body: &str, vars: &Vars<'_>) -> String {
    format!("---\n{}---\n{}", expand(yaml, vars), expand(body, vars))
}

/// Keeps the lines of the blocks for `vars.tier` and substitutes the variables.
fn expand(template: &str, vars: &Vars<'_>) -> String {
    let quoted = serde_json::to_string(vars.name).unwrap_or_else(|_| "\"AI System\"".into());
    let mut out = String::with_capacity(template.len());
    let mut keep: Vec<bool> = Vec::new();
    for line in template.lines() {
        if let Some(tiers) = line.strip_prefix("@if ") {
            keep.push(tiers.split_whitespace().any(|t| t == vars.tier));
            continue;
        }
        if line == "@end" {
            keep.pop();
            continue;
        }
        if keep.iter().all(|k| *k) {
            let line = line
                .replace("%NAME_QUOTED%", &quoted)
                .replace("%NAME%", vars.name)
                .replace("%TIER%", vars.tier)
                .replace("%DATASHEET%", vars.datasheet)
                .replace("%IMPACT%", vars.impact);
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Names go into comments and headings: no control characters, one line.
fn one_line(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "AI System".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_blocks_are_kept_or_dropped() {
        let high = render(Path::new("x"), "X", Tier::High, CardFormat::Yaml);
        assert!(high[0].contents.contains("can_stop:"));
        assert!(!high[0].contents.contains("transparency:"));
        let limited = render(Path::new("x"), "X", Tier::Limited, CardFormat::Toml);
        assert!(limited[0].contents.contains("[transparency]"));
        assert!(!limited[0].contents.contains("can_stop"));
        let minimal = render(Path::new("x"), "X", Tier::Minimal, CardFormat::Md);
        assert!(!minimal[0].contents.contains("fairness:"));
        assert!(!minimal[0].contents.contains('@'));
        assert!(!minimal[0].contents.contains('%'));
        assert!(minimal[0].contents.starts_with("---\n"));
    }

    #[test]
    fn names_are_read_from_directories() {
        assert_eq!(name_from_dir(Path::new("fraud-detector")), "Fraud Detector");
        assert_eq!(
            name_from_dir(Path::new("models/credit_scorer")),
            "Credit Scorer"
        );
        assert_eq!(one_line("a\nb\u{1b}"), "a b");
    }
}
