//! From what the walk saw to the systems a person would name: each card is
//! a system covering its directory (or the code it declares); code with
//! evidence and no card is one system per project; examples, tests, docs,
//! copies of other projects and a framework's library code are notes.

use super::evidence::{FileEvidence, Table};
use super::walk::{Looked, Marker};
use super::zones::Zone;
use super::{cards, Discovery, Skipped, SystemSource, UncardedSystem};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::glob::{Case, PathGlobs, Reach};
use crate::tree::{join, parent_dir};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Files defining model classes from which a project counts as a
/// framework: whisper or nanoGPT define theirs in one or two files,
/// transformers, fairseq or speechbrain in hundreds.
pub const FRAMEWORK_MIN_FILES: usize = 25;

/// The code each card declares it covers (`code:` in the card or its
/// sidecar), by card path; `None` when it declares none.
pub type CodeOf<'a> = &'a (dyn Fn(&str) -> Option<Vec<String>> + Sync);

pub struct Seen {
    pub looked: Vec<Looked>,
    pub hidden: Vec<Skipped>,
    /// Directories below the root with a `.git` of their own.
    pub nested_git: BTreeSet<String>,
    /// Whether copies of other projects are passed over (not under `--base`,
    /// where every tracked file is discovered).
    pub pass_over_copies: bool,
}

struct Card {
    rel: String,
    /// The directory it covers when it declares no code.
    dir: String,
    /// The code it declares, when it does.
    code: Option<PathGlobs>,
    id: String,
}

