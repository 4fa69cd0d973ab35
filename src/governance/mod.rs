//! `check --base REF` (SPEC 10): what the gate demands comes from a trusted
//! revision, and a change that lowers it is a finding that only a verified
//! approval by someone other than the author can accept.
//!
//! The base revision supplies the configuration (and through it the policies,
//! data, waivers, Statement of Applicability, discovery globs and approvers);
//! this module also reads each system as it was at REF, so that the
//! `governance-change` rule can compare the two records, and collects the
//! repository-wide facts that rule reports: governance files changed, and
//! systems that discovery no longer sees.

pub mod approval;
pub mod codeowners;
mod diff;

use crate::config::{Config, Location};
use crate::discover::changes::{Change, Status};
use crate::discover::{Discovery, SystemSource};
use crate::error::Result;
use crate::load::{self, format::Limits, System};
use crate::tree::{git::GitTree, Tree};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// Names of ignore files that decide what a walk of the working tree sees.
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore", ".rgignore"];

/// Where GitHub and GitLab look for CODEOWNERS, in their order.
pub const CODEOWNERS_FILES: &[&str] = &[
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// The trusted side of a run: the base revision and what discovery found in it.
pub struct Base {
    pub tree: Tree,
    pub discovery: Discovery,
    cache: load::RunCache,
    /// Head system id -> index into `discovery.systems` of the same system at REF.
    pairs: BTreeMap<String, usize>,
    /// Every change between REF and the working tree.
    pub changes: Vec<Change>,
}

impl std::fmt::Debug for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Base")
            .field("tree", &self.tree)
            .field("systems", &self.discovery.systems.len())
            .finish_non_exhaustive()
    }
}

/// The commit `rev` names, as a tree to read the trusted inputs from.
pub fn open(root: &Path, rev: &str) -> Result<Tree> {
    Ok(Tree::Git(Arc::new(GitTree::open(root, rev)?)))
}

impl Base {
    /// What REF holds, discovered with the trusted `config`, paired with the
    /// systems of the working tree (`head`).
    pub fn new(tree: Tree, config: &Config, head: &Discovery) -> Result<Base> {
        let commit = tree.commit().unwrap_or_default().to_string();
        let limits = config.limits.parser_limits();
        let code_of = |card: &str| crate::load::declared_code(&tree, card, &limits);
        let discovery = crate::discover::discover_until(
            &tree,
            config,
            &crate::discover::Walk::default(),
            &code_of,
        )?;
        let changes = crate::discover::changes::diff(tree.root(), &commit)?;
        let pairs = pair(head, &discovery, &changes);
        Ok(Base {
            tree,
            discovery,
            cache: load::RunCache::default(),
            pairs,
            changes,
        })
    }

    pub fn commit(&self) -> &str {
        self.tree.commit().unwrap_or_default()
    }

    /// The scan root's path from the top of the repository.
    pub fn prefix(&self) -> &str {
        match &self.tree {
            Tree::Git(g) => g.prefix(),
            Tree::Work(_) => "",
        }
    }

    /// CODEOWNERS as the base revision has it (the first of GitHub's and
    /// GitLab's locations that exists), or none.
    pub fn codeowners(&self) -> codeowners::Codeowners {
        let Tree::Git(git) = &self.tree else {
            return codeowners::Codeowners::default();
        };
        for file in CODEOWNERS_FILES {
            if let Some(bytes) = git.read_from_top(file, codeowners::MAX_BYTES) {
                return codeowners::Codeowners::parse(file, &String::from_utf8_lossy(&bytes));
            }
        }
        codeowners::Codeowners::default()
    }

    /// The system with head id `id` as it was at REF; `None` when it is new.
    pub fn load(&self, id: &str, limits: &Limits) -> Option<System> {
        let source = self.discovery.systems.get(*self.pairs.get(id)?)?;
        Some(load::load_system(
            &self.tree,
            source.clone(),
            limits,
            &self.cache,
        ))
    }

