//! Stage 1: find the AI systems (directories holding a model card) and the ML code.

pub mod changes;
mod sniff;

use crate::config::Config;
use crate::error::{Error, Result};
pub use crate::tree::parent_dir;
use crate::tree::{relative, Tree};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Card names in priority order: when a directory holds several, the first wins.
pub const DEFAULT_CARDS: &[&str] = &[
    "**/MODEL_CARD.md",
    "**/model_card.{md,yaml,yml,json,toml}",
    "**/model-card.{md,yaml,yml,json,toml}",
    "**/modelcard.{md,yaml,yml,json,toml}",
    "**/README.md",
    "**/*.cdx.json",
    "**/bom.json",
];

pub const DEFAULT_ML_CODE: &[&str] = &[
    "**/*.ipynb",
    "**/train*.py",
    "**/*.{onnx,safetensors,pt,pth,ckpt,h5,keras,joblib,pkl,gguf,tflite}",
    "**/MLproject",
    "**/dvc.yaml",
];

/// Framework modules the default `train*.py` would take for training
/// scripts: a `Trainer` class (transformers, fairseq, Lightning) is code a
/// training script runs, not an AI system. `[discovery] ml_code` globs of a
/// repository's own still match them.
const NOT_TRAINING_SCRIPTS: &[&str] = &["**/trainer.py", "**/trainers.py", "**/trainer_*.py"];

/// Model weights: with training code beside them, a directory is an AI
/// system of its own. `*.bin` counts only there (alone it is any binary).
const WEIGHTS: &[&str] =
    &["**/*.{onnx,safetensors,pt,pth,ckpt,h5,keras,joblib,pkl,gguf,tflite,bin}"];

/// Code that trains a model: beside weights, it makes a directory a system.
const TRAINING_CODE: &[&str] = &[
    "**/*.ipynb",
    "**/train*.py",
    "**/*_train*.py",
    "**/*{finetune,fine_tune,fine-tune}*.py",
    "**/MLproject",
];

/// Directories of other people's code, skipped like hidden ones.
const VENDORED: &[&str] = &[
    "vendor",
    "vendored",
    "third_party",
    "third-party",
    "node_modules",
    "site-packages",
    "venv",
    "__pycache__",
];

/// A system found on disk, before its documents are read.
#[derive(Debug, Clone)]
pub struct SystemSource {
    /// The system directory relative to the scan root (`.` for the root itself).
    pub id: String,
    /// The card, relative to the scan root.
    pub card: String,
    /// ML files whose nearest system this is.
    pub ml_files: Vec<String>,
}

#[derive(Debug)]
pub struct Discovery {
    /// The scan root, canonical.
    pub root: PathBuf,
    pub systems: Vec<SystemSource>,
    /// ML files with no card in their directory or any parent below the root,
    /// or in a directory that is a system of its own without a card.
    pub unowned_ml_files: Vec<String>,
    /// Directories that hold model weights and training code but no card,
    /// below a system whose card would otherwise cover them: each is a
    /// system of its own. Directory to the covering system's card.
    pub uncarded: BTreeMap<String, String>,
    /// Cards and ML code that git tracks but a hidden or vendored directory
    /// kept from the walk, one entry per directory holding them.
    pub skipped: Vec<Skipped>,
}

/// Tracked cards and ML code in one directory that discovery did not check
/// because a hidden or vendored directory holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The directory holding the files.
    pub dir: String,
    /// The hidden or vendored directory that hid them (`third_party`, `.exp`).
    pub hidden_by: String,
    /// The cards and ML files, sorted.
    pub files: Vec<String>,
}

/// What a walk of the working tree adds to what its ignore files let through.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub deadline: Option<std::time::Instant>,
    /// Files git tracks (root-relative): discovered whatever an ignore file,
    /// a hidden or a vendored directory would hide (`check --base`).
    pub tracked: Vec<String>,
}

pub fn discover(tree: &Tree, config: &Config) -> Result<Discovery> {
    discover_until(tree, config, &Walk::default())
}

/// [`discover`], stopping with a tool error past `walk.deadline` or
/// `[limits] max_files` files walked. A commit's tree is listed, not walked:
/// every file it holds is a candidate, only `[discovery] exclude` hides one.
pub fn discover_until(tree: &Tree, config: &Config, walk: &Walk) -> Result<Discovery> {
    let globs = Globs::new(config)?;
    let (found, skipped) = match tree {
        Tree::Git(git) => {
            let files = git.files();
            if files.len() > config.limits.max_files {
                return Err(too_many_files(tree.root(), config));
            }
            let found = files
                .iter()
                .filter_map(|rel| classify(tree, rel, false, &globs))
                .collect();
            (found, Vec::new())
        }
        Tree::Work(_) => walk_work_tree(tree, config, walk, &globs)?,
    };
    let mut discovery = assemble(tree.root(), config, &globs, found)?;
    discovery.skipped = skipped;
    Ok(discovery)
}

