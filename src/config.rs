//! `aimsgate.toml`: what to scan, which policies, their parameters, and justified overrides.

use crate::error::{Error, Result};
use crate::glob::{Case, PathGlobs, Reach};
use crate::load::format::Limits;
use crate::tree::Tree;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "aimsgate.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub discovery: Discovery,
    #[serde(default)]
    pub systems: Vec<DeclaredSystem>,
    #[serde(default)]
    pub policies: Policies,
    /// Free-form values handed to policies as `input.params`, over the built-in defaults.
    #[serde(default)]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Per-rule overrides, each with the reason an auditor will ask for.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleOverride>,
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Exceptions for findings in matching files, each approved and dated.
    #[serde(default)]
    pub waivers: Vec<toml::Spanned<ConfigWaiver>>,
    /// The Statement of Applicability: controls marked not applicable, with why.
    #[serde(default)]
    pub controls: BTreeMap<String, ControlConfig>,
    /// Who may approve exceptions, and how approvals are verified.
    #[serde(default)]
    pub governance: Governance,
    /// The legacy findings a phased adoption has not fixed yet.
    #[serde(default)]
    pub baseline: BaselineConfig,
    /// Where relative paths in this file are resolved from (the file's directory).
    #[serde(skip)]
    pub base: Location,
    /// The file this was read from, as messages name it, and its text (for
    /// the lines of waivers).
    #[serde(skip)]
    pub source: Option<(Location, String)>,
}

/// A file or directory a run reads: in the repository (read through its
/// [`Tree`], root-relative) or elsewhere on disk (a path the command line or
/// a configuration outside the repository names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Repo(String),
    Disk(PathBuf),
}

impl Default for Location {
    fn default() -> Self {
        Location::Repo(".".into())
    }
}

impl Location {
    /// `path` (as the command line gives it) inside the repository when it is.
    pub fn of(root: &Path, path: &Path) -> Location {
        match crate::tree::inside(root, path) {
            Some(rel) => Location::Repo(rel),
            None => Location::Disk(path.to_path_buf()),
        }
    }

    /// `value`, written in a file of this directory.
    pub fn join(&self, root: &Path, value: &str) -> Location {
        match self {
            Location::Repo(dir) => match crate::tree::lexical(dir, value) {
                Ok(rel) => Location::Repo(rel),
                Err(_) if value == "." || value.is_empty() => Location::Repo(dir.clone()),
                Err(_) => Location::of(root, &root.join(dir).join(value)),
            },
            Location::Disk(dir) => Location::of(root, &dir.join(value)),
        }
    }

    /// As messages name it.
    pub fn display(&self) -> String {
        match self {
            Location::Repo(rel) => rel.clone(),
            Location::Disk(path) => path.display().to_string(),
        }
    }

    fn parent(&self) -> Location {
        match self {
            Location::Repo(rel) => Location::Repo(crate::tree::parent_dir(rel)),
            Location::Disk(path) => Location::Disk(
                path.parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            ),
        }
    }

    /// The whole text of this file: through `tree` when in the repository.
    pub fn read_text(&self, tree: &Tree) -> Result<String> {
        let limits = Limits::default();
        match self {
            Location::Repo(rel) => tree.read_text(rel, &limits).map_err(|e| {
                Error::Usage(format!(
                    "{}: {}",
                    crate::tree::describe(tree, rel),
                    e.message
                ))
            }),
            Location::Disk(path) => std::fs::read_to_string(path).map_err(|e| Error::io(path, e)),
        }
    }
}

/// `[governance]`: whose approval makes an exception count (SPEC 10).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    /// GitHub or GitLab user names, or `@org/team` (GitLab: `@group/subgroup`).
    #[serde(default)]
    pub approvers: Vec<String>,
    /// `review` (default): a verified approving review; `codeowners`: trust
    /// branch protection with CODEOWNERS at the base revision.
    #[serde(default)]
    pub approval: ApprovalMode,
    /// Approvers of one rule's exceptions, instead of `approvers`.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleApprovers>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalMode {
    #[default]
    Review,
    Codeowners,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleApprovers {
    pub approvers: Vec<String>,
}

