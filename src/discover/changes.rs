//! The files a change touched, from git, for scoping a run to the systems it
//! affects and for telling what a change did to governance files.

use crate::error::{Error, Result};
use crate::tree::git::{git, git_bytes};
use std::collections::BTreeSet;
use std::path::Path;

/// What a change did to one file, relative to the scan root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub status: Status,
    pub path: String,
    /// For a rename, the path at the base revision.
    pub from: Option<String>,
    /// Not tracked by git: made in the checkout (by an earlier step, a
    /// tool's cache), not part of any commit.
    pub untracked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Added,
    Modified,
    Deleted,
    Renamed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Modified => "modified",
            Status::Deleted => "deleted",
            Status::Renamed => "renamed",
        }
    }
}

/// Files that differ between `base` and the working tree (committed, staged,
/// unstaged and untracked), relative to `root`; a rename names both paths.
pub fn changed_since(root: &Path, base: &str) -> Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    for change in diff(root, base)? {
        files.extend(change.from);
        files.insert(change.path);
    }
    Ok(files)
}

/// Every change between `base` and the working tree, renames detected.
pub fn diff(root: &Path, base: &str) -> Result<Vec<Change>> {
    if base.starts_with('-') {
        return Err(Error::Usage(format!("{base:?} is not a git revision")));
    }
    // Outside a work tree `git diff` prints its whole usage text; this says why in one line.
    git(root, &["rev-parse", "--is-inside-work-tree"])?;
    // Both commands print paths relative to `root` (`--relative` for diff, the
    // working directory for ls-files), so a scan root below the top of the work tree works.
    let listing = git_bytes(
        root,
        &[
            "diff",
            "--name-status",
            "-M",
            "--relative",
            "-z",
            base,
            "--",
        ],
    )?;
    let mut changes = Vec::new();
    let mut fields = listing
        .split(|b| *b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    while let Some(code) = fields.next() {
        if code.is_empty() {
            continue;
        }
        let Some(path) = fields.next() else { break };
        let change = match code.chars().next() {
            Some('A') => Change {
                status: Status::Added,
                path,
                from: None,
                untracked: false,
            },
            Some('D') => Change {
                status: Status::Deleted,
                path,
                from: None,
                untracked: false,
            },
            Some('R') | Some('C') => {
                let Some(to) = fields.next() else { break };
                let copied = code.starts_with('C');
                Change {
                    status: if copied {
                        Status::Added
                    } else {
                        Status::Renamed
                    },
                    path: to,
                    from: (!copied).then_some(path),
                    untracked: false,
                }
            }
            _ => Change {
                status: Status::Modified,
                path,
                from: None,
                untracked: false,
            },
        };
        changes.push(change);
    }
    let untracked = git(root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    for name in untracked.split('\0').filter(|n| !n.is_empty()) {
        changes.push(Change {
            status: Status::Added,
            path: name.to_string(),
            from: None,
            untracked: true,
        });
    }
    Ok(changes)
}

/// Files git tracks below `root` (the index), relative to it.
pub fn tracked(root: &Path) -> Result<Vec<String>> {
    tracked_in(root, &[])
}

/// Files git tracks in the directories `dirs` below `root` (all of them
/// when `dirs` is empty), relative to `root`.
pub fn tracked_in(root: &Path, dirs: &[&str]) -> Result<Vec<String>> {
    // Literal pathspecs: a directory named `*` or `:(glob)x` is a name.
    let specs: Vec<String> = dirs.iter().map(|d| format!(":(literal){d}")).collect();
    let mut args = vec!["ls-files", "--cached", "-z"];
    if !specs.is_empty() {
        args.push("--");
        args.extend(specs.iter().map(String::as_str));
    }
    let listing = git(root, &args)?;
    let mut files: Vec<String> = listing
        .split('\0')
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}