/// `path` is `dir` or below it (`.` holds everything).
pub fn is_within(path: &str, dir: &str) -> bool {
    dir == "."
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether two project names are one family (`paper-qa`, `paper-qa-pypdf`;
/// `langchain`, `langchain-core`): their first word is the same.
fn related_names(a: &str, b: &str) -> bool {
    let first = |n: &str| {
        n.trim_start_matches('@')
            .split(['-', '_', '.', '/'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let (a, b) = (first(a), first(b));
    !a.is_empty() && a == b
}

/// The directories holding `rel`, nearest first, the root (`.`) last.
fn ancestors(rel: &str) -> impl Iterator<Item = String> + '_ {
    let mut dir = Some(parent_dir(rel));
    std::iter::from_fn(move || {
        let current = dir.take()?;
        if current != "." {
            dir = Some(parent_dir(&current));
        }
        Some(current)
    })
}

pub fn assemble(
    root: &Path,
    config: &Config,
    seen: Seen,
    code_of: CodeOf<'_>,
    table: &Table,
) -> Result<Discovery> {
    let Seen {
        looked,
        mut hidden,
        nested_git,
        pass_over_copies,
    } = seen;
    let mut card_files: Vec<String> = Vec::new();
    let mut evidence: BTreeMap<String, FileEvidence> = BTreeMap::new();
    let mut artifacts: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let mut markers: BTreeMap<Marker, BTreeSet<String>> = BTreeMap::new();
    let mut quiet: BTreeMap<(String, Zone), Vec<String>> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for l in looked {
        if let Some(name) = &l.project_name {
            names
                .entry(parent_dir(&l.rel))
                .or_insert_with(|| name.clone());
        }
        if let Some((dir, zone)) = l.quiet {
            let files = quiet.entry((dir, zone)).or_default();
            if l.quiet_ml {
                files.push(l.rel);
            }
            continue;
        }
        if let Some(m) = l.marker {
            markers.entry(m).or_default().insert(parent_dir(&l.rel));
        }
        if l.card {
            card_files.push(l.rel.clone());
        }
        if let Some(a) = l.artifact {
            artifacts.insert(l.rel.clone(), a);
        }
        if let Some(e) = l.evidence {
            evidence.insert(l.rel, e);
        }
    }
    let marked = |m: Marker| markers.get(&m).cloned().unwrap_or_default();
    let packages = marked(Marker::Package);
    let licences = marked(Marker::Licence);
    let all_manifests = marked(Marker::Manifest);
    // A project's directory: one with a dependency manifest, unless that
    // sits in a Python package (a native extension's `setup.py`) or is a
    // `requirements/` directory of the project above.
    let manifests: BTreeSet<String> = all_manifests
        .iter()
        .filter(|d| {
            !d.rsplit('/')
                .next()
                .unwrap_or(d)
                .eq_ignore_ascii_case("requirements")
        })
        .filter(|d| d.as_str() == "." || !packages.contains(&parent_dir(d)))
        .cloned()
        .collect();
    let hf_configs = marked(Marker::HfConfig);

    // Copies of other projects nested in this one: a git repository of
    // their own, or a licence and manifest of their own under a name
    // unrelated to the project holding them (`packages/paper-qa-pypdf` in
    // `paper-qa` is the project's own; `third/stylegan2` is not).
    let mut copies: BTreeMap<String, String> = BTreeMap::new();
    if pass_over_copies {
        let candidates: BTreeSet<&String> = licences
            .iter()
            .chain(&nested_git)
            .chain(&all_manifests)
            .collect();
        for dir in candidates {
            if dir == "." {
                continue;
            }
            let dir_name = dir.rsplit('/').next().unwrap_or(dir);
            let name = names.get(dir).map_or(dir_name, String::as_str);
            let holder = ancestors(dir).find_map(|a| names.get(&a));
            let related = holder.is_some_and(|h| related_names(h, name));
            let why = if nested_git.contains(dir) {
                Some("has a git repository of its own (a submodule or a clone)".to_string())
            } else if related || !all_manifests.contains(dir) {
                None
            } else if !table.libraries_of_package(name).is_empty() {
                Some(format!("is a copy of the package {name}"))
            } else if licences.contains(dir) {
                Some("has a licence and a dependency manifest of its own".to_string())
            } else {
                None
            };
            if let Some(why) = why {
                copies.insert(dir.clone(), why);
            }
        }
        // Only the outermost copy names the others.
        let outer: BTreeSet<String> = copies.keys().cloned().collect();
        copies.retain(|dir, _| !outer.iter().any(|o| o != dir && is_within(dir, o)));
    }
    let copy_of = |rel: &str| -> Option<String> { ancestors(rel).find(|d| copies.contains_key(d)) };
    let project_of = |rel: &str| -> String {
        ancestors(rel)
            .find(|d| manifests.contains(d))
            .unwrap_or_else(|| ".".to_string())
    };

    // Projects that define models for others: frameworks.
    let mut model_files: BTreeMap<String, usize> = BTreeMap::new();
    for (rel, e) in &evidence {
        if e.model_classes > 0 && copy_of(rel).is_none() {
            *model_files.entry(project_of(rel)).or_default() += 1;
        }
    }
    let frameworks: BTreeSet<String> = model_files
        .iter()
        .filter(|(_, n)| **n >= FRAMEWORK_MIN_FILES)
        .map(|(p, _)| p.clone())
        .collect();
    // The outermost package holding a file of a framework, if any.
    let library_of = |rel: &str| -> Option<String> {
        let project = project_of(rel);
        if !frameworks.contains(&project) {
            return None;
        }
        let mut outer = None;
        for dir in ancestors(rel) {
            if !packages.contains(&dir) || !is_within(&dir, &project) {
                break;
            }
            outer = Some(dir);
        }
        outer
    };

    // Cards, and the systems declared in the configuration.
    let mut cards: Vec<Card> = Vec::new();
    let mut declared_cards: BTreeSet<String> = BTreeSet::new();
    for declared in &config.systems {
        let dir = config.root_relative(root, &declared.path)?;
        let card = config.root_relative(root, &declared.card)?;
        declared_cards.insert(card.clone());
        cards.push(Card {
            rel: card,
            dir: dir.clone(),
            code: None,
            id: dir,
        });
    }
    let mut cards_in_copies: Vec<(String, String)> = Vec::new();
    for rel in card_files {
        if declared_cards.contains(&rel) {
            continue;
        }
        if let Some(copy) = copy_of(&rel) {
            cards_in_copies.push((copy, rel));
            continue;
        }
        let code = match code_of(&rel) {
            Some(patterns) => {
                let base = parent_dir(&rel);
                let anchored: Vec<String> = patterns
                    .iter()
                    .map(|p| join(&base, p.trim_start_matches("./").trim_start_matches('/')))
                    .collect();
                Some(
                    PathGlobs::new(&anchored, Case::Sensitive, Reach::Below)
                        .map_err(|e| Error::Usage(format!("{rel}: code: {e}")))?,
                )
            }
            None => None,
        };
        cards.push(Card {
            dir: cards::covered_dir(&rel),
            rel,
            code,
            id: String::new(),
        });
    }
    let mut per_dir: BTreeMap<String, usize> = BTreeMap::new();
    for c in cards.iter().filter(|c| c.id.is_empty()) {
        *per_dir.entry(c.dir.clone()).or_default() += 1;
    }
    let declared_ids: BTreeSet<String> = cards
        .iter()
        .filter(|c| !c.id.is_empty())
        .map(|c| c.id.clone())
        .collect();
    for c in cards.iter_mut().filter(|c| c.id.is_empty()) {
        let alone = per_dir.get(&c.dir) == Some(&1) && !declared_ids.contains(&c.dir);
        c.id = if alone { c.dir.clone() } else { c.rel.clone() };
    }
    cards.sort_by(|a, b| a.id.cmp(&b.id));
    cards.dedup_by(|a, b| a.id == b.id);

    // The cards covering a file: those declaring it, else the nearest
    // directory covered by cards that declare no code.
    let covering = |rel: &str| -> Vec<usize> {
        let declared: Vec<usize> = cards
            .iter()
            .enumerate()
            .filter(|(_, c)| c.code.as_ref().is_some_and(|g| g.is_match(rel)))
            .map(|(i, _)| i)
            .collect();
        if !declared.is_empty() {
            return declared;
        }
        for dir in ancestors(rel) {
            let here: Vec<usize> = cards
                .iter()
                .enumerate()
                .filter(|(_, c)| c.code.is_none() && c.dir == dir)
                .map(|(i, _)| i)
                .collect();
            if !here.is_empty() {
                return here;
            }
        }
        Vec::new()
    };

    // What counts as ML code: files with calls, artifacts that stand alone,
    // and `.bin`/`.pkl`-like files or a `config.json` beside other evidence.
    let strong_dirs: BTreeSet<String> = evidence
        .iter()
        .filter(|(_, e)| e.is_strong())
        .map(|(r, _)| parent_dir(r))
        .chain(
            artifacts
                .iter()
                .filter(|(_, (_, s))| *s)
                .map(|(r, _)| parent_dir(r)),
        )
        .collect();
    let weights_dirs: BTreeSet<String> = artifacts.keys().map(|r| parent_dir(r)).collect();
    let mut ml: BTreeMap<String, FileEvidence> = BTreeMap::new();
    for (rel, e) in &evidence {
        if e.is_strong() {
            ml.insert(rel.clone(), e.clone());
        }
    }
    for (rel, (what, strong)) in &artifacts {
        let dir = parent_dir(rel);
        if *strong || strong_dirs.contains(&dir) || hf_configs.contains(&dir) {
            let entry = ml.entry(rel.clone()).or_insert_with(|| FileEvidence {
                file: rel.clone(),
                ..FileEvidence::default()
            });
            entry.artifact = Some(what.clone());
        }
    }
    for dir in hf_configs.intersection(&weights_dirs) {
        let rel = join(dir, "config.json");
        ml.entry(rel.clone()).or_insert_with(|| FileEvidence {
            file: rel,
            artifact: Some("a Hugging Face model directory".into()),
            ..FileEvidence::default()
        });
    }

    let mut notes: BTreeMap<(String, Zone), Skipped> = BTreeMap::new();
    let mut note = |dir: &str, zone: Zone, detail: Option<String>, file: &str| {
        notes
            .entry((dir.to_string(), zone))
            .or_insert_with(|| Skipped {
                dir: dir.to_string(),
                hidden_by: dir.to_string(),
                zone,
                files: Vec::new(),
                detail,
            })
            .files
            .push(file.to_string());
    };
    for ((dir, zone), files) in quiet {
        for f in files {
            note(&dir, zone, None, &f);
        }
    }
    for (copy, rel) in &cards_in_copies {
        note(copy, Zone::Copy, copies.get(copy).cloned(), rel);
    }

    let mut systems: Vec<SystemSource> = cards
        .iter()
        .map(|c| SystemSource {
            id: c.id.clone(),
            card: c.rel.clone(),
            dir: c.dir.clone(),
            ml_files: Vec::new(),
            evidence: Vec::new(),
        })
        .collect();
    let mut uncovered: BTreeMap<String, Vec<FileEvidence>> = BTreeMap::new();
    for (rel, e) in ml {
        if let Some(copy) = copy_of(&rel) {
            let why = copies.get(&copy).cloned();
            note(&copy, Zone::Copy, why, &rel);
            continue;
        }
        let owners = covering(&rel);
        if owners.is_empty() {
            if let Some(library) = library_of(&rel).filter(|_| !e.trains_as_a_program()) {
                let defined = model_files.get(&project_of(&rel)).copied().unwrap_or(0);
                note(
                    &library,
                    Zone::Framework,
                    Some(format!(
                        "{defined} files of its project define model classes"
                    )),
                    &rel,
                );
                continue;
            }
            uncovered.entry(project_of(&rel)).or_default().push(e);
            continue;
        }
        for i in owners {
            if let Some(s) = systems.get_mut(i) {
                s.ml_files.push(rel.clone());
                s.evidence.push(e.clone());
            }
        }
    }

    // Weights and the code that trained them, in a directory with no card
    // of its own below a card: a model of its own, which that card does not
    // cover (renaming a card away must not fold its model into a neighbour).
    let mut uncarded: Vec<UncardedSystem> = Vec::new();
    let card_dirs: BTreeSet<&str> = cards.iter().map(|c| c.dir.as_str()).collect();
    for s in &mut systems {
        let trained: BTreeSet<String> = s
            .evidence
            .iter()
            .filter(|e| {
                e.calls
                    .iter()
                    .any(|c| c.kind == crate::config::CallKind::Training)
            })
            .map(|e| parent_dir(&e.file))
            .collect();
        let weighted: BTreeSet<String> = s
            .evidence
            .iter()
            .filter(|e| e.artifact.is_some())
            .map(|e| parent_dir(&e.file))
            .collect();
        for dir in trained.intersection(&weighted) {
            if dir == &s.dir || card_dirs.contains(dir.as_str()) || !is_within(dir, &s.dir) {
                continue;
            }
            let (own, rest): (Vec<FileEvidence>, Vec<FileEvidence>) =
                s.evidence.drain(..).partition(|e| is_within(&e.file, dir));
            s.evidence = rest;
            s.ml_files.retain(|f| !is_within(f, dir));
            if !own.is_empty() {
                uncarded.push(UncardedSystem {
                    dir: dir.clone(),
                    covered_by: Some(s.card.clone()),
                    files: own,
                });
            }
        }
    }
    for (dir, files) in uncovered {
        uncarded.push(UncardedSystem {
            dir,
            covered_by: None,
            files,
        });
    }
    uncarded.sort_by(|a, b| a.dir.cmp(&b.dir));

    // Files whose code could not be read, one note per directory.
    for (rel, e) in &evidence {
        if let Some(why) = &e.unread {
            if copy_of(rel).is_none() {
                note(&parent_dir(rel), Zone::Unread, Some(why.clone()), rel);
            }
        }
    }

    if systems.len() + uncarded.len() > config.limits.max_systems {
        return Err(Error::Usage(format!(
            "{} holds {} AI systems, more than [limits] max_systems = {}; \
             scan a part of it or raise the limit",
            root.display(),
            systems.len() + uncarded.len(),
            config.limits.max_systems
        )));
    }
    for s in &mut systems {
        s.ml_files.sort();
        s.ml_files.dedup();
    }
    let mut skipped: Vec<Skipped> = notes
        .into_values()
        .filter(|n| !n.files.is_empty())
        .collect();
    skipped.append(&mut hidden);
    for s in &mut skipped {
        s.files.sort();
        s.files.dedup();
    }
    skipped.sort_by(|a, b| (&a.dir, a.zone).cmp(&(&b.dir, b.zone)));
    Ok(Discovery {
        root: root.to_path_buf(),
        systems,
        uncarded,
        skipped,
    })
}
