//! The files a change touched, from git, for scoping a run to the systems it affects.

use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Files that differ between `base` and the working tree (committed, staged,
/// unstaged and untracked), relative to `root`.
pub fn changed_since(root: &Path, base: &str) -> Result<BTreeSet<String>> {
    if base.starts_with('-') {
        return Err(Error::Usage(format!(
            "--changed-since: {base:?} is not a git revision"
        )));
    }
    // Outside a work tree `git diff` prints its whole usage text; this says why in one line.
    git(root, &["rev-parse", "--is-inside-work-tree"])?;
    let mut files = BTreeSet::new();
    // Both commands print paths relative to `root` (`--relative` for diff, the
    // working directory for ls-files), so a scan root below the top of the work tree works.
    let diff = git(
        root,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "--relative",
            "-z",
            base,
            "--",
        ],
    )?;
    let untracked = git(root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    for name in diff.split('\0').chain(untracked.split('\0')) {
        if !name.is_empty() {
            files.insert(name.to_string());
        }
    }
    Ok(files)
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Error::Git(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The reason, not the usage text that may follow it.
        let reason = stderr
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("fatal:") || l.starts_with("error:"))
            .or_else(|| stderr.lines().map(str::trim).find(|l| !l.is_empty()))
            .unwrap_or("git failed");
        return Err(Error::Git(reason.to_string()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
