//! From what the walk saw to the systems a person would name: each card is
//! a system covering its directory (or the code it declares); code with
//! evidence and no card is one system per project; examples, tests, docs,
//! copies of other projects and a framework's library code are notes.

use super::evidence::{self, FileEvidence, Table};
use super::walk::{Looked, Marker};
use super::zones::Zone;
use super::{cards, Discovery, Skipped, SystemSource, UncardedSystem};
use crate::config::{CallKind, Config};
use crate::error::{Error, Result};
use crate::glob::{Case, PathGlobs, Reach};
use crate::tree::{join, parent_dir};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// `path` is `dir` or below it (`.` holds everything).
pub fn is_within(path: &str, dir: &str) -> bool {
    dir == "."
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
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

/// How the repository is laid out: its projects, Python packages and
/// copies of other projects.
struct Layout {
    /// Directories holding `__init__.py`.
    packages: BTreeSet<String>,
    /// Project directories: a dependency manifest of their own.
    projects: BTreeSet<String>,
    /// Copies of other projects, and why each is taken for one.
    copies: BTreeMap<String, String>,
    hf_configs: BTreeSet<String>,
}

impl Layout {
    fn of(
        looked: &[Looked],
        nested_git: &BTreeSet<String>,
        pass_over_copies: bool,
        table: &Table,
    ) -> Layout {
        let mut markers: BTreeMap<Marker, BTreeSet<String>> = BTreeMap::new();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for l in looked.iter().filter(|l| l.quiet.is_none()) {
            if let Some(m) = l.marker {
                markers.entry(m).or_default().insert(parent_dir(&l.rel));
            }
            if let Some(name) = &l.project_name {
                names
                    .entry(parent_dir(&l.rel))
                    .or_insert_with(|| name.clone());
            }
        }
        let mut marked = |m: Marker| markers.remove(&m).unwrap_or_default();
        let packages = marked(Marker::Package);
        let licences = marked(Marker::Licence);
        let manifests = marked(Marker::Manifest);
        let hf_configs = marked(Marker::HfConfig);
        // A project's directory: one with a dependency manifest, unless that
        // sits in a Python package (a native extension's `setup.py`) or is a
        // `requirements/` directory of the project above.
        let projects: BTreeSet<String> = manifests
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

        // Copies of other projects nested in this one: a git repository of
        // their own, or a licence and manifest of their own under a name
        // unrelated to the project holding them (`packages/paper-qa-pypdf`
        // in `paper-qa` is the project's own; `src/stylegan2` is not).
        let mut copies: BTreeMap<String, String> = BTreeMap::new();
        if pass_over_copies {
            let candidates: BTreeSet<&String> = licences
                .iter()
                .chain(nested_git)
                .chain(&manifests)
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
                } else if related || !manifests.contains(dir) {
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
        Layout {
            packages,
            projects,
            copies,
            hf_configs,
        }
    }

    fn copy_of(&self, rel: &str) -> Option<String> {
        ancestors(rel).find(|d| self.copies.contains_key(d))
    }

    /// The project a file belongs to: the nearest directory with a
    /// dependency manifest, else the scan root.
    fn project_of(&self, rel: &str) -> String {
        ancestors(rel)
            .find(|d| self.projects.contains(d))
            .unwrap_or_else(|| ".".to_string())
    }

    /// The outermost Python package of its project holding `rel`.
    fn package_of(&self, rel: &str) -> Option<String> {
        let project = self.project_of(rel);
        let mut outer = None;
        for dir in ancestors(rel) {
            if !self.packages.contains(&dir) || !is_within(&dir, &project) {
                break;
            }
            outer = Some(dir);
        }
        outer
    }
}

/// Parses the source the walk left pending, on every core. Once a project
/// is known to be a framework (it defines models in
/// [`FRAMEWORK_MIN_FILES`] files), its packages' other files are not
/// parsed: they would only be noted as its library code. A file with a
/// `__main__` guard still is, since a program that trains is a system.
/// Returns the projects that are frameworks.
fn parse_pending(looked: &mut [Looked], layout: &Layout, table: &Table) -> BTreeSet<String> {
    let places: Vec<Option<(String, bool)>> = looked
        .iter()
        .map(|l| {
            l.pending.as_ref()?;
            if !l.included && layout.copy_of(&l.rel).is_some() {
                return None;
            }
            Some((
                layout.project_of(&l.rel),
                layout.package_of(&l.rel).is_some(),
            ))
        })
        .collect();
    let counters: HashMap<String, AtomicUsize> = places
        .iter()
        .flatten()
        .map(|(p, _)| (p.clone(), AtomicUsize::new(0)))
        .collect();
    // Parsed on threads whose stacks hold the deepest syntax trees the
    // parser lets through; without such a pool, on this thread.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(evidence::BIG_STACK)
        .start_handler(|_| evidence::mark_big_stack())
        .build();
    let mut parse_all = || {
        looked
            .par_iter_mut()
            .zip(places.par_iter())
            .for_each(|(l, place)| {
                let Some((project, in_package)) = place else {
                    return;
                };
                let Some(pending) = l.pending.as_ref() else {
                    return;
                };
                let count = counters.get(project);
                let known_framework =
                    count.is_some_and(|c| c.load(Ordering::Relaxed) >= FRAMEWORK_MIN_FILES);
                let program =
                    l.rel.ends_with("__main__.py") || contains(&pending.bytes, b"__main__");
                if *in_package && known_framework && !program {
                    return;
                }
                let found = evidence::scan_bytes(
                    &l.rel,
                    pending.kind,
                    &pending.bytes,
                    table,
                    evidence::PARSE_BUDGET,
                );
                if let (Some(e), Some(c)) = (&found, count) {
                    if e.model_classes > 0 {
                        c.fetch_add(1, Ordering::Relaxed);
                    }
                }
                l.evidence = found;
            })
    };
    match pool {
        Ok(pool) => pool.install(parse_all),
        Err(_) => parse_all(),
    }
    for l in looked.iter_mut() {
        l.pending = None;
    }
    counters
        .into_iter()
        .filter(|(_, c)| c.load(Ordering::Relaxed) >= FRAMEWORK_MIN_FILES)
        .map(|(p, _)| p)
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

struct Card {
    rel: String,
    /// The directory it covers when it declares no code.
    dir: String,
    /// The code it declares, when it does.
    code: Option<PathGlobs>,
    id: String,
}

pub fn assemble(
    root: &Path,
    config: &Config,
    seen: Seen,
    code_of: CodeOf<'_>,
    table: &Table,
) -> Result<Discovery> {
    let Seen {
        mut looked,
        mut hidden,
        nested_git,
        pass_over_copies,
    } = seen;
    let layout = Layout::of(&looked, &nested_git, pass_over_copies, table);
    let frameworks = parse_pending(&mut looked, &layout, table);

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

    let mut card_files: Vec<String> = Vec::new();
    let mut ml: BTreeMap<String, FileEvidence> = BTreeMap::new();
    let mut artifacts: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let mut library_files: Vec<(String, String)> = Vec::new();
    for l in looked {
        if let Some((dir, zone)) = &l.quiet {
            if l.quiet_ml {
                note(dir, *zone, None, &l.rel);
            }
            continue;
        }
        if let Some(copy) = layout.copy_of(&l.rel).filter(|_| !l.included) {
            let strong_artifact = l.artifact.as_ref().is_some_and(|(_, s)| *s);
            if l.card || l.likely_ml || l.declared || strong_artifact {
                note(&copy, Zone::Copy, layout.copies.get(&copy).cloned(), &l.rel);
            }
            continue;
        }
        if l.card {
            card_files.push(l.rel.clone());
        }
        if let Some(a) = l.artifact {
            artifacts.insert(l.rel.clone(), a);
        }
        let project = layout.project_of(&l.rel);
        let library = frameworks
            .contains(&project)
            .then(|| layout.package_of(&l.rel))
            .flatten();
        let mut found = l.evidence;
        if l.declared {
            found
                .get_or_insert_with(|| FileEvidence {
                    file: l.rel.clone(),
                    ..FileEvidence::default()
                })
                .declared = true;
        }
        if let Some(why) = found.as_ref().and_then(|e| e.unread.clone()) {
            note(&parent_dir(&l.rel), Zone::Unread, Some(why), &l.rel);
            continue;
        }
        match (library, found) {
            // A framework's library code, unless a program of its own that
            // trains (the same for every run, parsed or not: see parse_pending).
            (Some(package), found) => {
                let program = found
                    .as_ref()
                    .is_some_and(|e| e.trains_as_a_program() && !e.declared);
                match found {
                    Some(e) if program || e.declared => {
                        ml.insert(l.rel.clone(), e);
                    }
                    _ if l.likely_ml => library_files.push((package, l.rel.clone())),
                    _ => {}
                }
            }
            (None, Some(e)) if e.is_strong() => {
                ml.insert(l.rel.clone(), e);
            }
            _ => {}
        }
    }
    for (package, rel) in &library_files {
        note(
            package,
            Zone::Framework,
            Some(format!(
                "its project defines models in {FRAMEWORK_MIN_FILES} files or more"
            )),
            rel,
        );
    }

    // What counts as ML code beside the code: artifacts that stand alone,
    // and `.bin`/`.pkl`-like files or a `config.json` beside other evidence.
    let strong_dirs: BTreeSet<String> = ml
        .keys()
        .map(|r| parent_dir(r))
        .chain(
            artifacts
                .iter()
                .filter(|(_, (_, s))| *s)
                .map(|(r, _)| parent_dir(r)),
        )
        .collect();
    let weights_dirs: BTreeSet<String> = artifacts.keys().map(|r| parent_dir(r)).collect();
    for (rel, (what, strong)) in &artifacts {
        let dir = parent_dir(rel);
        if *strong || strong_dirs.contains(&dir) || layout.hf_configs.contains(&dir) {
            ml.entry(rel.clone())
                .or_insert_with(|| FileEvidence {
                    file: rel.clone(),
                    ..FileEvidence::default()
                })
                .artifact = Some(what.clone());
        }
    }
    for dir in layout.hf_configs.intersection(&weights_dirs) {
        let rel = join(dir, "config.json");
        ml.entry(rel.clone()).or_insert_with(|| FileEvidence {
            file: rel,
            artifact: Some("a Hugging Face model directory".into()),
            ..FileEvidence::default()
        });
    }

    let cards = cards_of(root, config, card_files, code_of)?;
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
        let owners = covering(&rel);
        if owners.is_empty() {
            uncovered
                .entry(layout.project_of(&rel))
                .or_default()
                .push(e);
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
            .filter(|e| e.calls.iter().any(|c| c.kind == CallKind::Training))
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

/// The cards found and declared, each with the code it covers and its id:
/// the directory it covers when it is the only card covering it, else its
/// own path.
fn cards_of(
    root: &Path,
    config: &Config,
    card_files: Vec<String>,
    code_of: CodeOf<'_>,
) -> Result<Vec<Card>> {
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
    for rel in card_files {
        if declared_cards.contains(&rel) {
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
    Ok(cards)
}
