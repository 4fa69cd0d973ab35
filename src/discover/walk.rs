//! Walking a working tree (in parallel, honouring ignore files) or listing
//! a commit, and looking at each file once: is it a card, what does its
//! code show, is it an artifact, does it mark a package or a project.

use super::evidence::{self, FileEvidence, Table};
use super::zones::{self, Zone};
use super::{cards, Skipped};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::glob::PathGlobs;
use crate::tree::{parent_dir, relative, Tree};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Files that say something about the directory holding them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Marker {
    /// `__init__.py`: a Python package.
    Package,
    /// A licence of its own: with a manifest, another project's copy.
    Licence,
    /// A dependency manifest: a project.
    Manifest,
    /// `config.json`: with weights beside it, a Hugging Face model directory.
    HfConfig,
}

/// What discovery learned of one file.
#[derive(Debug, Clone, Default)]
pub struct Looked {
    pub rel: String,
    pub card: bool,
    pub evidence: Option<FileEvidence>,
    /// An artifact: what it is, and whether it counts alone (weights by an
    /// unambiguous extension) or only beside other evidence (`.bin`, `.pkl`).
    pub artifact: Option<(String, bool)>,
    pub marker: Option<Marker>,
    /// The quiet zone the file lies in (examples, tests, docs, benchmarks),
    /// and whether it may be ML code; such files are not parsed.
    pub quiet: Option<(String, Zone)>,
    pub quiet_ml: bool,
    /// For a dependency manifest: the name it gives its project.
    pub project_name: Option<String>,
    /// Source that may hold evidence, to be parsed once the layout of the
    /// repository is known (a framework's library code need not be).
    pub pending: Option<Pending>,
    /// The source names a library of the table that is not general-purpose.
    pub likely_ml: bool,
    /// Named as ML code by `[discovery] ml_code`.
    pub declared: bool,
    /// Named by `[discovery] include`: the repository's own, wherever it lies.
    pub included: bool,
}

/// Source waiting to be parsed, with its bytes.
#[derive(Debug, Clone)]
pub struct Pending {
    pub kind: evidence::Source,
    pub bytes: Vec<u8>,
}

/// What a walk needs to look at files.
pub struct Eyes<'a> {
    pub tree: &'a Tree,
    pub cards: &'a PathGlobs,
    pub exclude: &'a PathGlobs,
    pub include: &'a PathGlobs,
    pub ml_code: &'a PathGlobs,
    pub table: &'a Table,
    pub max_bytes: u64,
    /// The directory the run was started in, when below the root: what is
    /// in it is the user's to check, so its own path makes no quiet zone.
    pub below: Option<&'a str>,
}

