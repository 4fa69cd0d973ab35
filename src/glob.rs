//! Path globs with gitignore semantics, for every glob a user or a default
//! writes (card names, excludes, includes, waiver paths): `*` and `?` never
//! cross `/`; a pattern without a `/` matches a name at any depth; a leading
//! `/` anchors a pattern at the root; a pattern that matches a directory
//! matches everything below it (`legacy` and `legacy/` take `legacy/a/b.py`).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// Whether names are matched regardless of case (card and weight names are;
/// excludes and includes follow git, which is case-sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Sensitive,
    Insensitive,
}

/// What a pattern that names a directory takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The files and directories it names, and everything below them
    /// (excludes, includes, waiver paths).
    Below,
    /// Only the files it names (card names).
    Named,
}

/// A set of gitignore-style patterns, compiled once.
#[derive(Debug, Clone)]
pub struct PathGlobs {
    set: GlobSet,
    /// For each compiled glob, the index of the pattern it came from.
    origin: Vec<usize>,
    empty: bool,
}

impl Default for PathGlobs {
    fn default() -> Self {
        PathGlobs {
            set: GlobSet::empty(),
            origin: Vec::new(),
            empty: true,
        }
    }
}

impl PathGlobs {
    /// Compiles `patterns`; the error names the pattern and why it is not a glob.
    pub fn new<S: AsRef<str>>(
        patterns: &[S],
        case: Case,
        reach: Reach,
    ) -> Result<PathGlobs, String> {
        let mut builder = GlobSetBuilder::new();
        let mut origin = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let pattern = pattern.as_ref();
            for glob in expand(pattern, reach) {
                let glob = GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .case_insensitive(case == Case::Insensitive)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| format!("bad glob {pattern:?}: {e}"))?;
                builder.add(glob);
                origin.push(index);
            }
        }
        let set = builder.build().map_err(|e| e.to_string())?;
        Ok(PathGlobs {
            set,
            origin,
            empty: patterns.is_empty(),
        })
    }

    /// Whether the root-relative `path` (or a directory above it) matches.
    pub fn is_match(&self, path: &str) -> bool {
        !self.empty && self.set.is_match(path)
    }

    /// The index of the first pattern `path` matches.
    pub fn first_match(&self, path: &str) -> Option<usize> {
        if self.empty {
            return None;
        }
        self.set
            .matches(path)
            .into_iter()
            .filter_map(|i| self.origin.get(i).copied())
            .min()
    }
}

/// The globset globs one gitignore pattern stands for.
fn expand(pattern: &str, reach: Reach) -> Vec<String> {
    let trimmed = pattern.trim_end_matches('/');
    let anchored = trimmed.starts_with('/');
    let body = trimmed.trim_start_matches('/');
    if body.is_empty() {
        return vec!["**".to_string()];
    }
    let base = if anchored || body.contains('/') {
        body.to_string()
    } else {
        format!("**/{body}")
    };
    if reach == Reach::Named || base.ends_with("/**") || base == "**" {
        vec![base]
    } else {
        vec![format!("{base}/**"), base]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(patterns: &[&str]) -> PathGlobs {
        PathGlobs::new(patterns, Case::Sensitive, Reach::Below).expect("valid globs")
    }

    #[test]
    fn star_never_crosses_a_slash() {
        let g = globs(&["**/train*.py"]);
        assert!(g.is_match("train.py"));
        assert!(g.is_match("src/train_model.py"));
        assert!(!g.is_match("src/training/logger.py"));
        assert!(!g.is_match("trainers/utils.py"));
    }

    #[test]
    fn a_name_matches_at_any_depth_and_a_directory_covers_its_files() {
        let g = globs(&["legacy"]);
        assert!(g.is_match("legacy/a/b.py"));
        assert!(g.is_match("x/legacy/b.py"));
        assert!(!g.is_match("legacy_code/b.py"));
        let g = globs(&["*.md"]);
        assert!(g.is_match("docs/deep/README.md"));
    }

    #[test]
    fn a_slash_anchors_at_the_root() {
        let g = globs(&["/models/*.pt"]);
        assert!(g.is_match("models/a.pt"));
        assert!(!g.is_match("x/models/a.pt"));
        let g = globs(&["src/*.py"]);
        assert!(g.is_match("src/a.py"));
        assert!(!g.is_match("src/x/a.py"));
        assert!(!g.is_match("lib/src/a.py"));
    }

    #[test]
    fn case_insensitive_names() {
        let g =
            PathGlobs::new(&["**/model_card.md"], Case::Insensitive, Reach::Named).expect("glob");
        assert!(g.is_match("a/MODEL_CARD.MD"));
        let g = PathGlobs::new(&["model_cards/*"], Case::Insensitive, Reach::Named).expect("glob");
        assert!(g.is_match("model_cards/X_MODEL_CARD.md"));
        assert!(!g.is_match("model_cards/x/README.md"));
        let g = globs(&["**/model_card.md"]);
        assert!(!g.is_match("a/MODEL_CARD.MD"));
    }

    #[test]
    fn first_match_is_the_earliest_pattern() {
        let g = globs(&["*.py", "src/**"]);
        assert_eq!(g.first_match("src/a.py"), Some(0));
        assert_eq!(g.first_match("src/a.md"), Some(1));
        assert_eq!(g.first_match("a.md"), None);
    }
}
