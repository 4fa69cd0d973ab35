//! The one way into repository files. Every read of a file the repository
//! holds (cards, sidecars, linked documents, configuration, policies) goes
//! through a [`Tree`]: the working tree on disk, or a commit read from git's
//! object store (`check --base REF`). Either way a path is relative to the
//! scan root, may not climb above it, may not leave it through a symlink,
//! and must name a regular file: a FIFO, a device or a directory is reported,
//! never opened.

pub mod git;
mod paths;
mod work;

pub use paths::{join, lexical, normalize, parent_dir, relative, stays_inside};

use crate::load::format::{Limits, ParseError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a run reads repository files from.
#[derive(Debug, Clone)]
pub enum Tree {
    /// The files on disk below a scan root.
    Work(Arc<work::WorkTree>),
    /// The files of a commit, below the same scan root.
    Git(Arc<git::GitTree>),
}

impl Tree {
    /// The working tree below `root` (made canonical).
    pub fn work(root: &Path) -> crate::error::Result<Tree> {
        Ok(Tree::Work(Arc::new(work::WorkTree::new(root)?)))
    }

    /// The scan root on disk, canonical (for a commit: the working tree's root it mirrors).
    pub fn root(&self) -> &Path {
        match self {
            Tree::Work(w) => w.root(),
            Tree::Git(g) => g.root(),
        }
    }

    /// `rel` as UTF-8 text, within `limits.max_file_bytes`, BOM removed.
    pub fn read_text(&self, rel: &str, limits: &Limits) -> Result<String, ParseError> {
        let bytes = match self {
            Tree::Work(w) => w.read(rel, limits.max_file_bytes),
            Tree::Git(g) => g.read(rel, limits.max_file_bytes),
        }
        .map_err(|e| ParseError::at_start(e.to_string()))?;
        crate::load::text::decode(bytes)
    }

    /// The whole of `rel`, at most `max` bytes, as it is (source code is
    /// parsed as bytes).
    pub fn read_bytes(&self, rel: &str, max: u64) -> Result<Vec<u8>, ReadError> {
        match self {
            Tree::Work(w) => w.read(rel, max),
            Tree::Git(g) => g.read(rel, max),
        }
    }

    /// At most `max` bytes from the start of `rel`, for content sniffing;
    /// `None` when it is not a readable regular file inside the root.
    pub fn head(&self, rel: &str, max: u64) -> Option<Vec<u8>> {
        match self {
            Tree::Work(w) => w.head(rel, max).ok(),
            Tree::Git(g) => g.read(rel, u64::MAX).ok().map(|mut b| {
                b.truncate(usize::try_from(max).unwrap_or(usize::MAX));
                b
            }),
        }
    }

    /// What is at `rel`: `Ok(true)` a regular file inside the root,
    /// `Ok(false)` nothing, `Err` something there that must not be read
    /// (a symlink out, a FIFO, a directory), and why.
    pub fn probe(&self, rel: &str) -> Result<bool, ReadError> {
        let found = match self {
            Tree::Work(w) => w.locate(rel).map(|(_, kind)| kind),
            Tree::Git(g) => g.locate(rel),
        };
        match found {
            Ok(Kind::File) => Ok(true),
            Ok(_) => Err(ReadError::NotFile),
            Err(ReadError::Missing) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Whether `rel` is a regular file inside the root.
    pub fn is_file(&self, rel: &str) -> bool {
        matches!(self.probe(rel), Ok(true))
    }

    /// `target`, written in a file of directory `from_dir` (root-relative),
    /// as a root-relative path to a regular file inside the root; else why not,
    /// in words for a finding.
    pub fn resolve(&self, from_dir: &str, target: &str) -> Result<String, String> {
        let rel = paths::lexical(from_dir, target)?;
        let kind = match self {
            Tree::Work(w) => w.locate(&rel).map(|(_, kind)| kind),
            Tree::Git(g) => g.kind(&rel).ok_or(ReadError::Missing),
        };
        match kind {
            Ok(Kind::File) => Ok(rel),
            Ok(_) => Err(format!("{target:?} is not a file")),
            Err(ReadError::Missing) => Err(format!("{target:?} does not exist")),
            Err(ReadError::Outside) => Err(format!(
                "{target:?} leaves the repository through a symlink"
            )),
            Err(other) => Err(format!("{target:?}: {other}")),
        }
    }

    /// The regular files at or below the root-relative `rel` whose name ends
    /// with `suffix`, sorted (`rel` itself when it is such a file). Hidden
    /// files and directories are left out, as ignore files say for a working tree.
    pub fn files_under(&self, rel: &str, suffix: &str) -> Result<Vec<String>, ReadError> {
        let rel = if rel == "." || rel.is_empty() {
            ".".to_string()
        } else {
            lexical(".", rel).map_err(|_| ReadError::Climbs)?
        };
        let kind = match self {
            Tree::Work(w) if rel == "." => Ok(Kind::Dir),
            Tree::Work(w) => w.locate(&rel).map(|(_, kind)| kind),
            Tree::Git(_) if rel == "." => Ok(Kind::Dir),
            Tree::Git(g) => g.kind(&rel).ok_or(ReadError::Missing),
        }?;
        match kind {
            Kind::File => return Ok(vec![rel]),
            Kind::Other => return Err(ReadError::NotFile),
            Kind::Dir => {}
        }
        let hidden = |path: &str| path.split('/').any(|p| p.starts_with('.') && p != ".");
        let mut files: Vec<String> = match self {
            Tree::Git(g) => g
                .files()
                .into_iter()
                .filter(|f| rel == "." || f.strip_prefix(&rel).is_some_and(|r| r.starts_with('/')))
                .filter(|f| f.ends_with(suffix) && !hidden(f))
                .collect(),
            Tree::Work(w) => {
                let (dir, _) = if rel == "." {
                    (w.root().to_path_buf(), Kind::Dir)
                } else {
                    w.locate(&rel)?
                };
                let mut out = Vec::new();
                for entry in ignore::WalkBuilder::new(&dir)
                    .hidden(true)
                    .follow_links(false)
                    .build()
                {
                    let entry = entry.map_err(|e| ReadError::Io(e.to_string()))?;
                    if !entry.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let Some(below) = relative(&dir, entry.path()) else {
                        continue;
                    };
                    let file = if rel == "." {
                        below
                    } else {
                        join(&rel, &below)
                    };
                    if file.ends_with(suffix) {
                        out.push(file);
                    }
                }
                out
            }
        };
        files.sort();
        Ok(files)
    }

    /// The commit this tree reads, for a commit.
    pub fn commit(&self) -> Option<&str> {
        match self {
            Tree::Work(_) => None,
            Tree::Git(g) => Some(g.commit()),
        }
    }
}

/// What a path names, once every symlink on it is resolved inside the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    /// A FIFO, socket, device or git submodule: never read.
    Other,
}

/// Why a repository file was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the path leaves the repository")]
    Climbs,
    #[error("the path is absolute; write it relative to the repository")]
    Absolute,
    #[error("does not exist")]
    Missing,
    #[error("leaves the repository through a symlink")]
    Outside,
    #[error("not a regular file")]
    NotFile,
    #[error("file is {len} bytes, over the {max}-byte limit")]
    TooBig { len: u64, max: u64 },
    #[error("file is over the {0}-byte limit")]
    Grew(u64),
    #[error("cannot read: {0}")]
    Io(String),
}

/// A file the tree read, for messages naming where it came from.
pub fn describe(tree: &Tree, rel: &str) -> String {
    match tree.commit() {
        Some(commit) => format!("{rel} at {}", short(commit)),
        None => rel.to_string(),
    }
}

/// The first 12 hex digits of a commit id, as messages show it.
pub fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// A path given on the command line (or resolved from a config file's
/// directory) as root-relative, when it lies inside `root`.
pub fn inside(root: &Path, path: &Path) -> Option<String> {
    let absolute: PathBuf = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let normal = normalize(&absolute);
    // Symlinks on the way to the root itself (a /tmp that is a link) resolve
    // the same for both, so compare the canonical parent when it exists.
    let real = normal.canonicalize().unwrap_or(normal);
    relative(root, &real)
}
