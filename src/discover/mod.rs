//! Stage 1: find the AI systems a repository holds. A model card makes a
//! system; so does code that trains, loads or calls a model, read from the
//! parsed source ([`evidence`]) and grouped into the project a person would
//! name ([`systems`]). Examples, tests, docs, copies of other projects and
//! a framework's library code are notes, not systems ([`zones`]).

pub mod bom;
mod cards;
pub mod changes;
pub mod evidence;
mod systems;
mod walk;
pub mod zones;

pub use crate::tree::parent_dir;
pub use cards::card_globs;
pub use evidence::FileEvidence;
pub use systems::{is_within, CodeOf};
pub use walk::Walk;
pub use zones::Zone;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::glob::{Case, PathGlobs, Reach};
use crate::tree::{relative, Tree};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A system found on disk, before its documents are read.
#[derive(Debug, Clone)]
pub struct SystemSource {
    /// The directory whose code the card covers, relative to the scan root
    /// (`.` for the root itself); the card's path when several cards cover
    /// one directory.
    pub id: String,
    /// The card, relative to the scan root.
    pub card: String,
    /// The directory whose code the card covers.
    pub dir: String,
    /// The files of the system's code and artifacts (what change control
    /// watches).
    pub ml_files: Vec<String>,
    /// What each of those files shows.
    pub evidence: Vec<FileEvidence>,
}

impl SystemSource {
    /// The models and providers its code names.
    pub fn bom(&self) -> bom::AiBom {
        bom::AiBom::of(&self.evidence)
    }
}

/// Code that trains, loads or calls a model, with no card: one per project.
#[derive(Debug, Clone, Serialize)]
pub struct UncardedSystem {
    /// The project directory (the nearest holding a dependency manifest, else
    /// the scan root), or a directory of weights and training code below a card.
    pub dir: String,
    /// The card that would otherwise cover it, for weights and training code
    /// below a card that is not theirs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_by: Option<String>,
    pub files: Vec<FileEvidence>,
}

impl UncardedSystem {
    /// The models and providers its code names.
    pub fn bom(&self) -> bom::AiBom {
        bom::AiBom::of(&self.files)
    }

    pub fn file_names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.file.clone()).collect()
    }

    /// Where a finding about it points: the first call of its first file
    /// with one, else its first file.
    pub fn first(&self) -> (&str, u32, u32) {
        let with_call = self.files.iter().find(|f| !f.calls.is_empty());
        match with_call.or(self.files.first()) {
            Some(f) => {
                let (line, column) = f.first_line();
                (f.file.as_str(), line, column)
            }
            None => (self.dir.as_str(), 1, 1),
        }
    }
}

#[derive(Debug)]
pub struct Discovery {
    /// The scan root, canonical.
    pub root: PathBuf,
    pub systems: Vec<SystemSource>,
    /// Code with evidence and no card.
    pub uncarded: Vec<UncardedSystem>,
    /// Directories discovery passed over although they hold cards or ML
    /// code, one entry per directory and reason.
    pub skipped: Vec<Skipped>,
}

impl Discovery {
    /// Every ML file no card covers.
    pub fn uncarded_files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .uncarded
            .iter()
            .flat_map(UncardedSystem::file_names)
            .collect();
        files.sort();
        files
    }
}

/// Cards and ML code in one directory that discovery did not check as a
/// system, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The directory the note is about.
    pub dir: String,
    /// The directory that makes it one (`third_party`, `.exp`, `examples`).
    pub hidden_by: String,
    pub zone: Zone,
    /// The cards and ML files, sorted.
    pub files: Vec<String>,
    /// More on why, when the zone alone does not say.
    pub detail: Option<String>,
}

pub fn discover(tree: &Tree, config: &Config) -> Result<Discovery> {
    discover_until(tree, config, &Walk::default(), &|_| None)
}

/// [`discover`], stopping with a tool error past `walk.deadline` or
/// `[limits] max_files` files walked. A commit's tree is listed, not walked:
/// every file it holds is a candidate, only `[discovery] exclude` hides one.
/// `code_of` reads the code a card declares it covers.
pub fn discover_until(
    tree: &Tree,
    config: &Config,
    walk: &Walk,
    code_of: CodeOf<'_>,
) -> Result<Discovery> {
    let globs = |patterns: &[String], what: &str, case: Case| {
        PathGlobs::new(patterns, case, Reach::Below)
            .map_err(|e| Error::Usage(format!("{what}: {e}")))
    };
    let cards = cards::card_globs(config)?;
    let exclude = globs(
        &config.discovery.exclude,
        "discovery.exclude",
        Case::Sensitive,
    )?;
    let include = globs(
        &config.discovery.include,
        "discovery.include",
        Case::Sensitive,
    )?;
    let ml_code = globs(
        &config.discovery.ml_code,
        "discovery.ml_code",
        Case::Insensitive,
    )?;
    let table = evidence::table::compile(&config.discovery.library)
        .map_err(|e| Error::Usage(format!("discovery.library: {e}")))?;
    let limits = config.limits.parser_limits();
    let eyes = walk::Eyes {
        tree,
        cards: &cards,
        exclude: &exclude,
        include: &include,
        ml_code: &ml_code,
        table: &table,
        max_bytes: limits.max_file_bytes,
        below: walk.below.as_deref(),
    };
    let seen = match tree {
        Tree::Git(git) => systems::Seen {
            looked: walk::list_commit(&eyes, config, &git.files())?,
            hidden: Vec::new(),
            nested_git: BTreeSet::new(),
            pass_over_copies: false,
        },
        Tree::Work(_) => {
            let (looked, hidden, nested_git) = walk::walk_work_tree(&eyes, config, walk)?;
            systems::Seen {
                looked,
                hidden,
                nested_git,
                pass_over_copies: walk.tracked.is_empty(),
            }
        }
    };
    systems::assemble(tree.root(), config, seen, code_of, &table)
}

/// The nearest system directory at or above `file`.
pub fn owner_of<V>(file: &str, systems: &BTreeMap<String, V>) -> Option<String> {
    let mut dir = parent_dir(file);
    loop {
        if systems.contains_key(&dir) {
            return Some(dir);
        }
        if dir == "." {
            return None;
        }
        dir = parent_dir(&dir);
    }
}

/// Files as the user named them, relative to the root, for scoping a run.
pub fn changed_set(root: &Path, files: &[PathBuf]) -> BTreeSet<String> {
    let cwd = std::env::current_dir().unwrap_or_default();
    files
        .iter()
        .filter_map(|f| {
            let absolute = if f.is_absolute() {
                f.clone()
            } else {
                cwd.join(f)
            };
            let real = absolute
                .canonicalize()
                .unwrap_or_else(|_| crate::tree::normalize(&absolute));
            relative(root, &real)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_is_the_nearest_system_directory() {
        let mut systems = BTreeMap::new();
        systems.insert("a".to_string(), ());
        systems.insert("a/b".to_string(), ());
        assert_eq!(owner_of("a/b/c/train.py", &systems), Some("a/b".into()));
        assert_eq!(owner_of("a/x.ipynb", &systems), Some("a".into()));
        assert_eq!(owner_of("z/x.ipynb", &systems), None);
        assert_eq!(owner_of("x.ipynb", &systems), None);
    }

    #[test]
    fn root_level_card_owns_everything() {
        let mut systems = BTreeMap::new();
        systems.insert(".".to_string(), ());
        assert_eq!(owner_of("deep/dir/model.onnx", &systems), Some(".".into()));
    }
}