impl Governance {
    /// Who may approve an exception to `rule`.
    pub fn approvers_for(&self, rule: &str) -> &[String] {
        match self.rules.get(rule) {
            Some(r) if !r.approvers.is_empty() => &r.approvers,
            _ => &self.approvers,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigWaiver {
    pub rule: String,
    /// A glob over file paths relative to the scan root.
    pub path: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub approved_by: String,
    /// A TOML date (`2027-03-01`) or the same as a string.
    #[serde(default)]
    pub expires: Option<toml::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlConfig {
    pub applicable: bool,
    #[serde(default)]
    pub justification: String,
}

/// `alice`, or `@org/team` (GitLab: `@group/sub/group`), in the characters
/// GitHub and GitLab allow, so an entry can go into an API path.
pub fn valid_approver(s: &str) -> bool {
    let name = |part: &str| {
        !part.is_empty()
            && part.len() <= 255
            && part != "."
            && part != ".."
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    match s.strip_prefix('@') {
        Some(team) => {
            let parts: Vec<&str> = team.split('/').collect();
            parts.len() >= 2 && parts.iter().all(|p| name(p))
        }
        None => name(s),
    }
}

/// The id of `known` nearest to `id`, when one is near enough to be a typo.
fn closest<'a>(id: &str, known: &'a BTreeSet<String>) -> Option<&'a str> {
    known
        .iter()
        .map(|k| {
            (
                strsim::levenshtein(&id.to_lowercase(), &k.to_lowercase()),
                k,
            )
        })
        .filter(|(distance, k)| *distance <= (k.chars().count() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k.as_str())
}

/// `A.10.4` is shorthand for `iso42001:A.10.4`; other frameworks keep their prefix.
pub fn control_id(key: &str) -> String {
    if key.contains(':') {
        key.to_string()
    } else {
        format!("iso42001:{key}")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    /// Extra card globs, on top of the defaults.
    #[serde(default)]
    pub cards: Vec<String>,
    /// Extra ML-code globs, on top of the defaults.
    #[serde(default)]
    pub ml_code: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Paths that are the repository's own AI systems although a default
    /// would pass over them: a hidden or vendored directory, an example,
    /// test or docs directory, a nested copy of another project, or a
    /// framework's library code. Discovered and checked like any other.
    #[serde(default)]
    pub include: Vec<String>,
    /// Libraries, clients and calls to look for in code, on top of the
    /// built-in table (`src/discover/libraries.toml` has its shape).
    #[serde(default)]
    pub library: Vec<LibrarySpec>,
}

/// A library discovery looks for in code: an ML framework, a model runtime
/// or a hosted-model provider, and the calls that show what code does with it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibrarySpec {
    pub name: String,
    /// For hosted models: the supplier a model card must name.
    #[serde(default)]
    pub provider: Option<String>,
    /// Python modules and npm packages that bring the library in.
    #[serde(default)]
    pub imports: Vec<String>,
    /// Modules that bring the library in but alone say nothing of AI
    /// (`boto3` is all of AWS, not only Bedrock).
    #[serde(default)]
    pub weak_imports: Vec<String>,
    /// Distribution names in dependency manifests (PyPI, npm).
    #[serde(default)]
    pub packages: Vec<String>,
    #[serde(default)]
    pub calls: Vec<CallSpec>,
    /// Classes whose subclasses are models (`torch.nn.Module`): a package
    /// that defines many is a framework's library code.
    #[serde(default)]
    pub bases: Vec<String>,
}

/// Calls to a library that show what the code does with it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSpec {
    pub kind: CallKind,
    /// Globs over call paths (`openai.*().chat.completions.create`).
    #[serde(rename = "match")]
    pub patterns: Vec<String>,
    /// Where the call names its model: a keyword or property, or `#N`.
    #[serde(default)]
    pub model: Vec<String>,
    /// The call counts only with one of these literal arguments.
    #[serde(default)]
    pub when: Vec<String>,
    /// The supplier, when not the library's own provider.
    #[serde(default)]
    pub provider: Option<String>,
    /// The call counts in files that do not import the library.
    #[serde(default)]
    pub anywhere: bool,
    /// The call counts only without positional arguments (`loss.backward()`,
    /// not a custom operator's `backward(grad)`).
    #[serde(default)]
    pub bare: bool,
    /// `frameworks`: the call counts only in files that also import another
    /// library of the table (a `pickle.load` beside scikit-learn).
    #[serde(default)]
    pub only_with: Option<String>,
}

/// What a call shows the code does with a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CallKind {
    Training,
    Loading,
    Hosted,
    Saving,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineConfig {
    /// The baseline file, relative to this file (`aimsgate baseline` writes
    /// it; default `aimsgate-baseline.json` at the root, when it exists).
    pub file: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredSystem {
    pub path: String,
    pub card: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    #[serde(default = "yes")]
    pub builtin: bool,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub data: Vec<String>,
}

impl Default for Policies {
    fn default() -> Self {
        Policies {
            builtin: true,
            paths: Vec::new(),
            data: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    /// `error`, `warning`, `note` or `off`.
    pub severity: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    #[serde(default = "default_max_file_bytes")]
    pub max_file_bytes: u64,
    #[serde(default = "default_max_depth")]
    pub max_depth: usize,
    #[serde(default = "default_max_nodes")]
    pub max_nodes: usize,
    /// Wall-clock budget for evaluating one system's policies.
    #[serde(default = "default_eval_timeout_ms")]
    pub eval_timeout_ms: u64,
    /// Wall-clock budget for a whole run (discovery, loading, evaluation):
    /// past it the run stops with a tool error instead of running on.
    #[serde(default = "default_run_timeout_ms")]
    pub run_timeout_ms: u64,
    /// Most files discovery may walk under one scan root.
    #[serde(default = "default_max_files")]
    pub max_files: usize,
    /// Most AI systems one scan root may hold.
    #[serde(default = "default_max_systems")]
    pub max_systems: usize,
}

fn default_max_file_bytes() -> u64 {
    Limits::default().max_file_bytes
}
fn default_max_depth() -> usize {
    Limits::default().max_depth
}
fn default_max_nodes() -> usize {
    Limits::default().max_nodes
}
fn default_eval_timeout_ms() -> u64 {
    2_000
}
/// Five minutes: 60 times what 10,000 systems take on two cores (see
/// docs/performance.md), yet well inside a CI job's timeout, so a stuck run
/// says why instead of being killed silently.
fn default_run_timeout_ms() -> u64 {
    300_000
}
/// A million files: far beyond a monorepo's ML part (vendored and hidden
/// directories are never walked), bounding a walk into generated trees.
fn default_max_files() -> usize {
    1_000_000
}
/// 100,000 systems: ten times the largest benchmark, about 2 GB of records.
fn default_max_systems() -> usize {
    100_000
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_file_bytes: default_max_file_bytes(),
            max_depth: default_max_depth(),
            max_nodes: default_max_nodes(),
            eval_timeout_ms: default_eval_timeout_ms(),
            run_timeout_ms: default_run_timeout_ms(),
            max_files: default_max_files(),
            max_systems: default_max_systems(),
        }
    }
}

impl LimitsConfig {
    /// Each limit with the most a configuration may raise it to: enough for
    /// any real repository, not enough to hold a runner for hours or to
    /// parse a document that exhausts its memory or stack.
    pub fn caps(&self) -> [(&'static str, u64, u64); 7] {
        let n = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
        [
            ("max_file_bytes", self.max_file_bytes, 64 * 1024 * 1024),
            ("max_depth", n(self.max_depth), 512),
            ("max_nodes", n(self.max_nodes), 20_000_000),
            ("eval_timeout_ms", self.eval_timeout_ms, 60_000),
            ("run_timeout_ms", self.run_timeout_ms, 1_800_000),
            ("max_files", n(self.max_files), 10_000_000),
            ("max_systems", n(self.max_systems), 1_000_000),
        ]
    }

    pub fn parser_limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_depth: self.max_depth,
            max_nodes: self.max_nodes,
        }
    }

    /// When a run that began at `started` must be over.
    pub fn deadline(&self, started: std::time::Instant) -> std::time::Instant {
        started + std::time::Duration::from_millis(self.run_timeout_ms)
    }

    /// The tool error of a run past its deadline.
    pub fn run_timeout_error(&self) -> Error {
        Error::Usage(format!(
            "the run took longer than its budget ([limits] run_timeout_ms = {}); \
             raise it in aimsgate.toml or narrow the scan",
            self.run_timeout_ms
        ))
    }
}

impl Config {
    /// Reads `explicit`, or `aimsgate.toml` at the root of `tree` when it
    /// holds one, or the defaults. A file inside the repository is read
    /// through `tree`: under `--base`, the one at the base revision.
    pub fn load(explicit: Option<&Path>, tree: &Tree) -> Result<Config> {
        let location = match explicit {
            Some(p) => Location::of(tree.root(), p),
            None => {
                if !tree.is_file(FILE_NAME) {
                    return Ok(Config::default());
                }
                Location::Repo(FILE_NAME.into())
            }
        };
        let text = location.read_text(tree)?;
        let shown = match (&location, tree.commit()) {
            (Location::Repo(rel), Some(_)) => PathBuf::from(crate::tree::describe(tree, rel)),
            _ => PathBuf::from(location.display()),
        };
        Config::parse(&text, location, &shown)
    }

    /// A configuration from its text; `shown` names it in errors.
    pub fn parse(text: &str, location: Location, shown: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: shown.to_path_buf(),
            message: crate::error::one_line(e.message()),
        })?;
        config.base = location.parent();
        config.validate(shown)?;
        config.source = Some((location, text.to_string()));
        Ok(config)
    }

    /// A path written in this file (`[[systems]]`), relative to the scan root.
    pub fn root_relative(&self, root: &Path, value: &str) -> Result<String> {
        match self.base.join(root, value) {
            Location::Repo(rel) => Ok(rel),
            Location::Disk(_) => Err(Error::Config {
                path: PathBuf::from(self.name()),
                message: format!("systems entry {value:?} is outside the scan root"),
            }),
        }
    }

    /// The configuration file as messages name it.
    pub fn name(&self) -> String {
        match &self.source {
            Some((location, _)) => location.display(),
            None => FILE_NAME.to_string(),
        }
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let bad = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };
        for (rule, o) in &self.rules {
            if crate::evaluate::waivers::NOT_WAIVABLE.contains(&rule.as_str()) {
                return Err(bad(format!(
                    "rules.{rule} cannot be overridden: no exception to it exists (governance-change is approved by a verified review)"
                )));
            }
            if !matches!(o.severity.as_str(), "error" | "warning" | "note" | "off") {
                return Err(bad(format!(
                    "rules.{rule}.severity must be error, warning, note or off, not {:?}",
                    o.severity
                )));
            }
            if !crate::evaluate::waivers::substantive(&o.reason) {
                return Err(bad(format!(
                    "rules.{rule}.reason must say why the severity is changed, in words ({:?} does not)",
                    o.reason.trim()
                )));
            }
        }
        for (control, c) in &self.controls {
            if !c.applicable && !crate::evaluate::waivers::substantive(&c.justification) {
                return Err(bad(format!(
                    "controls.{control:?} is marked not applicable without a justification in words ({:?})",
                    c.justification.trim()
                )));
            }
        }
        for w in &self.waivers {
            let path = &w.get_ref().path;
            if let Err(e) = PathGlobs::new(&[path], Case::Sensitive, Reach::Below) {
                return Err(bad(format!("waiver path {path:?}: {e}")));
            }
        }
        for approver in self.governance.approvers.iter().chain(
            self.governance
                .rules
                .values()
                .flat_map(|r| r.approvers.iter()),
        ) {
            if !valid_approver(approver) {
                return Err(bad(format!(
                    "governance approver {approver:?} is not a user name or @org/team"
                )));
            }
        }
        for (name, value, cap) in self.limits.caps() {
            if value > cap {
                return Err(bad(format!(
                    "limits.{name} = {value} is over its cap of {cap}: the bounds keep a hostile input from exhausting the runner"
                )));
            }
        }
        if self.limits.max_depth == 0
            || self.limits.max_nodes == 0
            || self.limits.eval_timeout_ms == 0
            || self.limits.run_timeout_ms == 0
            || self.limits.max_files == 0
            || self.limits.max_systems == 0
        {
            return Err(bad("limits must be greater than zero".into()));
        }
        Ok(())
    }

