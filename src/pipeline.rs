//! The gate end to end: discover, load, evaluate, and hand findings to a report.

use crate::config::{Config, Location};
use crate::discover::{self, changes};
use crate::error::{Error, Result};
use crate::evaluate::{baseline, input, metadata::RuleMeta, policy, waivers, Pack};
use crate::finding::{Finding, Severity, Summary};
use crate::governance::{self, approval, Base};
use crate::load::{self, System};
use crate::tree::Tree;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub enum Scope {
    #[default]
    Full,
    Files(Vec<PathBuf>),
    Since(String),
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub roots: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub data: Vec<PathBuf>,
    pub no_builtin: bool,
    /// `YYYY-MM-DD`.
    pub now: String,
    pub scope: Scope,
    /// Keep each system's record in [`SystemSummary::record`] (the register
    /// and audit reports read it; a gate run does not need the memory).
    pub keep_records: bool,
    /// The least severity that fails the gate (`--fail-on`).
    pub fail_on: Severity,
    /// `--base REF`: governance inputs come from this revision (SPEC 10).
    pub base: Option<String>,
    /// Who can verify approvals of this change (the code host), under `--base`.
    pub verifier: Option<std::sync::Arc<approval::Verifier>>,
    /// What to do with the baseline (`--baseline FILE`, `[baseline] file`).
    pub baseline: BaselineUse,
    /// Run from a directory below the repository root with no path named:
    /// that directory, root-relative. Only what lies in it is reported, and
    /// files are named relative to it.
    pub within: Option<String>,
}

/// How a run treats the baseline file.
#[derive(Debug, Clone, Default)]
pub enum BaselineUse {
    /// Apply the file `--baseline` names, or `[baseline] file`, or
    /// `aimsgate-baseline.json` at the root when it exists.
    #[default]
    Apply,
    /// Apply this file (`--baseline FILE`); missing, it is a tool error.
    File(PathBuf),
    /// Do not apply it: record what it would hold (`aimsgate baseline`).
    Record(Option<PathBuf>),
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SystemSummary {
    pub id: String,
    pub card: String,
    pub name: Option<String>,
    pub tier: String,
    pub format: String,
    /// Ids of the catalog rules evaluated on this system (on for its tier, applicable).
    #[serde(skip)]
    pub rules: Vec<String>,
    /// The loaded record, linked documents grafted; positions are relative to
    /// `root` (see [`display_path`]). For the register and audit reports;
    /// empty unless [`Options::keep_records`].
    #[serde(skip)]
    pub record: crate::load::node::Node,
    /// Linked documents read, by record path: the file as findings name it.
    #[serde(skip)]
    pub documents: BTreeMap<String, String>,
    /// The scan root the system was found under, as given.
    #[serde(skip)]
    pub root: PathBuf,
    /// Its code and artifacts, and the models and providers they name.
    #[serde(skip)]
    pub code: Code,
}

/// The code of a system: its files (as findings name them) and its AI bill
/// of materials.
#[derive(Debug, Clone, Default)]
pub struct Code {
    pub files: Vec<String>,
    pub bom: crate::discover::bom::AiBom,
}

/// An AI system found in code with no card.
#[derive(Debug, Clone)]
pub struct UncardedSummary {
    /// Its project directory, as findings name it.
    pub dir: String,
    /// The card above it that does not cover it, when there is one.
    pub covered_by: Option<String>,
    pub code: Code,
}

/// A rule skipped because every control it serves is marked not applicable.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NotApplicable {
    pub rule: String,
    pub controls: Vec<String>,
    pub justification: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub catalog: BTreeMap<String, RuleMeta>,
    pub systems: Vec<SystemSummary>,
    pub not_applicable: Vec<NotApplicable>,
    /// Ids of the catalog rules evaluated once on the repository (e.g. model-card-missing).
    pub repository_rules: Vec<String>,
    /// Every waiver, risk acceptance and not_applicable, with its approval.
    pub exceptions: Vec<waivers::Exception>,
    /// The configuration each scan root ran with (under `--base`, the base revision's).
    pub configs: Vec<Config>,
    /// The least severity that fails the gate (`--fail-on`): reports that
    /// pass or fail items (JUnit test cases) follow it.
    pub fail_on: Severity,
    /// Under [`BaselineUse::Record`], what each scan root's baseline would hold.
    pub recorded: Vec<Recorded>,
    /// Whether a baseline was applied to the findings (SARIF then says of
    /// each result whether it is new).
    pub baseline_applied: bool,
    /// AI systems found in code with no card (in a scoped run, those the
    /// change touched).
    pub uncarded: Vec<UncardedSummary>,
}

