//! A commit's files, read from git's object store (never checked out): the
//! trusted side of `check --base REF`. The tree is listed once; blobs are
//! read through one `git cat-file --batch` process shared by every thread.

use super::{paths, Kind, ReadError};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

/// Symlinks followed inside a commit before a path counts as a loop.
const MAX_LINK_HOPS: usize = 16;

#[derive(Debug, Clone)]
struct Entry {
    mode: u32,
    oid: String,
    size: u64,
}

const MODE_TREE: u32 = 0o040000;
const MODE_LINK: u32 = 0o120000;

pub struct GitTree {
    /// The scan root on disk (the working tree this commit is compared with).
    root: PathBuf,
    commit: String,
    /// The scan root's path from the top of the repository (`""` or `ml/`).
    prefix: String,
    /// Every entry below the scan root, by root-relative path.
    entries: HashMap<String, Entry>,
    reader: Mutex<Option<Batch>>,
}

impl std::fmt::Debug for GitTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitTree")
            .field("root", &self.root)
            .field("commit", &self.commit)
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

struct Batch {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Batch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl GitTree {
    /// The commit `rev` names in the repository holding `root` (canonical),
    /// with paths relative to `root`. `rev` missing, or no repository: a tool
    /// error with git's reason, never a fallback to the working tree.
    pub fn open(root: &Path, rev: &str) -> Result<GitTree> {
        let commit = resolve_commit(root, rev)?;
        let prefix = git(root, &["rev-parse", "--show-prefix"])?
            .trim_end_matches('\n')
            .to_string();
        let listing = git_bytes(
            root,
            &["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", &commit],
        )?;
        let mut entries = HashMap::new();
        for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
            let Some((meta, path)) = split_once(record, b'\t') else {
                continue;
            };
            let meta = String::from_utf8_lossy(meta);
            let mut fields = meta.split_whitespace();
            let (Some(mode), Some(_kind), Some(oid), Some(size)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Ok(mode) = u32::from_str_radix(mode, 8) else {
                continue;
            };
            // Paths that are not UTF-8 cannot be named by a card or a glob.
            let Ok(path) = std::str::from_utf8(path) else {
                continue;
            };
            let Some(rel) = path.strip_prefix(prefix.as_str()) else {
                continue;
            };
            if rel.is_empty() {
                continue;
            }
            entries.insert(
                rel.to_string(),
                Entry {
                    mode,
                    oid: oid.to_string(),
                    size: size.parse().unwrap_or(0),
                },
            );
        }
        Ok(GitTree {
            root: root.to_path_buf(),
            commit,
            prefix,
            entries,
            reader: Mutex::new(None),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn commit(&self) -> &str {
        &self.commit
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A blob by its path from the top of the repository (CODEOWNERS, which
    /// may lie above the scan root), at most `max` bytes; `None` when absent.
    pub fn read_from_top(&self, path: &str, max: u64) -> Option<Vec<u8>> {
        let spec = format!("{}:{path}", self.commit);
        let size: u64 = git(&self.root, &["cat-file", "-s", &spec])
            .ok()?
            .trim()
            .parse()
            .ok()?;
        if size > max {
            return None;
        }
        let kind = git(&self.root, &["cat-file", "-t", &spec]).ok()?;
        if kind.trim() != "blob" {
            return None;
        }
        git_bytes(&self.root, &["cat-file", "blob", &spec]).ok()
    }

    /// Every regular file below the root, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, e)| is_blob(e.mode))
            .map(|(p, _)| p.clone())
            .collect();
        files.sort();
        files
    }

    /// What `rel` names once symlinks inside the commit are followed.
    pub fn kind(&self, rel: &str) -> Option<Kind> {
        self.locate(rel).ok()
    }

    /// What `rel` leads to, or why it leads nowhere readable.
    pub fn locate(&self, rel: &str) -> Result<Kind, ReadError> {
        self.entry(rel).map(|e| {
            if e.mode == MODE_TREE {
                Kind::Dir
            } else if is_blob(e.mode) {
                Kind::File
            } else {
                Kind::Other
            }
        })
    }

    /// The whole blob at `rel`, at most `max` bytes.
    pub fn read(&self, rel: &str, max: u64) -> Result<Vec<u8>, ReadError> {
        let entry = self.entry(rel)?;
        if !is_blob(entry.mode) {
            return Err(ReadError::NotFile);
        }
        if entry.size > max {
            return Err(ReadError::TooBig {
                len: entry.size,
                max,
            });
        }
        self.blob(&entry.oid, entry.size)
    }

    /// The entry `rel` leads to, following symlinks that stay inside the root.
    fn entry(&self, rel: &str) -> Result<Entry, ReadError> {
        let mut path = paths::lexical(".", rel).map_err(|_| ReadError::Climbs)?;
        for _ in 0..MAX_LINK_HOPS {
            let parts: Vec<&str> = path.split('/').collect();
            let mut next = None;
            for i in 0..parts.len() {
                let prefix = parts[..=i].join("/");
                let Some(entry) = self.entries.get(&prefix) else {
                    return Err(ReadError::Missing);
                };
                if entry.mode == MODE_LINK {
                    let target = self.blob(&entry.oid, entry.size.min(4096))?;
                    let target = String::from_utf8(target).map_err(|_| ReadError::Outside)?;
                    let mut resolved = paths::lexical(&paths::parent_dir(&prefix), &target)
                        .map_err(|_| ReadError::Outside)?;
                    for rest in &parts[i + 1..] {
                        resolved = paths::join(&resolved, rest);
                    }
                    next = Some(resolved);
                    break;
                }
                if i + 1 < parts.len() && entry.mode != MODE_TREE {
                    return Err(ReadError::Missing);
                }
                if i + 1 == parts.len() {
                    return Ok(entry.clone());
                }
            }
            match next {
                Some(resolved) => path = resolved,
                None => return Err(ReadError::Missing),
            }
        }
        Err(ReadError::Io("too many levels of symbolic links".into()))
    }

    fn blob(&self, oid: &str, size: u64) -> Result<Vec<u8>, ReadError> {
        let mut guard = self
            .reader
            .lock()
            .map_err(|_| ReadError::Io("the git reader failed earlier".into()))?;
        if guard.is_none() {
            *guard = Some(self.start().map_err(|e| ReadError::Io(e.to_string()))?);
        }
        let Some(batch) = guard.as_mut() else {
            return Err(ReadError::Io("git cat-file did not start".into()));
        };
        let result = read_object(batch, oid, size);
        if result.is_err() {
            // A reader out of step with its stream cannot be trusted again.
            *guard = None;
        }
        result
    }

    fn start(&self) -> std::io::Result<Batch> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        Ok(Batch {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }
}

fn is_blob(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

/// One object through `cat-file --batch`: `<oid> blob <size>\n<bytes>\n`.
fn read_object(batch: &mut Batch, oid: &str, max: u64) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(format!("git cat-file: {e}"));
    writeln!(batch.stdin, "{oid}").map_err(io)?;
    batch.stdin.flush().map_err(io)?;
    let mut header = String::new();
    (&mut batch.stdout)
        .take(256)
        .read_line(&mut header)
        .map_err(io)?;
    let mut fields = header.split_whitespace();
    let (Some(_), Some(kind), Some(size)) = (fields.next(), fields.next(), fields.next()) else {
        return Err(ReadError::Io(format!(
            "git cat-file answered {:?}",
            header.trim()
        )));
    };
    if kind != "blob" {
        return Err(ReadError::NotFile);
    }
    let size: u64 = size
        .parse()
        .map_err(|_| ReadError::Io("git cat-file: bad size".into()))?;
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(max)).unwrap_or(0));
    (&mut batch.stdout)
        .take(size)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let mut newline = [0u8; 1];
    batch.stdout.read_exact(&mut newline).map_err(io)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) != size {
        return Err(ReadError::Io("git cat-file: short read".into()));
    }
    bytes.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    Ok(bytes)
}

fn split_once(bytes: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let i = bytes.iter().position(|b| *b == sep)?;
    Some((&bytes[..i], &bytes[i + 1..]))
}

/// The full commit id `rev` names, checked to be a commit.
pub fn resolve_commit(root: &Path, rev: &str) -> Result<String> {
    if rev.is_empty() || rev.starts_with('-') || rev.contains(['\0', '\n']) {
        return Err(Error::Usage(format!(
            "--base {rev:?} is not a git revision"
        )));
    }
    git(root, &["rev-parse", "--is-inside-work-tree"]).map_err(|e| {
        Error::Git(format!(
            "--base needs a git repository at {}: {}",
            root.display(),
            strip_git(&e)
        ))
    })?;
    let spec = format!("{rev}^{{commit}}");
    let out = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    );
    match out {
        Ok(id) if crate::github::env::valid_sha(id.trim()) => Ok(id.trim().to_string()),
        _ => Err(Error::Git(format!(
            "--base {rev}: no such commit in this repository (fetch it first, e.g. \
             git fetch --depth=1 origin {rev})"
        ))),
    }
}

fn strip_git(e: &Error) -> String {
    match e {
        Error::Git(m) => m.clone(),
        other => other.to_string(),
    }
}

/// Runs git in `dir`; its output, or its first error line as a tool error.
pub fn git(dir: &Path, args: &[&str]) -> Result<String> {
    git_bytes(dir, args).map(|b| String::from_utf8_lossy(&b).into_owned())
}

pub fn git_bytes(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
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
        return Err(Error::Git(crate::report::escape::terminal(reason, false)));
    }
    Ok(out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "git {args:?}");
    }

