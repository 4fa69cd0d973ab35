//! The working tree: files on disk below a canonical scan root.

use super::{paths, Kind, ReadError};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

#[derive(Debug)]
pub struct WorkTree {
    root: PathBuf,
    dirs: Dirs,
}

/// Directories below the root, root-relative and `/`-joined, that this run
/// found by lstat to be real directories with no symlink from the root down:
/// a path below one needs no lstat for those components again. Shared by
/// every loading thread; bounded, after which it only stops growing.
#[derive(Debug, Default)]
struct Dirs {
    known: RwLock<HashSet<Box<str>>>,
}

/// Enough for every directory holding a card or a linked document in a very
/// large monorepo, at a few megabytes.
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

impl WorkTree {
    pub fn new(root: &Path) -> crate::error::Result<WorkTree> {
        let root = root
            .canonicalize()
            .map_err(|e| crate::error::Error::io(root.to_path_buf(), e))?;
        if !root.is_dir() {
            return Err(crate::error::Error::Usage(format!(
                "{} is not a directory",
                root.display()
            )));
        }
        Ok(WorkTree {
            root,
            dirs: Dirs::default(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path to open for the root-relative `rel`, and what it is. One
    /// lstat per component below the root, except for directories this run
    /// already found real; a path through a symlink is resolved in full and
    /// must stay inside the root.
    pub fn locate(&self, rel: &str) -> Result<(PathBuf, Kind), ReadError> {
        let rel = paths::lexical(".", rel).map_err(|_| {
            if rel.starts_with('/') || Path::new(rel).is_absolute() {
                ReadError::Absolute
            } else {
                ReadError::Climbs
            }
        })?;
        let parts: Vec<&str> = rel.split('/').collect();
        let directories = parts.len().saturating_sub(1);
        let key = |i: usize| parts[..=i].join("/");
        let known = (0..directories)
            .rev()
            .find(|&i| self.dirs.contains(&key(i)))
            .map_or(0, |i| i + 1);
        let mut at = self.root.clone();
        for part in parts.iter().take(known) {
            at.push(part);
        }
        let mut through_symlink = false;
        let mut last = None;
        for (i, part) in parts.iter().enumerate().skip(known) {
            at.push(part);
            let meta = match std::fs::symlink_metadata(&at) {
                Ok(meta) => meta,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(ReadError::Missing)
                }
                // ENOTDIR: a component is a file, so the path names nothing.
                Err(e) if e.raw_os_error() == Some(20) => return Err(ReadError::Missing),
                Err(e) => return Err(ReadError::Io(e.to_string())),
            };
            through_symlink |= meta.file_type().is_symlink();
            // A directory reached without a symlink on the way stays trusted
            // for the run; anything at or below a symlink is checked every time.
            if i < directories && !through_symlink && meta.is_dir() {
                self.dirs.insert(&key(i));
            }
            last = Some(meta);
        }
        let (path, meta) = if through_symlink {
            let real = match at.canonicalize() {
                Ok(real) => real,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(ReadError::Missing)
                }
                Err(e) => return Err(ReadError::Io(e.to_string())),
            };
            if !real.starts_with(&self.root) {
                return Err(ReadError::Outside);
            }
            let meta = std::fs::metadata(&real).map_err(|e| ReadError::Io(e.to_string()))?;
            (real, meta)
        } else {
            match last {
                Some(meta) => (at, meta),
                None => return Err(ReadError::Missing),
            }
        };
        let kind = if meta.is_file() {
            Kind::File
        } else if meta.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        };
        Ok((path, kind))
    }

    /// The whole of `rel`, at most `max` bytes.
    pub fn read(&self, rel: &str, max: u64) -> Result<Vec<u8>, ReadError> {
        let (mut file, len) = self.open(rel)?;
        if len > max {
            return Err(ReadError::TooBig { len, max });
        }
        // The file can grow between the check and the read, so the read is
        // bounded too. Sized from the metadata, so a file that did not change
        // is read in one call plus the one that finds its end.
        let expected = usize::try_from(len.saturating_add(1)).unwrap_or(0);
        let mut bytes = Vec::with_capacity(expected);
        (&mut file)
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Io(e.to_string()))?;
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
            return Err(ReadError::Grew(max));
        }
        Ok(bytes)
    }

    /// The first `max` bytes of `rel`.
    pub fn head(&self, rel: &str, max: u64) -> Result<Vec<u8>, ReadError> {
        let (file, _) = self.open(rel)?;
        let mut bytes = Vec::new();
        file.take(max)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Io(e.to_string()))?;
        Ok(bytes)
    }

    /// Opens a regular file inside the root, and its length. Opened without
    /// blocking and checked again once open, so a FIFO swapped in after the
    /// check is never waited on.
    fn open(&self, rel: &str) -> Result<(std::fs::File, u64), ReadError> {
        let (path, kind) = self.locate(rel)?;
        if kind != Kind::File {
            return Err(ReadError::NotFile);
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
        }
        let file = options.open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::Missing,
            _ => ReadError::Io(e.to_string()),
        })?;
        let meta = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
        if !meta.is_file() {
            return Err(ReadError::NotFile);
        }
        Ok((file, meta.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, WorkTree) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let tree = WorkTree::new(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        (dir, tree)
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
        let (_dir, tree) = repo();
        write(tree.root(), "data/ds/sheet.md");
        assert_eq!(
            tree.locate("data/ds/sheet.md").map(|(_, k)| k),
            Ok(Kind::File)
        );
        assert!(tree.dirs.contains("data") && tree.dirs.contains("data/ds"));
        assert!(!tree.dirs.contains("data/ds/sheet.md"));
        assert_eq!(tree.locate("data/ds/gone.md"), Err(ReadError::Missing));
        assert_eq!(tree.locate("data/ds").map(|(_, k)| k), Ok(Kind::Dir));
        assert_eq!(tree.locate("data/ds/sheet.md/x"), Err(ReadError::Missing));
        assert_eq!(tree.locate("../x"), Err(ReadError::Climbs));
        assert_eq!(tree.locate("/etc/passwd"), Err(ReadError::Absolute));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_directory_is_never_trusted() {
        let (_dir, tree) = repo();
        let (_outside_dir, outside) = repo();
        write(outside.root(), "ia.md");
        write(tree.root(), "sys/real/ia.md");
        std::os::unix::fs::symlink(outside.root(), tree.root().join("sys/out"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(tree.root().join("sys/real"), tree.root().join("sys/inside"))
            .unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..2 {
            assert_eq!(tree.locate("sys/out/ia.md"), Err(ReadError::Outside));
            assert_eq!(tree.read("sys/out/ia.md", 10), Err(ReadError::Outside));
            assert_eq!(tree.read("sys/inside/ia.md", 10), Ok(b"x".to_vec()));
        }
        assert!(tree.dirs.contains("sys"));
        assert!(!tree.dirs.contains("sys/out") && !tree.dirs.contains("sys/inside"));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_never_opened() {
        let (_dir, tree) = repo();
        let fifo = tree.root().join("README.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()));
        assert_eq!(tree.read("README.md", 100), Err(ReadError::NotFile));
        assert_eq!(tree.head("README.md", 100), Err(ReadError::NotFile));
    }

    #[test]
    fn sizes_are_bounded() {
        let (_dir, tree) = repo();
        std::fs::write(tree.root().join("big.md"), vec![b'a'; 100])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            tree.read("big.md", 10),
            Err(ReadError::TooBig { len: 100, max: 10 })
        );
        assert_eq!(tree.head("big.md", 10).map(|b| b.len()), Ok(10));
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