/// What `aimsgate baseline` writes for one scan root.
#[derive(Debug)]
pub struct Recorded {
    pub root: PathBuf,
    /// The baseline file, root-relative.
    pub file: String,
    /// The file as it is now, when there is one.
    pub existing: Option<baseline::Baseline>,
    /// An entry for every finding a baseline may hold (root-relative).
    pub entries: Vec<baseline::Entry>,
    /// Each system's owner, by root-relative id, for new entries.
    pub owners: BTreeMap<String, String>,
}

/// The baseline file of one scan root: where, and what the change and the
/// base revision hold.
#[derive(Debug)]
struct BaselineFiles {
    /// Root-relative.
    file: String,
    /// The working tree's; `None` when the file does not exist there.
    head: Option<baseline::Baseline>,
    /// Under `--base`, the base revision's: `Some(None)` when it has none.
    base: Option<Option<baseline::Baseline>>,
}

impl BaselineFiles {
    /// Finds and reads the baseline; `None` when no baseline is in use (none
    /// named and no default file). A file named but missing, outside the
    /// repository, not a regular file, or malformed is a tool error.
    fn read(
        options: &Options,
        config: &Config,
        tree: &Tree,
        base: Option<&Base>,
    ) -> Result<Option<BaselineFiles>> {
        let root = tree.root();
        let named = match &options.baseline {
            BaselineUse::File(path) | BaselineUse::Record(Some(path)) => {
                Some((Location::of(root, path), path.display().to_string()))
            }
            BaselineUse::Apply | BaselineUse::Record(None) => config
                .baseline
                .file
                .as_ref()
                .map(|f| (config.locate(root, f), format!("[baseline] file {f:?}"))),
        };
        let (file, explicit) = match named {
            Some((Location::Repo(rel), _)) => (rel, true),
            Some((Location::Disk(_), what)) => {
                return Err(Error::Usage(format!(
                    "{what}: the baseline must be a file inside the repository"
                )))
            }
            None => (baseline::DEFAULT_FILE.to_string(), false),
        };
        let head = read_baseline(tree, &file)?;
        let base = match base {
            Some(b) => Some(read_baseline(&b.tree, &file)?),
            None => None,
        };
        let recording = matches!(options.baseline, BaselineUse::Record(_));
        if head.is_none() && base.is_none() {
            if explicit && !recording {
                return Err(Error::Usage(format!(
                    "baseline {file} does not exist: write it with `aimsgate baseline`"
                )));
            }
            if !recording {
                return Ok(None);
            }
        }
        Ok(Some(BaselineFiles { file, head, base }))
    }

    /// The entries this run honours. Without `--base`, the change's file.
    /// Under `--base`, only the entries the base already holds (removing
    /// entries takes effect at once), unless a governance approver's
    /// verified approval accepted every change the baseline's findings name.
    fn effective(&self, findings: &[Finding]) -> baseline::Baseline {
        let empty = baseline::Baseline::new("", Vec::new());
        let head = self.head.clone().unwrap_or(empty.clone());
        let Some(base) = &self.base else {
            return head;
        };
        let mut changes = findings
            .iter()
            .filter(|f| f.rule == approval::RULE && f.file == self.file)
            .peekable();
        let approved = changes.peek().is_some() && changes.all(|f| f.waived);
        if approved {
            return head;
        }
        baseline::trusted(base.as_ref().unwrap_or(&empty), &head)
    }
}

/// The baseline at `rel` in `tree`, `None` when nothing is there.
fn read_baseline(tree: &Tree, rel: &str) -> Result<Option<baseline::Baseline>> {
    let shown = crate::tree::describe(tree, rel);
    match tree.probe(rel) {
        Ok(false) => Ok(None),
        Err(why) => Err(Error::Usage(format!("baseline {shown}: {why}"))),
        Ok(true) => {
            let limits = load::format::Limits::default();
            let text = tree
                .read_text(rel, &limits)
                .map_err(|e| Error::Usage(format!("baseline {shown}: {}", e.message)))?;
            baseline::Baseline::parse(&text, &shown, &limits).map(Some)
        }
    }
}

