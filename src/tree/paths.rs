//! Root-relative paths as strings: `/`-separated, no `.` or `..` parts.

use std::path::{Component, Path, PathBuf};

/// `a/b/c.md` -> `a/b`; `c.md` -> `.`.
pub fn parent_dir(rel: &str) -> String {
    match rel.rfind('/') {
        Some(i) => rel[..i].to_string(),
        None => ".".to_string(),
    }
}

/// `name` inside the root-relative directory `dir` (`.` is the root).
pub fn join(dir: &str, name: &str) -> String {
    if dir == "." || dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Removes `.` and `..` without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path below `root` as a `/`-separated relative string (`.` for the root).
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        return Some(".".into());
    }
    Some(parts.join("/"))
}

/// True when `path`, with every symlink resolved, is still below `root`.
pub fn stays_inside(root: &Path, path: &Path) -> bool {
    path.canonicalize().is_ok_and(|real| real.starts_with(root))
}

/// `target`, written in directory `from_dir`, as a root-relative path,
/// checked without the file system: not empty, not a URL, not absolute, and
/// never above the root at any step (`a/../../x` climbs even though it
/// normalises inside).
pub fn lexical(from_dir: &str, target: &str) -> Result<String, String> {
    if target.is_empty() {
        return Err("the path is empty".into());
    }
    if target.contains("://") {
        return Err(format!(
            "{target:?} is a URL; link a file in the repository"
        ));
    }
    if Path::new(target).is_absolute()
        || target.starts_with('/')
        || target.starts_with('\\')
        || target.get(1..2) == Some(":")
    {
        return Err(format!(
            "{target:?} is absolute; write it relative to the card"
        ));
    }
    if target.contains('\0') {
        return Err(format!("{target:?} is not a path"));
    }
    let joined = join(from_dir, target);
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split(['/', '\\']) {
        match part {
            "." | "" => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("{target:?} leaves the repository"));
                }
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return Err(format!("{target:?} is not a file"));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths() {
        assert_eq!(lexical("sys", "../data/x.md"), Ok("data/x.md".into()));
        assert_eq!(lexical(".", "./a//b.md"), Ok("a/b.md".into()));
        assert!(lexical("sys", "../../x.md").is_err());
        assert!(lexical(".", "a/../../x.md").is_err());
        assert!(lexical(".", "/etc/passwd").is_err());
        assert!(lexical(".", "C:/x").is_err());
        assert!(lexical(".", "https://x/y.md").is_err());
        assert!(lexical(".", "").is_err());
        assert!(lexical(".", "a\0b").is_err());
        assert!(lexical("sys", "..").is_err());
    }

    #[test]
    fn parents_and_joins() {
        assert_eq!(parent_dir("a/b/c.md"), "a/b");
        assert_eq!(parent_dir("c.md"), ".");
        assert_eq!(join(".", "x"), "x");
        assert_eq!(join("a", "x"), "a/x");
    }
}
