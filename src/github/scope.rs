//! `--changed-only`: the files a pull request changes, from git when the
//! checkout has both commits, else from the pull request files API.

use super::api::Client;
use super::env::{Env, PullRequest};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the changed file list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Git,
    Api,
}

/// The changed files as absolute paths (for `Scope::Files`), and how they were found.
pub fn changed_files<'a>(
    env: &Env,
    pr: &PullRequest,
    dir: &Path,
    client: &dyn Fn() -> Result<&'a Client, String>,
) -> Result<(Vec<PathBuf>, Source), String> {
    let toplevel = git(dir, &["rev-parse", "--show-toplevel"])
        .ok()
        .map(|t| PathBuf::from(t.trim_end_matches(['\n', '\r'])));
    if let Some(top) = &toplevel {
        if has_commit(top, &pr.base_sha) && has_commit(top, &pr.head_sha) {
            let range = format!("{}...{}", pr.base_sha, pr.head_sha);
            if let Ok(out) = git(
                top,
                &["diff", "--name-only", "--no-renames", "-z", &range, "--"],
            ) {
                let files = out
                    .split('\0')
                    .filter(|n| !n.is_empty())
                    .map(|n| top.join(n))
                    .collect();
                return Ok((files, Source::Git));
            }
        }
    }
    // A shallow checkout (actions/checkout fetches one commit by default)
    // lacks the base: ask the API, which lists at most 3000 files.
    let top = match toplevel {
        Some(top) => top,
        None => match &env.workspace {
            Some(ws) => ws.clone(),
            None => std::env::current_dir().map_err(|e| format!("no working directory: {e}"))?,
        },
    };
    let top = top.canonicalize().unwrap_or(top);
    let repository = env
        .repository
        .as_deref()
        .ok_or("GITHUB_REPOSITORY is not set")?;
    let client = client()?;
    let path = format!("/repos/{repository}/pulls/{}/files", pr.number);
    let entries = client
        .get_all(&path)
        .map_err(|e| format!("cannot list the pull request's files: {e}"))?;
    let mut files = Vec::new();
    for entry in &entries {
        for key in ["filename", "previous_filename"] {
            if let Some(name) = entry.get(key).and_then(|v| v.as_str()) {
                if let Some(p) = safe_join(&top, name) {
                    files.push(p);
                }
            }
        }
    }
    Ok((files, Source::Api))
}

/// `top/name` for a relative, `/`-separated name that stays below `top`.
fn safe_join(top: &Path, name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.starts_with('/') || name.contains('\0') {
        return None;
    }
    let mut out = top.to_path_buf();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => out.push(p),
        }
    }
    Some(out)
}

fn has_commit(dir: &Path, sha: &str) -> bool {
    git(dir, &["cat-file", "-e", &format!("{sha}^{{commit}}")]).is_ok()
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_names_stay_inside() {
        let top = Path::new("/w");
        assert_eq!(safe_join(top, "a/b.md"), Some(PathBuf::from("/w/a/b.md")));
        assert_eq!(safe_join(top, "../etc/passwd"), None);
        assert_eq!(safe_join(top, "/etc/passwd"), None);
        assert_eq!(safe_join(top, ""), None);
    }
}