/// Each system's owner name, by root-relative id (records kept only).
fn owners(systems: &[SystemSummary], shown: &Shown) -> BTreeMap<String, String> {
    systems
        .iter()
        .filter_map(|s| {
            let name = crate::audit::Facts::of(s).owner.name?;
            let id = shown.root_relative(&s.id)?;
            Some((id.to_string(), name))
        })
        .collect()
}

impl Outcome {
    /// Whether `finding` fails the gate: not waived, at or above `fail_on`.
    pub fn fails(&self, finding: &Finding) -> bool {
        !finding.excused() && finding.severity >= self.fail_on
    }

    pub fn failing(&self) -> bool {
        self.findings.iter().any(|f| self.fails(f))
    }
}

/// A root's configuration, the systems found, and the ML files without a card
/// in scope. Systems are loaded one by one ([`Prepared::load`]) by the stage
/// that uses them.
struct Prepared {
    /// The configuration the run obeys: the working tree's, or under
    /// `--base` the base revision's.
    config: Config,
    /// The working tree: what the change holds.
    tree: Tree,
    /// Where governance inputs (configuration, policies, data) are read:
    /// the working tree, or the base revision.
    rules_tree: Tree,
    /// Under `--base`: the base revision, its systems and the change.
    base: Option<Base>,
    /// Under `--base`: `input.governance` of the repository document.
    governance: Option<serde_json::Value>,
    sources: Vec<discover::SystemSource>,
    /// The directory each system's card covers, for the scope's ownership test.
    dirs: BTreeMap<String, ()>,
    /// Code with evidence and no card (in a scoped run, what the change touched).
    uncarded: Vec<discover::UncardedSystem>,
    /// See [`discover::Discovery::skipped`]; in a scoped run, those the change touched.
    skipped_files: Vec<discover::Skipped>,
    /// The baseline file, as the change and (under `--base`) the base have it.
    baseline: Option<BaselineFiles>,
    /// The files the change touched, when known (a scope, or `--base`).
    changed: Option<BTreeSet<String>>,
    /// Whether only the systems `changed` touches are evaluated.
    scoped: bool,
    /// See [`Options::within`]: only systems in it are evaluated.
    within: Option<String>,
    /// A changed configuration or policy can change the verdict of every
    /// system, so it scopes the run to all of them.
    rules_changed: bool,
    limits: load::format::Limits,
    /// Shared by every system's load in this root.
    cache: load::RunCache,
    deadline: std::time::Instant,
    /// Ends the run's watchdog when dropped (see [`watchdog`]).
    _watchdog: std::sync::mpsc::Sender<()>,
}

/// A system as the change holds it, and as it was at the base revision.
struct Loaded {
    system: System,
    /// Under `--base`: the same system at REF; `None` inside when it is new.
    base: Option<Option<System>>,
}

impl Prepared {
    fn repository(&self) -> input::Repository<'_> {
        input::Repository {
            uncarded: &self.uncarded,
            skipped: &self.skipped_files,
        }
    }

    /// The system read from `source`; `None` when it is out of the run's scope.
    fn load(&self, source: &discover::SystemSource) -> Result<Option<Loaded>> {
        if std::time::Instant::now() > self.deadline {
            return Err(self.config.limits.run_timeout_error());
        }
        if let Some(within) = &self.within {
            if !discover::is_within(&source.dir, within)
                && !discover::is_within(&source.card, within)
            {
                return Ok(None);
            }
        }
        let system = load::load_system(&self.tree, source.clone(), &self.limits, &self.cache);
        let in_scope = match self
            .changed
            .as_ref()
            .filter(|_| self.scoped && !self.rules_changed)
        {
            None => true,
            Some(changed) => {
                system
                    .files
                    .iter()
                    .chain(&system.source.ml_files)
                    .any(|f| changed.contains(f))
                    || changed.iter().any(|f| {
                        discover::owner_of(f, &self.dirs).as_deref()
                            == Some(system.source.dir.as_str())
                    })
            }
        };
        if !in_scope {
            return Ok(None);
        }
        let base = self
            .base
            .as_ref()
            .map(|b| b.load(&system.source.id, &self.limits));
        Ok(Some(Loaded { system, base }))
    }

    fn context<'a>(
        &'a self,
        options: &'a Options,
        params: &'a serde_json::Map<String, serde_json::Value>,
    ) -> input::Context<'a> {
        input::Context {
            now: &options.now,
            params,
            changed: self.changed.as_ref(),
            base: self.base.as_ref().map(|b| b.commit()),
            governance: self.governance.as_ref(),
        }
    }
}

