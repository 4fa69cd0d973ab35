//! Linked documents: paths in the record, relative to the card, that must exist
//! inside the repository. Some are read and grafted in place of their path.

use super::document::Document;
use super::format::Limits;
use super::node::{Kind, Node};
use super::{Linked, Problem};
use std::collections::BTreeMap;
use std::collections::HashSet;
use std::path::Path;
use std::sync::RwLock;

/// Directories below the root, root-relative and `/`-joined, that this run
/// found by lstat to be real directories with no symlink from the root down:
/// a linked path below one needs no lstat for those components again.
/// Shared by every loading thread; bounded, after which it only stops growing.
#[derive(Debug, Default)]
pub struct Dirs {
    known: RwLock<HashSet<Box<str>>>,
}

/// Enough for every directory holding a linked document in a very large
/// monorepo, at a few megabytes.
const MAX_DIRS: usize = 65_536;

impl Dirs {
    fn contains(&self, dir: &str) -> bool {
        // A poisoned lock only means another thread panicked mid-insert; not
        // trusting the cache is always safe.
        self.known.read().is_ok_and(|known| known.contains(dir))
    }

    fn insert(&self, dir: &str) {
        if let Ok(mut known) = self.known.write() {
            if known.len() < MAX_DIRS {
                known.insert(dir.into());
            }
        }
    }
}

/// Paths read and grafted into the record.
const GRAFTED: &[&str] = &[
    "impact_assessment",
    "datasets.*.datasheet",
    "fairness.evidence",
];
/// Paths that must exist but are evidence for humans, not data for policies.
const CHECKED: &[&str] = &[
    "monitoring.plan",
    "suppliers.*.assessment",
    "datasets.*.datasheet.personal_data.dpia",
];

/// Extensions that make a string a document reference rather than prose or a URL.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    ".md",
    ".markdown",
    ".yaml",
    ".yml",
    ".json",
    ".toml",
    ".txt",
    ".pdf",
    ".html",
    ".csv",
];

/// What every linked read of a run shares: where, within which limits, and
/// what the run already learned.
pub struct Reader<'a> {
    pub root: &'a Path,
    pub limits: &'a Limits,
    pub cache: &'a super::RunCache,
}

pub fn resolve(
    reader: &Reader<'_>,
    card_dir: &str,
    record: &mut Node,
    documents: &mut BTreeMap<String, Linked>,
    problems: &mut Vec<Problem>,
    files: &mut Vec<String>,
) {
    let (root, limits, dirs) = (reader.root, reader.limits, &reader.cache.dirs);
    for pattern in GRAFTED {
        for path in expand(record, pattern) {
            let Some((target, value_node)) = reference(record, &path) else {
                continue;
            };
            match check(root, dirs, &base_dir(&value_node, card_dir), &target) {
                Ok(rel) => {
                    // A document in the system's own directory is its own;
                    // one outside it may be linked by many systems.
                    let doc = if is_below(&rel, card_dir) {
                        Document::read(root, &rel, limits)
                    } else {
                        reader.cache.documents.read(root, &rel, limits)
                    };
                    if let Some(e) = &doc.error {
                        problems.push(Problem {
                            file: rel.clone(),
                            line: e.line,
                            column: e.column,
                            field: Some(path.clone()),
                            message: format!(
                                "{rel} (linked from {path}) does not parse: {}",
                                e.message
                            ),
                        });
                        continue;
                    }
                    if let Some(slot) = node_at_mut(record, &path) {
                        *slot = doc.data;
                    }
                    documents.insert(
                        path,
                        Linked {
                            file: rel.clone(),
                            sections: doc.sections,
                        },
                    );
                    files.push(rel);
                }
                Err(message) => problems.push(problem(&value_node, &path, message)),
            }
        }
    }
    for pattern in CHECKED {
        for path in expand(record, pattern) {
            let Some((target, value_node)) = reference(record, &path) else {
                continue;
            };
            if !looks_like_document(&target) {
                continue;
            }
            match check(root, dirs, &base_dir(&value_node, card_dir), &target) {
                Ok(rel) => files.push(rel),
                Err(message) => problems.push(problem(&value_node, &path, message)),
            }
        }
    }
}