/// The card globs `config` discovers (defaults and its own).
pub fn card_globs(config: &Config) -> Result<GlobSet> {
    glob_list(DEFAULT_CARDS, &config.discovery.cards, "discovery.cards")
}

struct Globs {
    cards: GlobSet,
    ml_code: GlobSet,
    /// The configuration's own `ml_code` globs (they win over [`NOT_TRAINING_SCRIPTS`]).
    own_ml_code: GlobSet,
    not_training: GlobSet,
    weights: GlobSet,
    training_code: GlobSet,
    exclude: GlobSet,
    include: GlobSet,
}

impl Globs {
    fn new(config: &Config) -> Result<Globs> {
        Ok(Globs {
            cards: glob_list(DEFAULT_CARDS, &config.discovery.cards, "discovery.cards")?,
            ml_code: glob_list(
                DEFAULT_ML_CODE,
                &config.discovery.ml_code,
                "discovery.ml_code",
            )?,
            own_ml_code: glob_set(&config.discovery.ml_code, "discovery.ml_code")?,
            not_training: glob_list(NOT_TRAINING_SCRIPTS, &[], "framework modules")?,
            weights: glob_list(WEIGHTS, &[], "weights")?,
            training_code: glob_list(TRAINING_CODE, &[], "training code")?,
            exclude: glob_set(&config.discovery.exclude, "discovery.exclude")?,
            include: glob_set(&config.discovery.include, "discovery.include")?,
        })
    }
}

fn too_many_files(root: &Path, config: &Config) -> Error {
    Error::Usage(format!(
        "{} holds more than {} files ([limits] max_files); exclude generated \
         directories with [discovery] exclude or raise the limit",
        root.display(),
        config.limits.max_files
    ))
}

/// Whether the walk passes over an entry: hidden files and directories
/// (`.name`) and vendored directories, below the root. `Some(true)` for a
/// directory whose tracked files must still be accounted for.
fn passed_over(entry: &ignore::DirEntry) -> Option<bool> {
    if entry.depth() == 0 {
        return None;
    }
    let name = entry.file_name().to_str()?;
    let dir = entry.file_type().is_some_and(|t| t.is_dir());
    if name.starts_with('.') {
        // git's own directory holds no files of the repository, and
        // Jupyter's checkpoints are copies of notebooks found elsewhere.
        return Some(dir && name != ".git" && name != ".ipynb_checkpoints");
    }
    (dir && VENDORED.contains(&name)).then_some(true)
}