/// Stops the process with a tool error (exit 2) when the run is still going
/// a moment past its deadline: the backstop for work that no cooperative
/// check interrupts (a read that blocks, a builtin that runs long). Dropping
/// the returned sender ends the watchdog.
fn watchdog(
    limits: &crate::config::LimitsConfig,
    started: std::time::Instant,
) -> std::sync::mpsc::Sender<()> {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    // The cooperative checks report first, with the same words, when they can.
    let at = limits.deadline(started) + Duration::from_millis(500);
    let why = crate::report::escape::terminal(&limits.run_timeout_error().to_string(), false);
    std::thread::spawn(move || {
        let wait = at.saturating_duration_since(std::time::Instant::now());
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(wait) {
            eprintln!("aimsgate: error: {why}");
            std::process::exit(2);
        }
    });
    tx
}

fn prepare(
    root: &std::path::Path,
    options: &Options,
    started: std::time::Instant,
) -> Result<Prepared> {
    let tree = Tree::work(root)?;
    let base_tree = match &options.base {
        Some(rev) => Some(governance::open(tree.root(), rev)?),
        None => None,
    };
    let rules_tree = base_tree.clone().unwrap_or_else(|| tree.clone());
    let config = Config::load(options.config.as_deref(), &rules_tree)?;
    let deadline = config.limits.deadline(started);
    let guard = watchdog(&config.limits, started);
    let walk = discover::Walk {
        deadline: Some(deadline),
        // Under --base no ignore file, hidden or vendored directory hides
        // what git tracks: only the trusted [discovery] exclude does.
        tracked: if base_tree.is_some() {
            changes::tracked(tree.root())?
        } else {
            Vec::new()
        },
        below: options.within.clone(),
    };
    let code_of = |card: &str| load::declared_code(&tree, card, &config.limits.parser_limits());
    let found = discover::discover_until(&tree, &config, &walk, &code_of)?;
    let base = match base_tree {
        Some(base_tree) => Some(Base::new(base_tree, &config, &found)?),
        None => None,
    };
    let limits = config.limits.parser_limits();
    let from_base = || -> Option<BTreeSet<String>> {
        let b = base.as_ref()?;
        let mut files = BTreeSet::new();
        for c in &b.changes {
            files.extend(c.from.clone());
            files.insert(c.path.clone());
        }
        Some(files)
    };
    let (changed, scoped) = match &options.scope {
        Scope::Full => (from_base(), false),
        Scope::Files(files) => (Some(discover::changed_set(&found.root, files)), true),
        Scope::Since(since) => (Some(changes::changed_since(&found.root, since)?), true),
    };
    let rules_changed = changed.as_ref().is_some_and(|c| {
        c.iter()
            .any(|f| f == crate::config::FILE_NAME || f.ends_with(".rego"))
    });
    let mut uncarded = found.uncarded.clone();
    if let Some(changed) = changed.as_ref().filter(|_| scoped && !rules_changed) {
        // A card deleted in the change leaves its ML code without one: that
        // code is in scope even though it did not change itself.
        let cards = discover::card_globs(&config)?;
        let deleted_cards: Vec<String> = changed
            .iter()
            .filter(|f| cards.is_match(f.as_str()) && !tree.is_file(f))
            .map(|f| crate::tree::parent_dir(f))
            .collect();
        uncarded.retain(|system| {
            system.files.iter().any(|e| {
                changed.contains(&e.file)
                    || deleted_cards
                        .iter()
                        .any(|d| discover::is_within(&e.file, d))
            })
        });
    }
    if let Some(within) = &options.within {
        uncarded.retain(|u| {
            discover::is_within(&u.dir, within)
                || u.files.iter().any(|f| discover::is_within(&f.file, within))
        });
    }
    let mut skipped_files = found.skipped.clone();
    if let Some(within) = &options.within {
        skipped_files.retain(|s| {
            discover::is_within(&s.dir, within)
                || s.files.iter().any(|f| discover::is_within(f, within))
        });
    }
    if let Some(changed) = changed.as_ref().filter(|_| scoped && !rules_changed) {
        skipped_files.retain(|s| s.files.iter().any(|f| changed.contains(f)));
    }
    let baseline = BaselineFiles::read(options, &config, &tree, base.as_ref())?;
    let governance = base.as_ref().map(|b| {
        let config_file = options
            .config
            .as_deref()
            .map(|p| Location::of(tree.root(), p));
        let mut files = governance::GovernanceFiles::new(
            tree.root(),
            config_file.as_ref(),
            &config,
            &options.policies,
            &options.data,
        );
        if let Some(baseline) = &baseline {
            files.add(&baseline.file, "baseline");
        }
        b.facts(&tree, &found, &files)
    });
    Ok(Prepared {
        config,
        tree,
        rules_tree,
        base,
        governance,
        dirs: found.systems.iter().map(|s| (s.dir.clone(), ())).collect(),
        sources: found.systems,
        uncarded,
        skipped_files,
        baseline,
        changed,
        scoped: scoped || options.within.is_some(),
        within: options.within.clone(),
        rules_changed,
        limits,
        cache: load::RunCache::default(),
        deadline,
        _watchdog: guard,
    })
}