    /// Every rule and control this file names is one the pack knows: a typo
    /// in `[rules.X]`, `[governance.rules.X]` or `[controls.X]` would
    /// otherwise change nothing, silently. The error names the closest id.
    pub fn check_names(&self, rules: &BTreeSet<String>, controls: &BTreeSet<String>) -> Result<()> {
        let unknown = |what: &str, key: &str, id: &str, known: &BTreeSet<String>| {
            let hint = match closest(id, known) {
                Some(near) => format!("; did you mean {near:?}?"),
                None => String::new(),
            };
            Error::Config {
                path: PathBuf::from(self.name()),
                message: format!("{key} names no known {what}{hint}"),
            }
        };
        for rule in self.rules.keys() {
            if !rules.contains(rule) {
                return Err(unknown("rule", &format!("rules.{rule}"), rule, rules));
            }
        }
        for rule in self.governance.rules.keys() {
            if !rules.contains(rule) {
                return Err(unknown(
                    "rule",
                    &format!("governance.rules.{rule}"),
                    rule,
                    rules,
                ));
            }
        }
        for key in self.controls.keys() {
            let id = control_id(key);
            if !controls.contains(&id) {
                return Err(unknown(
                    "control",
                    &format!("controls.{key:?}"),
                    &id,
                    controls,
                ));
            }
        }
        Ok(())
    }

