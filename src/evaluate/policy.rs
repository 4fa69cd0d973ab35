//! Policy sources: the built-in pack compiled into the binary, and the team's own directories.

use crate::config::Location;
use crate::error::{Error, Result};
use crate::tree::Tree;
use std::path::{Path, PathBuf};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));
}

#[derive(Debug, Clone)]
pub struct PolicySource {
    /// `policies/owner.rego` for built-ins, the path as found for the team's own.
    pub path: String,
    pub text: String,
    pub builtin: bool,
}

impl PolicySource {
    pub fn is_test(&self) -> bool {
        self.path.ends_with("_test.rego")
    }
}

pub fn builtin() -> Vec<PolicySource> {
    builtin::BUILTIN_POLICIES
        .iter()
        .map(|(path, text)| PolicySource {
            path: (*path).to_string(),
            text: (*text).to_string(),
            builtin: true,
        })
        .collect()
}

/// Every `.rego` file at `location` (a directory, or one file), in path
/// order; inside the repository, read through `tree`.
pub fn from_location(tree: &Tree, location: &Location) -> Result<Vec<PolicySource>> {
    match location {
        Location::Disk(dir) => from_path(dir),
        Location::Repo(rel) => {
            let shown = crate::tree::describe(tree, rel);
            let files = tree.files_under(rel, ".rego").map_err(|e| match e {
                crate::tree::ReadError::Missing => {
                    Error::Usage(format!("policy path {shown} does not exist"))
                }
                other => Error::Usage(format!("policy path {shown}: {other}")),
            })?;
            let limits = crate::load::format::Limits::default();
            files
                .into_iter()
                .map(|file| {
                    let text = tree.read_text(&file, &limits).map_err(|e| {
                        Error::Usage(format!(
                            "policy {}: {}",
                            crate::tree::describe(tree, &file),
                            e.message
                        ))
                    })?;
                    Ok(PolicySource {
                        path: file,
                        text,
                        builtin: false,
                    })
                })
                .collect()
        }
    }
}

/// Every `.rego` file below `dir` (or `dir` itself when it is a file), in
/// path order: a directory outside any repository being scanned.
pub fn from_path(dir: &Path) -> Result<Vec<PolicySource>> {
    if !dir.exists() {
        return Err(Error::Usage(format!(
            "policy path {} does not exist",
            dir.display()
        )));
    }
    let mut files: Vec<PathBuf> = Vec::new();
    if dir.is_file() {
        files.push(dir.to_path_buf());
    } else {
        for entry in ignore::WalkBuilder::new(dir)
            .hidden(true)
            .follow_links(false)
            .build()
        {
            let entry = entry.map_err(|e| Error::Usage(format!("{}: {e}", dir.display())))?;
            let path = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file())
                && path.extension().is_some_and(|e| e == "rego")
            {
                files.push(path.to_path_buf());
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            Ok(PolicySource {
                path: path.to_string_lossy().into_owned(),
                text,
                builtin: false,
            })
        })
        .collect()
}

/// A data document for `data.*`: JSON, YAML or TOML.
pub fn data_at(tree: &Tree, location: &Location) -> Result<serde_json::Value> {
    let text = location.read_text(tree)?;
    let (name, shown) = match location {
        Location::Repo(rel) => (rel.clone(), crate::tree::describe(tree, rel)),
        Location::Disk(path) => (path.display().to_string(), path.display().to_string()),
    };
    data_text(&text, &name, &shown)
}

/// `name` decides the format; `shown` names the file in errors.
fn data_text(text: &str, name: &str, shown: &str) -> Result<serde_json::Value> {
    let name: std::sync::Arc<str> = std::sync::Arc::from(name);
    let limits = crate::load::format::Limits::default();
    let node = match crate::load::document::Format::of(&name) {
        crate::load::document::Format::Json => crate::load::json::parse_json(text, &name, &limits),
        crate::load::document::Format::Toml => crate::load::toml::parse_toml(text, &name, &limits),
        _ => crate::load::yaml::parse_yaml(text, &name, &limits),
    }
    .map_err(|e| Error::Usage(format!("data file {shown}:{e}")))?;
    let value = node.to_json();
    if !value.is_object() {
        return Err(Error::Usage(format!(
            "data file {shown} must hold a mapping at the top level"
        )));
    }
    Ok(value)
}