    /// The facts of the repository-level `governance-change` rule
    /// (`input.governance`; docs/input.md): governance files this change
    /// touched, and systems at REF that discovery no longer sees.
    pub fn facts(
        &self,
        work: &Tree,
        head: &Discovery,
        governance_files: &GovernanceFiles,
    ) -> Value {
        let limits = Limits::default();
        let mut files = Vec::new();
        for change in &self.changes {
            let paths: Vec<&str> = match &change.from {
                Some(from) => vec![from.as_str(), change.path.as_str()],
                None => vec![change.path.as_str()],
            };
            let Some(kind) = paths.iter().find_map(|p| governance_files.kind(p)) else {
                continue;
            };
            // An ignore file no commit holds (a tool's cache writes them)
            // can hide only other untracked files: tracked ones are always
            // discovered under --base.
            if kind == "ignore" && change.untracked {
                continue;
            }
            let old_path = change.from.as_deref().unwrap_or(&change.path);
            let old = match change.status {
                Status::Added => None,
                _ => self.tree.read_text(old_path, &limits).ok(),
            };
            let new = match change.status {
                Status::Deleted => None,
                _ => work.read_text(&change.path, &limits).ok(),
            };
            let mut entry = json!({
                "file": change.path,
                "kind": kind,
                "status": change.status.as_str(),
                "line": 1,
                "changes": [],
            });
            if let Some(from) = &change.from {
                entry["from"] = json!(from);
            }
            if let (Some(old), Some(new)) = (&old, &new) {
                entry["line"] = json!(diff::first_line(old, new));
            }
            if kind == "baseline" {
                // Removing entries, or bringing a date forward, is always
                // allowed; only what holds more, or longer, is reported.
                match (change.status, old.as_deref(), new.as_deref()) {
                    (Status::Deleted, _, _) => continue,
                    (_, Some(old), Some(new)) => {
                        let changes = baseline_changes(&change.path, old, new);
                        if changes.is_empty() {
                            continue;
                        }
                        entry["changes"] = Value::Array(changes);
                    }
                    _ => {}
                }
            }
            if kind == "config" {
                entry["changes"] =
                    Value::Array(config_changes(&change.path, old.as_deref(), new.as_deref()));
            }
            files.push(entry);
        }

        let head_ids: BTreeSet<&str> = head.systems.iter().map(|s| s.id.as_str()).collect();
        let paired: BTreeSet<usize> = self.pairs.values().copied().collect();
        let renamed: BTreeMap<&str, &str> = self
            .changes
            .iter()
            .filter_map(|c| Some((c.from.as_deref()?, c.path.as_str())))
            .collect();
        let mut vanished = Vec::new();
        for (i, system) in self.discovery.systems.iter().enumerate() {
            if head_ids.contains(system.id.as_str()) || paired.contains(&i) {
                continue;
            }
            let remaining: Vec<String> = system
                .ml_files
                .iter()
                .map(|f| renamed.get(f.as_str()).map_or(f.as_str(), |to| *to))
                .filter(|f| work.is_file(f))
                .map(str::to_string)
                .collect();
            let entry = if work.is_file(&system.card) {
                json!({
                    "id": system.id,
                    "card": system.card,
                    "file": system.card,
                    "reason": "hidden",
                    "ml_files": remaining,
                })
            } else if let Some(first) = remaining.first() {
                json!({
                    "id": system.id,
                    "card": system.card,
                    "file": first,
                    "reason": "card-deleted",
                    "ml_files": remaining,
                })
            } else {
                continue;
            };
            vanished.push(entry);
        }
        json!({
            "commit": self.commit(),
            "files": files,
            "vanished": vanished,
        })
    }
}

/// Baseline entries a change added, or whose due date it moved later or
/// dropped, for `input.governance`; empty when either side does not parse
/// (the file is then reported as a whole).
fn baseline_changes(file: &str, old: &str, new: &str) -> Vec<Value> {
    use crate::evaluate::baseline::{loosened, Baseline};
    let limits = Limits::default();
    let (Ok(old), Ok(new)) = (
        Baseline::parse(old, file, &limits),
        Baseline::parse(new, file, &limits),
    ) else {
        return Vec::new();
    };
    let held = |due: Option<&str>| match due {
        Some(due) => format!("held until {due}"),
        None => "held with no due date".to_string(),
    };
    loosened(&old, &new)
        .into_iter()
        .map(|(entry, was)| {
            json!({
                "field": format!("the entry for {}", entry.describe()),
                "old": was.map(|w| held(w.due.as_deref())),
                "new": held(entry.due.as_deref()),
                "line": entry.line,
                "column": 1,
            })
        })
        .collect()
}

/// Key-by-key changes of the configuration file, for `input.governance`.
fn config_changes(file: &str, old: Option<&str>, new: Option<&str>) -> Vec<Value> {
    let name: Arc<str> = Arc::from(file);
    let limits = Limits::default();
    let parse = |text: Option<&str>| {
        text.and_then(|t| crate::load::toml::parse_toml(t, &name, &limits).ok())
    };
    let (Some(old), Some(new)) = (parse(old), parse(new)) else {
        return Vec::new();
    };
    diff::keys(&old, &new)
        .into_iter()
        .map(|c| {
            json!({
                "field": c.field,
                "old": c.old,
                "new": c.new,
                "line": c.line,
                "column": c.column,
            })
        })
        .collect()
}