fn params(config: &Config) -> serde_json::Map<String, serde_json::Value> {
    let mut params = input::default_params();
    for (k, v) in &config.params {
        params.insert(k.clone(), v.clone());
    }
    params
}

/// The policies and data `config` and the command line name, read through
/// `tree` where they lie inside the repository.
pub fn compile(options: &Options, config: &Config, tree: &Tree) -> Result<Pack> {
    let root = tree.root();
    let mut sources = Vec::new();
    if config.policies.builtin && !options.no_builtin {
        sources.extend(policy::builtin());
    }
    let named = config.policies.paths.iter().map(|p| config.locate(root, p));
    let given = options.policies.iter().map(|p| Location::of(root, p));
    for location in named.chain(given) {
        sources.extend(policy::from_location(tree, &location)?);
    }
    let mut data = Vec::new();
    let named = config.policies.data.iter().map(|p| config.locate(root, p));
    let given = options.data.iter().map(|p| Location::of(root, p));
    for location in named.chain(given) {
        data.push(policy::data_at(tree, &location)?);
    }
    let mut pack = Pack::compile(
        &sources,
        &data,
        Duration::from_millis(config.limits.eval_timeout_ms),
    )?;
    let catalog = pack.catalog();
    let rules: BTreeSet<String> = catalog.keys().cloned().collect();
    let controls: BTreeSet<String> = catalog
        .values()
        .flat_map(|m| m.controls.iter().cloned())
        .chain(crate::audit::controls::annex_a())
        .collect();
    config.check_names(&rules, &controls)?;
    pack.overrides = config.rules.clone();
    Ok(pack)
}