impl Eyes<'_> {
    /// Looks at the root-relative file `rel`. `check_path`: the file was
    /// not reached by a walk that never follows symlinks (it is a symlink,
    /// or named by git), so it must prove to be a regular file inside the
    /// root first.
    pub fn look(&self, rel: &str, check_path: bool) -> Option<Looked> {
        if self.exclude.is_match(rel) {
            return None;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let included = self.include.is_match(rel);
        let quiet = match self.below {
            _ if included => None,
            Some(below) if rel.starts_with(below) && rel[below.len()..].starts_with('/') => {
                zones::quiet_zone(&rel[below.len() + 1..]).map(|(dir, zone)| {
                    let dir = if dir == "." {
                        below.to_string()
                    } else {
                        crate::tree::join(below, &dir)
                    };
                    (dir, zone)
                })
            }
            _ => zones::quiet_zone(rel),
        };
        let card_named = self.cards.is_match(rel);
        let marker = if name == "__init__.py" {
            Some(Marker::Package)
        } else if zones::is_licence(name) {
            Some(Marker::Licence)
        } else if name.eq_ignore_ascii_case("config.json") {
            Some(Marker::HfConfig)
        } else {
            None
        };
        let source = evidence::source_kind(name);
        let marker = marker.or(match source {
            Some(evidence::Source::Manifest(_)) => Some(Marker::Manifest),
            _ => None,
        });
        let artifact = evidence::artifact(name, false)
            .map(|a| (a, true))
            .or_else(|| evidence::weak_artifact(name).map(|a| (a, false)));
        let declared = self.ml_code.is_match(rel);
        if !card_named && marker.is_none() && artifact.is_none() && source.is_none() && !declared {
            return None;
        }
        if check_path && !self.tree.is_file(rel) {
            return None;
        }
        let card = card_named && cards::is_card(self.tree, rel);
        let mut looked = Looked {
            rel: rel.to_string(),
            card,
            artifact,
            marker,
            ..Looked::default()
        };
        if let Some(zone) = quiet {
            looked.quiet_ml = card
                || looked.artifact.as_ref().is_some_and(|(_, strong)| *strong)
                || declared
                || matches!(source, Some(s) if !matches!(s, evidence::Source::Manifest(_)))
                    && self
                        .tree
                        .read_bytes(rel, self.max_bytes)
                        .is_ok_and(|b| self.table.likely_ml(&b));
            looked.quiet = Some(zone);
            looked.marker = None;
            return Some(looked);
        }
        if let Some(kind) = source {
            match self.tree.read_bytes(rel, self.max_bytes) {
                Ok(bytes) => {
                    if let evidence::Source::Manifest(m) = kind {
                        looked.project_name = evidence::manifest::project_name(m, &bytes);
                        looked.evidence = evidence::scan_bytes(
                            rel,
                            kind,
                            &bytes,
                            self.table,
                            evidence::PARSE_BUDGET,
                        );
                    } else if !evidence::is_binary(&bytes) && self.table.may_hold_evidence(&bytes) {
                        looked.likely_ml = self.table.likely_ml(&bytes);
                        looked.pending = Some(Pending { kind, bytes });
                    }
                }
                Err(why) => {
                    let why = match why {
                        crate::tree::ReadError::TooBig { len, max } => {
                            evidence::Unread::TooBig { len, max }
                        }
                        // A name that is not UTF-8 was read back from a lossy copy.
                        _ if rel.contains('\u{FFFD}') => {
                            evidence::Unread::Read("its name is not valid UTF-8".into())
                        }
                        other => evidence::Unread::Read(other.to_string()),
                    };
                    looked.evidence = Some(FileEvidence {
                        file: rel.to_string(),
                        unread: Some(why.to_string()),
                        ..FileEvidence::default()
                    });
                }
            }
        }
        looked.declared = declared;
        looked.included = included;
        if !looked.card
            && looked.evidence.is_none()
            && looked.pending.is_none()
            && !looked.declared
            && looked.artifact.is_none()
            && looked.marker.is_none()
        {
            return None;
        }
        Some(looked)
    }
}

/// What a walk of the working tree adds to what its ignore files let through.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub deadline: Option<std::time::Instant>,
    /// Files git tracks (root-relative): discovered whatever an ignore file,
    /// a hidden or a vendored directory would hide (`check --base`).
    pub tracked: Vec<String>,
    /// The directory below the root the run was started in.
    pub below: Option<String>,
}

fn too_many_files(root: &Path, config: &Config) -> Error {
    Error::Usage(format!(
        "{} holds more than {} files ([limits] max_files); exclude generated \
         directories with [discovery] exclude or raise the limit",
        root.display(),
        config.limits.max_files
    ))
}

/// Every file a commit holds, looked at on every core.
pub fn list_commit(eyes: &Eyes<'_>, config: &Config, files: &[String]) -> Result<Vec<Looked>> {
    if files.len() > config.limits.max_files {
        return Err(too_many_files(eyes.tree.root(), config));
    }
    Ok(files
        .par_iter()
        .filter_map(|rel| eyes.look(rel, false))
        .collect())
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
    (dir && zones::VENDORED.contains(&name)).then_some(true)
}