    #[cfg(unix)]
    #[test]
    fn reads_blobs_follows_inner_links_and_refuses_outer_ones() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        run(&root, &["init", "-q"]);
        std::fs::create_dir_all(root.join("sub/data")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("sub/data/a.md"), "hello").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(root.join("top.md"), "top").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("data", root.join("sub/link")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("../top.md", root.join("sub/up.md"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("loop", root.join("sub/loop")).unwrap_or_else(|e| panic!("{e}"));
        run(&root, &["add", "-A"]);
        run(&root, &["commit", "-qm", "one"]);
        std::fs::write(root.join("sub/data/a.md"), "changed").unwrap_or_else(|e| panic!("{e}"));

        let tree = GitTree::open(&root.join("sub"), "HEAD").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tree.read("data/a.md", 100), Ok(b"hello".to_vec()));
        assert_eq!(tree.read("link/a.md", 100), Ok(b"hello".to_vec()));
        assert_eq!(
            tree.read("data/a.md", 2),
            Err(ReadError::TooBig { len: 5, max: 2 })
        );
        // The scan root is sub/: a link up out of it leaves the tree.
        assert_eq!(tree.read("up.md", 100), Err(ReadError::Outside));
        assert!(tree.read("loop", 100).is_err());
        assert_eq!(tree.read("../top.md", 100), Err(ReadError::Climbs));
        assert_eq!(tree.kind("data"), Some(Kind::Dir));
        assert_eq!(tree.read("data", 100), Err(ReadError::NotFile));
        assert_eq!(tree.files(), vec!["data/a.md".to_string()]);
        assert!(GitTree::open(&root, "no-such-ref").is_err());
        assert!(GitTree::open(&root, "--output=x").is_err());
    }
}
