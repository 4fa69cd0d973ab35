//! Compiled policies kept between runs, so that the pre-commit case (one
//! system, the same policies every time) skips parsing and compiling them.
//!
//! An entry is the bytecode of one exact set of policy sources and data
//! documents, named by their SHA-256 with the versions of aimsgate and
//! regorus: a change to any of them is a different name. The cache is best
//! effort: an entry that is missing, unreadable or does not decode is a miss,
//! and a failed write is ignored. It lives in `AIMSGATE_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/aimsgate`, else `~/.cache/aimsgate`; an empty
//! `AIMSGATE_CACHE_DIR` turns it off.

use super::policy::PolicySource;
use regorus::rvm::program::{DeserializationResult, Program};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;

/// Entries larger than this are not written (nor read).
const MAX_ENTRY: u64 = 64 << 20;

pub fn dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("AIMSGATE_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("aimsgate"))
}

/// The name of the entry for these sources, data and batch rule text.
pub fn key(sources: &[PolicySource], data: &[serde_json::Value], batch: &str) -> String {
    let mut hash = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(env!("AIMSGATE_REGORUS_VERSION").as_bytes());
    field(batch.as_bytes());
    for source in sources {
        field(source.path.as_bytes());
        field(source.text.as_bytes());
    }
    for document in data {
        field(document.to_string().as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn load(key: &str) -> Option<Arc<Program>> {
    let path = dir()?.join(format!("{key}.rvm"));
    if std::fs::metadata(&path).ok()?.len() > MAX_ENTRY {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    match Program::deserialize_binary(&bytes).ok()? {
        DeserializationResult::Complete(program) => Some(Arc::new(program)),
        _ => None,
    }
}

/// Writes the entry atomically (a temporary file renamed into place), so a
/// concurrent run reads the whole entry or none.
pub fn store(key: &str, program: &Program) {
    let Some(dir) = dir() else { return };
    let Ok(bytes) = program.serialize_binary() else {
        return;
    };
    if bytes.len() as u64 > MAX_ENTRY || std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let partial = dir.join(format!("{key}.rvm.{}.partial", std::process::id()));
    if std::fs::write(&partial, &bytes).is_err()
        || std::fs::rename(&partial, dir.join(format!("{key}.rvm"))).is_err()
    {
        let _ = std::fs::remove_file(&partial);
    }
}