/// A path is relative to the file it is written in: the card, a sidecar beside
/// it, or a linked document (a datasheet's `dpia` is relative to the datasheet).
fn base_dir(value: &Node, card_dir: &str) -> String {
    if value.pos.file.is_empty() {
        card_dir.to_string()
    } else {
        crate::discover::parent_dir(&value.pos.file)
    }
}

/// True when the root-relative `rel` is inside the directory `dir` (`.` is the root).
fn is_below(rel: &str, dir: &str) -> bool {
    dir == "."
        || rel
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn problem(at: &Node, path: &str, message: String) -> Problem {
    Problem {
        file: at.pos.file.to_string(),
        line: at.pos.line,
        column: at.pos.column,
        field: Some(path.to_string()),
        message: format!("{path}: {message}"),
    }
}

fn looks_like_document(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    !lower.contains("://")
        && !target.contains(char::is_whitespace)
        && DOCUMENT_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// The string at `path` when it is one: a reference still to follow.
fn reference(record: &Node, path: &str) -> Option<(String, Node)> {
    let node = node_at(record, path)?;
    node.as_str().map(|s| (s.trim().to_string(), node.clone()))
}

/// Checks that `target`, relative to the card's directory, is a file inside the root.
/// Returns it relative to the root.
fn check(root: &Path, dirs: &Dirs, card_dir: &str, target: &str) -> Result<String, String> {
    if target.is_empty() {
        return Err("the path is empty".into());
    }
    if target.contains("://") {
        return Err(format!(
            "{target:?} is a URL; link a file in the repository"
        ));
    }
    let target_path = Path::new(target);
    if target_path.is_absolute() || target.starts_with('/') || target.starts_with('\\') {
        return Err(format!(
            "{target:?} is absolute; write it relative to the card"
        ));
    }
    let joined = super::join(card_dir, target);
    let normal = crate::discover::normalize(Path::new(&joined));
    // Lexically: `..` must not climb above the root.
    let mut depth: i64 = 0;
    for part in joined.split(['/', '\\']) {
        match part {
            ".." => depth -= 1,
            "." | "" => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return Err(format!("{target:?} leaves the repository"));
        }
    }
    // One lstat per component below the (canonical) root, except for the
    // directories this run already found real; only a path that passes
    // through a symlink needs resolving in full.
    let full = root.join(&normal);
    let parts: Vec<&std::ffi::OsStr> = normal.components().map(|c| c.as_os_str()).collect();
    // `normal` came from strings, so every part is UTF-8; the keys are
    // root-relative and `/`-joined, which no part contains.
    let mut rel = String::new();
    let mut ends = Vec::with_capacity(parts.len());
    for part in &parts {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str(&part.to_string_lossy());
        ends.push(rel.len());
    }
    // Were a part not UTF-8, two paths could share a key: such a path is
    // checked in full and never cached.
    let cacheable = parts.iter().all(|part| part.to_str().is_some());
    let key = |i: usize| {
        ends.get(i)
            .and_then(|&end| rel.get(..end))
            .filter(|_| cacheable)
    };
    let directories = parts.len().saturating_sub(1);
    let known = (0..directories)
        .rev()
        .find(|&i| key(i).is_some_and(|k| dirs.contains(k)))
        .map_or(0, |i| i + 1);
    let mut at = root.to_path_buf();
    for part in parts.iter().take(known) {
        at.push(part);
    }
    let mut through_symlink = false;
    let mut last = None;
    for (i, part) in parts.iter().enumerate().skip(known) {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            return Err(format!("{target:?} does not exist"));
        };
        through_symlink |= meta.file_type().is_symlink();
        // A directory reached without a symlink on the way stays trusted for
        // the run; anything at or below a symlink is checked every time.
        if i < directories && !through_symlink && meta.is_dir() {
            if let Some(key) = key(i) {
                dirs.insert(key);
            }
        }
        last = Some(meta);
    }
    if through_symlink {
        if !full.exists() {
            return Err(format!("{target:?} does not exist"));
        }
        if !crate::discover::stays_inside(root, &full) {
            return Err(format!(
                "{target:?} leaves the repository through a symlink"
            ));
        }
    }
    let is_file = if through_symlink {
        full.is_file()
    } else {
        last.is_some_and(|m| m.is_file())
    };
    if !is_file {
        return Err(format!("{target:?} is not a file"));
    }
    Ok(rel)
}

/// Concrete paths for a pattern whose `*` stands for every array index.
fn expand(record: &Node, pattern: &str) -> Vec<String> {
    let mut paths = vec![(String::new(), record)];
    for segment in pattern.split('.') {
        let mut next = Vec::new();
        for (prefix, node) in paths {
            let join = |s: &str| {
                if prefix.is_empty() {
                    s.to_string()
                } else {
                    format!("{prefix}.{s}")
                }
            };
            if segment == "*" {
                if let Kind::Array(items) = &node.kind {
                    for (i, item) in items.iter().enumerate() {
                        next.push((join(&i.to_string()), item));
                    }
                }
            } else if let Some(child) = node.get(segment) {
                next.push((join(segment), child));
            }
        }
        paths = next;
    }
    paths.into_iter().map(|(p, _)| p).collect()
}

fn node_at<'a>(record: &'a Node, path: &str) -> Option<&'a Node> {
    let mut node = record;
    for segment in path.split('.') {
        node = match &node.kind {
            Kind::Object(_) => node.get(segment)?,
            Kind::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn node_at_mut<'a>(record: &'a mut Node, path: &str) -> Option<&'a mut Node> {
    let mut node = record;
    for segment in path.split('.') {
        node = if node.is_object() {
            node.get_mut(segment)?
        } else if let Kind::Array(items) = &mut node.kind {
            items.get_mut(segment.parse::<usize>().ok()?)?
        } else {
            return None;
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        (dir, root)
    }

    fn write(root: &Path, rel: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, "x").unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn real_directories_are_remembered_and_the_file_is_still_checked() {
        let (_dir, root) = repo();
        write(&root, "data/ds/sheet.md");
        let dirs = Dirs::default();
        assert_eq!(
            check(&root, &dirs, "sys", "../data/ds/sheet.md"),
            Ok("data/ds/sheet.md".into())
        );
        assert!(dirs.contains("data") && dirs.contains("data/ds"));
        // The file itself is never taken from the cache.
        assert!(!dirs.contains("data/ds/sheet.md"));
        let missing = check(&root, &dirs, "sys", "../data/ds/gone.md");
        assert_eq!(missing, Err("\"../data/ds/gone.md\" does not exist".into()));
        let not_file = check(&root, &dirs, "sys", "../data/ds");
        assert_eq!(not_file, Err("\"../data/ds\" is not a file".into()));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_directory_is_never_trusted() {
        let (_dir, root) = repo();
        let (_outside_dir, outside) = repo();
        write(&outside, "ia.md");
        write(&root, "sys/real/ia.md");
        std::os::unix::fs::symlink(&outside, root.join("sys/out"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(root.join("sys/real"), root.join("sys/inside"))
            .unwrap_or_else(|e| panic!("{e}"));
        let dirs = Dirs::default();
        for _ in 0..2 {
            let out = check(&root, &dirs, "sys", "out/ia.md");
            assert_eq!(
                out,
                Err("\"out/ia.md\" leaves the repository through a symlink".into())
            );
            assert_eq!(
                check(&root, &dirs, "sys", "inside/ia.md"),
                Ok("sys/inside/ia.md".into())
            );
        }
        assert!(dirs.contains("sys"));
        assert!(!dirs.contains("sys/out") && !dirs.contains("sys/inside"));
    }

    #[test]
    fn the_cache_stops_growing_at_its_bound() {
        let dirs = Dirs::default();
        for i in 0..MAX_DIRS + 10 {
            dirs.insert(&format!("d{i}"));
        }
        assert!(dirs.contains("d0"));
        assert!(!dirs.contains(&format!("d{}", MAX_DIRS + 5)));
    }
}