fn walk_work_tree(
    tree: &Tree,
    config: &Config,
    walk: &Walk,
    globs: &Globs,
) -> Result<(Vec<Found>, Vec<Skipped>)> {
    let root = tree.root();
    let hiding: Arc<Mutex<Vec<String>>> = Arc::default();
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .hidden(false)
        .filter_entry({
            let (hiding, root) = (Arc::clone(&hiding), root.to_path_buf());
            move |entry| match passed_over(entry) {
                None => true,
                Some(record) => {
                    if record {
                        if let (Some(rel), Ok(mut dirs)) =
                            (relative(&root, entry.path()), hiding.lock())
                        {
                            dirs.push(rel);
                        }
                    }
                    false
                }
            }
        })
        .build_parallel();

    // Walked on every core: each thread classifies its entries and sends
    // what it found; the first limit hit stops every thread.
    let walked = AtomicUsize::new(0);
    let stopped: Mutex<Option<Error>> = Mutex::new(None);
    let (found_tx, found_rx) = std::sync::mpsc::channel::<Found>();
    let deadline = walk.deadline;
    walker.run(|| {
        let found_tx = found_tx.clone();
        let (walked, stopped) = (&walked, &stopped);
        Box::new(move |entry| {
            let n = walked.fetch_add(1, Ordering::Relaxed) + 1;
            let limit = if n > config.limits.max_files {
                Some(too_many_files(root, config))
            } else if n % 1024 == 0 && deadline.is_some_and(|d| std::time::Instant::now() > d) {
                Some(config.limits.run_timeout_error())
            } else {
                None
            };
            if let Some(error) = limit {
                if let Ok(mut first) = stopped.lock() {
                    first.get_or_insert(error);
                }
                return ignore::WalkState::Quit;
            }
            // An unreadable directory is skipped like ripgrep does; the rest of the scan goes on.
            if let Ok(entry) = entry {
                let file_type = entry.file_type();
                let rel = relative(root, entry.path());
                if let (Some(file_type), Some(rel)) = (file_type, rel) {
                    if !file_type.is_dir() {
                        if let Some(found) = classify(tree, &rel, file_type.is_symlink(), globs) {
                            let _ = found_tx.send(found);
                        }
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    drop(found_tx);
    if let Some(error) = stopped.into_inner().ok().flatten() {
        return Err(error);
    }
    let mut found: Vec<Found> = found_rx.into_iter().collect();
    let mut skipped = Vec::new();
    if !walk.tracked.is_empty() {
        let seen: BTreeSet<&str> = found.iter().map(Found::rel).collect();
        let extra: Vec<Found> = walk
            .tracked
            .iter()
            .filter(|rel| !seen.contains(rel.as_str()))
            // Not seen by the walk: check it like a symlink, in full.
            .filter_map(|rel| classify(tree, rel, true, globs))
            .collect();
        found.extend(extra);
    } else {
        let hiding = hiding.lock().map(|d| d.clone()).unwrap_or_default();
        let (own, hidden) = tracked_but_hidden(tree, &hiding, globs);
        found.extend(own);
        skipped = hidden;
    }
    Ok((found, skipped))
}

/// The cards and ML code git tracks under the hidden or vendored
/// directories the walk passed over: those `[discovery] include` names are
/// the repository's own and discovered; the rest are skipped, but said to be.
/// Outside a git work tree nothing is tracked, and nothing is said.
fn tracked_but_hidden(tree: &Tree, hiding: &[String], globs: &Globs) -> (Vec<Found>, Vec<Skipped>) {
    if hiding.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let hiding: BTreeSet<&str> = hiding.iter().map(String::as_str).collect();
    // Only the directories passed over are listed; past a few hundred the
    // command line would grow long, and the whole index is as quick.
    let dirs: Vec<&str> = if hiding.len() <= 256 {
        hiding.iter().copied().collect()
    } else {
        Vec::new()
    };
    let Ok(tracked) = changes::tracked_in(tree.root(), &dirs) else {
        return (Vec::new(), Vec::new());
    };
    let mut own = Vec::new();
    let mut by_dir: BTreeMap<String, Skipped> = BTreeMap::new();
    for rel in &tracked {
        let Some(hidden_by) = outermost_ancestor(rel, &hiding) else {
            continue;
        };
        let Some(found) = classify(tree, rel, true, globs) else {
            continue;
        };
        if matches!(found, Found::Companion(_)) {
            continue;
        }
        if globs.include.is_match(rel) {
            own.push(found);
            continue;
        }
        let dir = parent_dir(rel);
        by_dir
            .entry(dir.clone())
            .or_insert_with(|| Skipped {
                dir,
                hidden_by: hidden_by.to_string(),
                files: Vec::new(),
            })
            .files
            .push(rel.clone());
    }
    (own, by_dir.into_values().collect())
}

/// The outermost directory of `dirs` that holds `file`.
fn outermost_ancestor<'a>(file: &str, dirs: &BTreeSet<&'a str>) -> Option<&'a str> {
    file.match_indices('/')
        .map(|(i, _)| &file[..i])
        .find_map(|dir| dirs.get(dir).copied())
}

/// Systems and ML files from every file classified.
fn assemble(root: &Path, config: &Config, globs: &Globs, found: Vec<Found>) -> Result<Discovery> {
    let root = root.to_path_buf();
    // Per directory, the best card (lowest glob index, then name: the same
    // whatever order the threads found them in).
    let mut best_card: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut ml_files: Vec<String> = Vec::new();
    let mut companions: Vec<String> = Vec::new();
    for found in found {
        match found {
            Found::Card { index, rel } => {
                let dir = parent_dir(&rel);
                let better = best_card
                    .get(&dir)
                    .is_none_or(|(i, r)| (index, &rel) < (*i, r));
                if better {
                    best_card.insert(dir, (index, rel));
                }
            }
            Found::MlCode(rel) => ml_files.push(rel),
            Found::Companion(rel) => companions.push(rel),
        }
    }

    let mut systems: BTreeMap<String, SystemSource> = best_card
        .into_iter()
        .map(|(dir, (_, card))| {
            (
                dir.clone(),
                SystemSource {
                    id: dir,
                    card,
                    ml_files: Vec::new(),
                },
            )
        })
        .collect();

    for declared in &config.systems {
        let dir = config.root_relative(&root, &declared.path)?;
        let card = config.root_relative(&root, &declared.card)?;
        systems.insert(
            dir.clone(),
            SystemSource {
                id: dir,
                card,
                ml_files: Vec::new(),
            },
        );
    }

    let dirs_of = |set: &GlobSet| -> BTreeSet<String> {
        ml_files
            .iter()
            .chain(&companions)
            .filter(|f| set.is_match(f.as_str()))
            .map(|f| parent_dir(f))
            .collect()
    };
    let trained_in = dirs_of(&globs.training_code);
    let weighted_in = dirs_of(&globs.weights);
    // A `*.bin` or a fine-tuning script is ML code only beside weights and
    // the code that trained them.
    ml_files.extend(companions.into_iter().filter(|f| {
        let dir = parent_dir(f);
        trained_in.contains(&dir) && weighted_in.contains(&dir)
    }));
    ml_files.sort();
    ml_files.dedup();
    // Weights and the code that trained them, with no card beside them, are
    // a model of their own: a card further up, perhaps for another model,
    // does not cover them (renaming a card away must not fold its system
    // into a neighbour's).
    let mut uncarded: BTreeMap<String, String> = BTreeMap::new();
    for dir in trained_in.intersection(&weighted_in) {
        if systems.contains_key(dir) {
            continue;
        }
        if let Some(parent) = owner_of(&format!("{dir}/-"), &systems) {
            if let Some(system) = systems.get(&parent) {
                uncarded.insert(dir.clone(), system.card.clone());
            }
        }
    }

    let mut unowned = Vec::new();
    for file in ml_files {
        match owner_of(&file, &systems) {
            Some(dir)
                if !uncarded
                    .keys()
                    .any(|u| is_within(&file, u) && is_within(u, &dir)) =>
            {
                if let Some(system) = systems.get_mut(&dir) {
                    system.ml_files.push(file);
                }
            }
            _ => unowned.push(file),
        }
    }

    if systems.len() > config.limits.max_systems {
        return Err(Error::Usage(format!(
            "{} holds {} AI systems, more than [limits] max_systems = {}; \
             scan a part of it or raise the limit",
            root.display(),
            systems.len(),
            config.limits.max_systems
        )));
    }

    Ok(Discovery {
        root,
        systems: systems.into_values().collect(),
        unowned_ml_files: unowned,
        uncarded,
        skipped: Vec::new(),
    })
}

/// `path` is `dir` or below it (`.` holds everything).
fn is_within(path: &str, dir: &str) -> bool {
    dir == "."
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

enum Found {
    /// A file matching the card glob at `index` of the card globs.
    Card {
        index: usize,
        rel: String,
    },
    MlCode(String),
    /// ML code only beside other ML code: a `*.bin` file (weights, if the
    /// code that trained them is beside it) or a fine-tuning script.
    Companion(String),
}

impl Found {
    fn rel(&self) -> &str {
        match self {
            Found::Card { rel, .. } | Found::MlCode(rel) | Found::Companion(rel) => rel,
        }
    }
}

/// What a file is for discovery: a card, ML code, or nothing. `check_path`:
/// the file was not reached by a walk that never follows symlinks (it is a
/// symlink, or named by git), so it must prove to be a regular file inside
/// the root first.
fn classify(tree: &Tree, rel: &str, check_path: bool, globs: &Globs) -> Option<Found> {
    if globs.exclude.is_match(rel) {
        return None;
    }
    let card = globs.cards.matches(rel).iter().min().copied();
    let framework = globs.not_training.is_match(rel);
    let ml = (globs.ml_code.is_match(rel) && !framework) || globs.own_ml_code.is_match(rel);
    let companion =
        !ml && !framework && (rel.ends_with(".bin") || globs.training_code.is_match(rel));
    if card.is_none() && !ml && !companion {
        return None;
    }
    if check_path && !tree.is_file(rel) {
        return None;
    }
    if let Some(index) = card {
        let name = file_name(rel);
        let accept = if name == "README.md" {
            sniff::is_model_readme(tree, rel)
        } else if name.ends_with(".cdx.json") || name == "bom.json" {
            sniff::is_ml_bom(tree, rel)
        } else {
            true
        };
        if accept {
            return Some(Found::Card {
                index,
                rel: rel.to_string(),
            });
        }
    }
    if companion {
        return Some(Found::Companion(rel.to_string()));
    }
    ml.then(|| Found::MlCode(rel.to_string()))
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

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn glob_list(defaults: &[&str], extra: &[String], what: &str) -> Result<GlobSet> {
    let all: Vec<String> = defaults
        .iter()
        .map(|s| s.to_string())
        .chain(extra.iter().cloned())
        .collect();
    glob_set(&all, what)
}

fn glob_set(patterns: &[String], what: &str) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob =
            Glob::new(p).map_err(|e| Error::Usage(format!("{what}: bad glob {p:?}: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Error::Usage(format!("{what}: {e}")))
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