/// The working tree, walked on every core; and the directories below the
/// root that hold a `.git` of their own (submodules, nested clones).
pub fn walk_work_tree(
    eyes: &Eyes<'_>,
    config: &Config,
    walk: &Walk,
) -> Result<(Vec<Looked>, Vec<Skipped>, BTreeSet<String>)> {
    let tree = eyes.tree;
    let root = tree.root();
    let hiding: Arc<Mutex<Vec<String>>> = Arc::default();
    let nested_git: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .hidden(false)
        .filter_entry({
            let (hiding, nested_git, root) = (
                Arc::clone(&hiding),
                Arc::clone(&nested_git),
                root.to_path_buf(),
            );
            move |entry| {
                if entry.depth() > 1 && entry.file_name() == ".git" {
                    if let (Some(rel), Ok(mut dirs)) =
                        (relative(&root, entry.path()), nested_git.lock())
                    {
                        dirs.insert(parent_dir(&rel));
                    }
                }
                match passed_over(entry) {
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
            }
        })
        .build_parallel();

    // Walked on every core: each thread looks at its entries and sends what
    // it found; the first limit hit stops every thread.
    let walked = AtomicUsize::new(0);
    let stopped: Mutex<Option<Error>> = Mutex::new(None);
    let (found_tx, found_rx) = std::sync::mpsc::channel::<Looked>();
    let deadline = walk.deadline;
    walker.run(|| {
        let found_tx = found_tx.clone();
        let (walked, stopped) = (&walked, &stopped);
        Box::new(move |entry| {
            let n = walked.fetch_add(1, Ordering::Relaxed) + 1;
            let limit = if n > config.limits.max_files {
                Some(too_many_files(root, config))
            } else if n % 256 == 0 && deadline.is_some_and(|d| std::time::Instant::now() > d) {
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
                        if let Some(found) = eyes.look(&rel, file_type.is_symlink()) {
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
    let mut found: Vec<Looked> = found_rx.into_iter().collect();
    let mut skipped = Vec::new();
    if !walk.tracked.is_empty() {
        let seen: BTreeSet<&str> = found.iter().map(|l| l.rel.as_str()).collect();
        let missing: Vec<&String> = walk
            .tracked
            .iter()
            .filter(|rel| !seen.contains(rel.as_str()))
            .collect();
        // Not seen by the walk: looked at like a symlink, in full.
        let extra: Vec<Looked> = missing
            .par_iter()
            .filter_map(|rel| eyes.look(rel, true))
            .collect();
        found.extend(extra);
    } else {
        let hiding = hiding.lock().map(|d| d.clone()).unwrap_or_default();
        let (own, hidden) = tracked_but_hidden(eyes, &hiding);
        found.extend(own);
        skipped = hidden;
    }
    let nested = nested_git.lock().map(|d| d.clone()).unwrap_or_default();
    Ok((found, skipped, nested))
}

/// The cards and ML code git tracks under the hidden or vendored
/// directories the walk passed over: those `[discovery] include` names are
/// the repository's own and discovered; the rest are skipped, but said to be.
/// Outside a git work tree nothing is tracked, and nothing is said.
fn tracked_but_hidden(eyes: &Eyes<'_>, hiding: &[String]) -> (Vec<Looked>, Vec<Skipped>) {
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
    let Ok(tracked) = super::changes::tracked_in(eyes.tree.root(), &dirs) else {
        return (Vec::new(), Vec::new());
    };
    let mut own = Vec::new();
    let mut by_dir: BTreeMap<String, Skipped> = BTreeMap::new();
    for rel in &tracked {
        let Some(hidden_by) = outermost_ancestor(rel, &hiding) else {
            continue;
        };
        let Some(looked) = eyes.look(rel, true) else {
            continue;
        };
        if eyes.include.is_match(rel) {
            own.push(looked);
            continue;
        }
        let ml = looked.card
            || looked.quiet_ml
            || looked.likely_ml
            || looked.declared
            || looked.artifact.as_ref().is_some_and(|(_, strong)| *strong)
            || looked
                .evidence
                .as_ref()
                .is_some_and(FileEvidence::is_strong);
        if !ml {
            continue;
        }
        let zone = if hidden_by
            .rsplit('/')
            .next()
            .is_some_and(|n| n.starts_with('.'))
        {
            Zone::Hidden
        } else {
            Zone::Vendored
        };
        let dir = parent_dir(rel);
        by_dir
            .entry(dir.clone())
            .or_insert_with(|| Skipped {
                dir,
                hidden_by: hidden_by.to_string(),
                zone,
                files: Vec::new(),
                detail: None,
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