/// Which files of the repository are governance inputs (SPEC 10).
#[derive(Debug, Default)]
pub struct GovernanceFiles {
    config: Vec<String>,
    policies: Vec<String>,
    data: Vec<String>,
    extra: Vec<(String, &'static str)>,
}

impl GovernanceFiles {
    /// The configuration file at `config_file`, and the policy directories and
    /// data files `config` and the command line name, where inside the repository.
    pub fn new(
        root: &Path,
        config_file: Option<&Location>,
        config: &Config,
        policies: &[std::path::PathBuf],
        data: &[std::path::PathBuf],
    ) -> GovernanceFiles {
        let repo = |l: Location| match l {
            Location::Repo(rel) => Some(rel),
            Location::Disk(_) => None,
        };
        let config_file = match config_file {
            Some(location) => repo(location.clone()),
            None => Some(crate::config::FILE_NAME.to_string()),
        };
        GovernanceFiles {
            config: config_file.into_iter().collect(),
            policies: config
                .policies
                .paths
                .iter()
                .map(|p| config.locate(root, p))
                .chain(policies.iter().map(|p| Location::of(root, p)))
                .filter_map(repo)
                .collect(),
            data: config
                .policies
                .data
                .iter()
                .map(|p| config.locate(root, p))
                .chain(data.iter().map(|p| Location::of(root, p)))
                .filter_map(repo)
                .collect(),
            extra: Vec::new(),
        }
    }

    /// Also treats `rel` as a governance file of `kind`.
    pub fn add(&mut self, rel: &str, kind: &'static str) {
        self.extra.push((rel.to_string(), kind));
    }

    /// `config`, `policy`, `data`, `ignore`, `codeowners` (or an added kind)
    /// when `rel` is a governance file.
    pub fn kind(&self, rel: &str) -> Option<&'static str> {
        let below = |dir: &str| dir == "." || rel == dir || rel.starts_with(&format!("{dir}/"));
        if self.config.iter().any(|c| c == rel) {
            return Some("config");
        }
        if rel.ends_with(".rego") && self.policies.iter().any(|p| below(p)) {
            return Some("policy");
        }
        if self.data.iter().any(|d| d == rel) {
            return Some("data");
        }
        if let Some((_, kind)) = self.extra.iter().find(|(f, _)| f == rel) {
            return Some(kind);
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if IGNORE_FILES.contains(&name) {
            return Some("ignore");
        }
        if CODEOWNERS_FILES.contains(&rel) {
            return Some("codeowners");
        }
        None
    }
}

/// Each head system's counterpart at REF: the same directory; else the
/// system whose card was renamed to this one's; else a system gone from the
/// head whose ML files (renamed or not) this new system now holds.
fn pair(head: &Discovery, base: &Discovery, changes: &[Change]) -> BTreeMap<String, usize> {
    let by_id: BTreeMap<&str, usize> = base
        .systems
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let head_ids: BTreeSet<&str> = head.systems.iter().map(|s| s.id.as_str()).collect();
    let renamed_to: BTreeMap<&str, &str> = changes
        .iter()
        .filter_map(|c| Some((c.path.as_str(), c.from.as_deref()?)))
        .collect();
    let gone: Vec<(usize, &SystemSource)> = base
        .systems
        .iter()
        .enumerate()
        .filter(|(_, s)| !head_ids.contains(s.id.as_str()))
        .collect();
    let mut pairs = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for system in &head.systems {
        if let Some(&i) = by_id.get(system.id.as_str()) {
            pairs.insert(system.id.clone(), i);
            continue;
        }
        let was = |path: &str| renamed_to.get(path).copied().unwrap_or(path).to_string();
        let card_was = was(&system.card);
        let ml_was: BTreeSet<String> = system.ml_files.iter().map(|f| was(f)).collect();
        let found = gone.iter().find(|(i, b)| {
            !taken.contains(i)
                && (b.card == card_was || b.ml_files.iter().any(|f| ml_was.contains(f)))
        });
        if let Some((i, _)) = found {
            taken.insert(*i);
            pairs.insert(system.id.clone(), *i);
        }
    }
    pairs
}

/// The `input.base` of a system (docs/input.md): what it was at REF, or a
/// null record when it is new.
pub fn base_input(commit: &str, system: Option<&System>) -> Value {
    match system {
        Some(s) => json!({
            "commit": commit,
            "id": s.source.id,
            "card": s.source.card,
            "tier": s.tier,
            "record": s.record.to_json(),
        }),
        None => json!({"commit": commit, "record": null}),
    }
}