    /// Controls marked not applicable, by full id, with their justification.
    pub fn excluded_controls(&self) -> BTreeMap<String, String> {
        self.controls
            .iter()
            .filter(|(_, c)| !c.applicable)
            .map(|(k, c)| (control_id(k), c.justification.clone()))
            .collect()
    }

    /// Config waivers as the gate applies them, each at its line in the config file.
    /// `display` is the config file's name as findings should show it.
    pub fn waivers(&self, display: &str) -> Vec<crate::evaluate::waivers::Waiver> {
        let file = display.to_string();
        let text = self.source.as_ref().map_or("", |(_, text)| text.as_str());
        let index = crate::load::node::LineIndex::new(text);
        self.waivers
            .iter()
            .filter_map(|spanned| {
                let w = spanned.get_ref();
                let (line, column) = index.position(spanned.span().start);
                let globs = PathGlobs::new(&[&w.path], Case::Sensitive, Reach::Below).ok()?;
                let expires = w.expires.as_ref().map(|v| match v {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                Some(crate::evaluate::waivers::Waiver {
                    rule: w.rule.clone(),
                    scope: crate::evaluate::waivers::Scope::Files(globs, w.path.clone()),
                    reason: w.reason.clone(),
                    approved_by: w.approved_by.clone(),
                    expires,
                    file: file.clone(),
                    line,
                    column,
                    system: None,
                    field: None,
                    approval: crate::finding::Approval::claim(&w.approved_by, "config"),
                    invalid: None,
                    owner: None,
                })
            })
            .collect()
    }

    /// A path written in this file (`[policies]`), as a location to read.
    pub fn locate(&self, root: &Path, value: &str) -> Location {
        self.base.join(root, value)
    }
}