pub fn check(options: &Options) -> Result<Outcome> {
    let mut findings = Vec::new();
    let mut systems_out = Vec::new();
    let mut catalog = BTreeMap::new();
    let mut not_applicable_out = Vec::new();
    let mut repository_rules: Vec<String> = Vec::new();
    let mut exceptions = Vec::new();
    let mut configs = Vec::new();
    let mut recorded = Vec::new();
    let mut baseline_applied = false;
    let mut uncarded_out = Vec::new();
    let started = std::time::Instant::now();
    for root in roots(options) {
        let prepared = prepare(&root, options, started)?;
        let mut pack = compile(options, &prepared.config, &prepared.rules_tree)?;
        pack.deadline = Some((
            prepared.config.limits.deadline(started),
            prepared.config.limits.run_timeout_error().to_string(),
        ));
        let shown = Shown::of(&root, options.within.as_deref());
        let params = params(&prepared.config);
        let ctx = prepared.context(options, &params);
        let params_value = regorus::Value::from(serde_json::Value::Object(params.clone()));
        let skipped = not_applicable(&pack.catalog(), &prepared.config);
        // governance-change compares with a base revision: without one it
        // checks nothing, so no output claims it was evaluated.
        let under_base = prepared.base.is_some();
        let rules_for = |pack: &Pack, repository: bool, tier: &str, skipped: &[NotApplicable]| {
            let mut ids = rules_for(pack, repository, tier, skipped);
            if !under_base {
                ids.retain(|id| id != approval::RULE);
            }
            ids
        };
        let rules_by_tier: BTreeMap<&str, Vec<String>> = load::TIERS
            .iter()
            .map(|tier| (*tier, rules_for(&pack, false, tier, &skipped)))
            .collect();
        let keep_records = options.keep_records;
        let judged = pack.evaluate_each(&prepared.sources, |evaluator, source| {
            let Some(Loaded { system, base }) = prepared.load(source)? else {
                return Ok(None);
            };
            let base = base.as_ref().map(Option::as_ref);
            let mut findings =
                evaluator.evaluate(input::for_system(&system, &ctx, &params_value, base))?;
            // A card that does not parse fails the gate through card-invalid;
            // the other rules would only repeat that every key is missing.
            let unreadable = system
                .problems
                .iter()
                .any(|p| p.file == system.source.card && p.field.is_none());
            if unreadable {
                findings.retain(|f| f.rule == "card-invalid" || f.rule == approval::RULE);
            }
            let waivers = waivers::from_record(&system.record, &system.source.id);
            let summary = SystemSummary {
                id: shown.path(&system.source.id),
                card: shown.path(&system.source.card),
                name: system
                    .record
                    .get("name")
                    .and_then(|n| n.as_str())
                    .map(str::to_string),
                tier: system.tier.to_string(),
                format: system.format.to_string(),
                rules: if unreadable {
                    vec!["card-invalid".to_string()]
                } else {
                    rules_by_tier
                        .get(system.tier)
                        .cloned()
                        .unwrap_or_else(|| rules_for(&pack, false, system.tier, &skipped))
                },
                documents: system
                    .documents
                    .iter()
                    .map(|(k, d)| (k.clone(), shown.path(&d.file)))
                    .collect(),
                code: Code {
                    files: system
                        .source
                        .ml_files
                        .iter()
                        .map(|f| shown.path(f))
                        .collect(),
                    bom: system.source.bom().renamed(|f| shown.path(f)),
                },
                record: if keep_records {
                    system.record
                } else {
                    load::node::Node::object(system.record.pos.clone())
                },
                root: root.clone(),
            };
            Ok(Some((findings, waivers, summary)))
        })?;
        let systems_before = systems_out.len();
        let mut root_findings: Vec<Finding> = Vec::new();
        let mut waivers: Vec<waivers::Waiver> = Vec::new();
        for (findings, record_waivers, summary) in judged.into_iter().flatten() {
            root_findings.extend(findings);
            waivers.extend(record_waivers);
            systems_out.push(summary);
        }
        root_findings
            .extend(pack.evaluate_repository(&input::for_repository(prepared.repository(), &ctx))?);
        uncarded_out.extend(prepared.uncarded.iter().map(|u| UncardedSummary {
            dir: shown.path(&u.dir),
            covered_by: u.covered_by.as_ref().map(|c| shown.path(c)),
            code: Code {
                files: u.file_names().iter().map(|f| shown.path(f)).collect(),
                bom: u.bom().renamed(|f| shown.path(f)),
            },
        }));

        root_findings.retain(|f| !skipped.iter().any(|s| s.rule == f.rule));
        for s in &skipped {
            if !not_applicable_out.contains(s) {
                not_applicable_out.push(s.clone());
            }
        }
        for id in rules_for(&pack, true, "high", &skipped) {
            if !repository_rules.contains(&id) {
                repository_rules.push(id);
            }
        }

        let config_name = match &options.config {
            Some(path) => path.to_string_lossy().into_owned(),
            None => shown.path(crate::config::FILE_NAME),
        };
        waivers.extend(prepared.config.waivers(&config_name));
        if let Some(base) = &prepared.base {
            let unavailable;
            let verifier = match &options.verifier {
                Some(v) => v.as_ref(),
                None => {
                    unavailable = approval::Verifier::unavailable(
                        "this run is not for a pull request or merge request",
                    );
                    &unavailable
                }
            };
            let codeowners = base.codeowners();
            approval::Settlement {
                governance: &prepared.config.governance,
                verifier,
                codeowners: &codeowners,
                prefix: base.prefix(),
            }
            .settle(&mut root_findings, &mut waivers);
        }
        let bounds = waivers::Bounds {
            now: &options.now,
            max_days: params
                .get("max_waiver_days")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(waivers::MAX_WAIVER_DAYS),
        };
        for w in &mut waivers {
            w.validate(bounds);
        }
        let (mut waiver_findings, counts) =
            waivers::apply(&waivers, &mut root_findings, &|f| f.file.clone());
        if let Some(files) = &prepared.baseline {
            match &options.baseline {
                BaselineUse::Record(_) => recorded.push(Recorded {
                    root: root.clone(),
                    file: files.file.clone(),
                    existing: files.head.clone(),
                    entries: root_findings
                        .iter()
                        .filter(|f| baseline::holdable(f))
                        .map(baseline::Entry::of)
                        .collect(),
                    owners: owners(&systems_out[systems_before..], &shown),
                }),
                _ => {
                    baseline_applied = true;
                    let effective = files.effective(&root_findings);
                    let apply = baseline::Apply {
                        baseline: &effective,
                        file: &files.file,
                        now: &options.now,
                        judge_stale: !prepared.scoped,
                    };
                    waiver_findings.extend(apply.apply(&mut root_findings));
                }
            }
        }
        for (w, waived) in waivers.iter().zip(counts) {
            let mut e = waivers::Exception::of_waiver(w, waived);
            if w.system.is_some() {
                e.scope = shown.path(&e.scope);
                e.file = shown.path(&e.file);
            }
            exceptions.push(e);
        }
        for f in &root_findings {
            if let Some(mut e) = waivers::Exception::of_finding(f) {
                e.scope = shown.path(&e.scope);
                e.file = shown.path(&e.file);
                exceptions.push(e);
            }
        }
        for mut f in root_findings.into_iter().chain(waiver_findings) {
            // Config waivers already carry the config file's displayed name.
            if f.system.is_some() || f.rule != waivers::RULE {
                f.file = shown.path(&f.file);
            }
            f.system = f.system.as_deref().map(|id| shown.path(id));
            findings.push(f);
        }
        let mut rules = pack.catalog();
        if !under_base {
            rules.remove(approval::RULE);
        }
        catalog.extend(rules);
        configs.push(prepared.config);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
    let summary = Summary::tally(systems_out.len(), &findings);
    Ok(Outcome {
        findings,
        summary,
        catalog,
        systems: systems_out,
        not_applicable: not_applicable_out,
        repository_rules,
        exceptions,
        configs,
        fail_on: options.fail_on,
        recorded,
        baseline_applied,
        uncarded: uncarded_out,
    })
}

/// The catalog rules evaluated on a subject of `tier`: on for it (after the
/// configuration's overrides) and not marked not applicable.
fn rules_for(pack: &Pack, repository: bool, tier: &str, skipped: &[NotApplicable]) -> Vec<String> {
    let catalog = pack.catalog();
    pack.rule_ids(repository)
        .into_iter()
        .filter(|id| {
            let on = match pack.overrides.get(id) {
                Some(o) => o.severity != "off",
                None => catalog.get(id).and_then(|m| m.severity_for(tier)) != Some(None),
            };
            on && !skipped.iter().any(|s| &s.rule == id)
        })
        .collect()
}

/// Rules every one of whose controls the configuration marks not applicable.
fn not_applicable(catalog: &BTreeMap<String, RuleMeta>, config: &Config) -> Vec<NotApplicable> {
    let excluded = config.excluded_controls();
    if excluded.is_empty() {
        return Vec::new();
    }
    catalog
        .values()
        .filter(|m| !waivers::NOT_WAIVABLE.contains(&m.id.as_str()))
        .filter(|m| !m.controls.is_empty() && m.controls.iter().all(|c| excluded.contains_key(c)))
        .map(|m| NotApplicable {
            rule: m.id.clone(),
            controls: m.controls.clone(),
            justification: m
                .controls
                .iter()
                .filter_map(|c| excluded.get(c))
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect()
}

/// The input document of every system in scope, as policies see it.
pub fn inspect(options: &Options) -> Result<Vec<serde_json::Value>> {
    let mut out = Vec::new();
    let started = std::time::Instant::now();
    for root in roots(options) {
        let prepared = prepare(&root, options, started)?;
        let params = params(&prepared.config);
        let ctx = prepared.context(options, &params);
        let inputs: Vec<Option<serde_json::Value>> = prepared
            .sources
            .par_iter()
            .map(|source| {
                let loaded = prepared.load(source)?;
                Ok(loaded.map(|l| {
                    let base = l.base.as_ref().map(Option::as_ref);
                    input::document(&l.system, &ctx, base)
                }))
            })
            .collect::<Result<_>>()?;
        out.extend(inputs.into_iter().flatten());
        out.push(input::repository_document(prepared.repository(), &ctx));
    }
    Ok(out)
}

/// How findings name files: the way the user named the scan root, as
/// ripgrep does (`aimsgate check examples` reports `examples/...`), or, run
/// from a directory below the repository root, relative to that directory.
#[derive(Debug, Clone)]
struct Shown {
    prefix: String,
    below: Option<String>,
}

impl Shown {
    fn of(root: &std::path::Path, below: Option<&str>) -> Shown {
        let text = root.to_string_lossy().replace('\\', "/");
        let trimmed = text.trim_start_matches("./").trim_end_matches('/');
        let prefix = if trimmed == "." || trimmed.is_empty() {
            String::new()
        } else {
            trimmed.to_string()
        };
        Shown {
            prefix,
            below: below.filter(|b| *b != ".").map(str::to_string),
        }
    }

    fn path(&self, rel: &str) -> String {
        let Some(below) = &self.below else {
            return prefixed(&self.prefix, rel);
        };
        if rel == below {
            return ".".into();
        }
        if let Some(inside) = rel
            .strip_prefix(below.as_str())
            .and_then(|r| r.strip_prefix('/'))
        {
            return inside.to_string();
        }
        // Up to the directory both are in, then down.
        let from: Vec<&str> = below.split('/').collect();
        let to: Vec<&str> = if rel == "." {
            Vec::new()
        } else {
            rel.split('/').collect()
        };
        let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
        let mut parts: Vec<&str> = vec![".."; from.len() - common];
        parts.extend(&to[common..]);
        parts.join("/")
    }

    /// The root-relative form of a path this names.
    fn root_relative<'a>(&self, shown: &'a str) -> Option<&'a str> {
        match (&self.below, self.prefix.is_empty()) {
            (Some(_), _) => None,
            (None, true) => Some(shown),
            (None, false) if shown == self.prefix => Some("."),
            (None, false) => shown.strip_prefix(self.prefix.as_str())?.strip_prefix('/'),
        }
    }
}

/// A root-relative path (as record positions carry it) as findings name it.
pub fn display_path(root: &std::path::Path, rel: &str) -> String {
    Shown::of(root, None).path(rel)
}

fn prefixed(prefix: &str, rel: &str) -> String {
    match (prefix.is_empty(), rel) {
        (true, _) => rel.to_string(),
        (false, ".") => prefix.to_string(),
        (false, _) => format!("{prefix}/{rel}"),
    }
}

/// The repository root above `dir`: the nearest directory holding
/// `aimsgate.toml`, else the nearest holding `.git`; `None` when neither
/// is above it.
pub fn repository_root(dir: &std::path::Path) -> Option<PathBuf> {
    let dir = dir.canonicalize().ok()?;
    let marked = |name: &str| {
        dir.ancestors()
            .find(|d| d.join(name).exists())
            .map(|d| d.to_path_buf())
    };
    marked(crate::config::FILE_NAME).or_else(|| marked(".git"))
}

fn roots(options: &Options) -> Vec<PathBuf> {
    if options.roots.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.roots.clone()
    }
}

/// Today in UTC as `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Checks a `--now` value: an ISO date with a real month and day.
pub fn parse_date(s: &str) -> Result<String> {
    let bad = || Error::Usage(format!("--now {s:?} is not a date (YYYY-MM-DD)"));
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d): (u32, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days_in_month {
        return Err(bad());
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_786), (2026, 11, 29));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn now_must_be_a_real_date() {
        assert!(parse_date("2026-02-29").is_err());
        assert!(parse_date("2028-02-29").is_ok());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("26-01-01").is_err());
        assert!(parse_date("2026-01-01").is_ok());
    }
}
