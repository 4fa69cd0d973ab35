//! The gate end to end: discover, load, evaluate, and hand findings to a report.

use crate::config::Config;
use crate::discover::{self, changes};
use crate::error::{Error, Result};
use crate::evaluate::{input, metadata::RuleMeta, policy, waivers, Pack};
use crate::finding::{Finding, Summary};
use crate::load::{self, System};
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
    /// `root` (see [`display_path`]). For the register and audit reports.
    #[serde(skip)]
    pub record: crate::load::node::Node,
    /// Linked documents read, by record path: the file as findings name it.
    #[serde(skip)]
    pub documents: BTreeMap<String, String>,
    /// The scan root the system was found under, as given.
    #[serde(skip)]
    pub root: PathBuf,
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
}

/// A root's configuration, systems loaded and in scope, and the ML files without a card.
struct Prepared {
    config: Config,
    systems: Vec<System>,
    unowned: Vec<String>,
    changed: Option<BTreeSet<String>>,
    /// Ends the run's watchdog when dropped (see [`watchdog`]).
    _watchdog: std::sync::mpsc::Sender<()>,
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
    let why = limits.run_timeout_error().to_string();
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
    let config = Config::load(options.config.as_deref(), root)?;
    let deadline = config.limits.deadline(started);
    let guard = watchdog(&config.limits, started);
    let found = discover::discover_until(root, &config, Some(deadline))?;
    let limits = config.limits.parser_limits();
    let changed = match &options.scope {
        Scope::Full => None,
        Scope::Files(files) => Some(discover::changed_set(&found.root, files)),
        Scope::Since(base) => Some(changes::changed_since(&found.root, base)?),
    };
    let root_path = found.root.clone();
    let mut systems: Vec<System> = found
        .systems
        .into_par_iter()
        .map(|source| {
            if std::time::Instant::now() > deadline {
                return Err(config.limits.run_timeout_error());
            }
            Ok(load::load_system(&root_path, source, &limits))
        })
        .collect::<Result<_>>()?;
    let mut unowned = found.unowned_ml_files;
    // A changed configuration or policy can change the verdict of every
    // system, so it scopes the run to all of them.
    let rules_changed = changed.as_ref().is_some_and(|c| {
        c.iter()
            .any(|f| f == crate::config::FILE_NAME || f.ends_with(".rego"))
    });
    if let Some(changed) = changed.as_ref().filter(|_| !rules_changed) {
        let ids: BTreeMap<String, ()> = systems.iter().map(|s| (s.source.id.clone(), ())).collect();
        systems.retain(|s| {
            s.files.iter().any(|f| changed.contains(f))
                || changed
                    .iter()
                    .any(|f| discover::owner_of(f, &ids).as_deref() == Some(s.source.id.as_str()))
        });
        unowned.retain(|f| changed.contains(f));
    }
    Ok(Prepared {
        config,
        systems,
        unowned,
        changed,
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

pub fn compile(options: &Options, config: &Config) -> Result<Pack> {
    let mut sources = Vec::new();
    if config.policies.builtin && !options.no_builtin {
        sources.extend(policy::builtin());
    }
    for dir in config.policies.paths.iter().map(|p| config.resolve(p)) {
        sources.extend(policy::from_path(&dir)?);
    }
    for dir in &options.policies {
        sources.extend(policy::from_path(dir)?);
    }
    let mut data = Vec::new();
    for file in config.policies.data.iter().map(|p| config.resolve(p)) {
        data.push(policy::data_file(&file)?);
    }
    for file in &options.data {
        data.push(policy::data_file(file)?);
    }
    let mut pack = Pack::compile(
        &sources,
        &data,
        Duration::from_millis(config.limits.eval_timeout_ms),
    )?;
    pack.overrides = config.rules.clone();
    Ok(pack)
}

pub fn check(options: &Options) -> Result<Outcome> {
    let mut findings = Vec::new();
    let mut systems_out = Vec::new();
    let mut catalog = BTreeMap::new();
    let mut not_applicable_out = Vec::new();
    let mut repository_rules: Vec<String> = Vec::new();
    let started = std::time::Instant::now();
    for root in roots(options) {
        let prepared = prepare(&root, options, started)?;
        let mut pack = compile(options, &prepared.config)?;
        pack.deadline = Some((
            prepared.config.limits.deadline(started),
            prepared.config.limits.run_timeout_error().to_string(),
        ));
        let prefix = display_prefix(&root);
        let params = params(&prepared.config);
        let ctx = input::Context {
            now: &options.now,
            params: &params,
            changed: prepared.changed.as_ref(),
        };
        let mut root_findings: Vec<Finding> = Vec::new();
        for per_system in pack.evaluate_each(&prepared.systems, |s| input::for_system(s, &ctx))? {
            root_findings.extend(per_system);
        }
        root_findings
            .extend(pack.evaluate_repository(&input::for_repository(&prepared.unowned, &ctx))?);

        // A card that does not parse fails the gate through card-invalid; the
        // other rules would only repeat that every key is missing.
        let unreadable: BTreeSet<String> = prepared
            .systems
            .iter()
            .filter(|s| {
                s.problems
                    .iter()
                    .any(|p| p.file == s.source.card && p.field.is_none())
            })
            .map(|s| s.source.id.clone())
            .collect();
        root_findings.retain(|f| {
            f.rule == "card-invalid"
                || !f
                    .system
                    .as_deref()
                    .is_some_and(|id| unreadable.contains(id))
        });

        let skipped = not_applicable(&pack.catalog(), &prepared.config);
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

        let mut waivers: Vec<waivers::Waiver> = prepared
            .systems
            .iter()
            .flat_map(|s| waivers::from_record(&s.record, &s.source.id))
            .collect();
        let config_name = match &options.config {
            Some(path) => path.to_string_lossy().into_owned(),
            None => prefixed(&prefix, crate::config::FILE_NAME),
        };
        waivers.extend(prepared.config.waivers(&config_name));
        for w in &mut waivers {
            w.validate(&options.now);
        }
        let waiver_findings = waivers::apply(&waivers, &mut root_findings, &|f| f.file.clone());
        for mut f in root_findings.into_iter().chain(waiver_findings) {
            // Config waivers already carry the config file's displayed name.
            if f.system.is_some() || f.rule != waivers::RULE {
                f.file = prefixed(&prefix, &f.file);
            }
            f.system = f.system.as_deref().map(|id| prefixed(&prefix, id));
            findings.push(f);
        }
        catalog.extend(pack.catalog());
        // The records move into the summaries (no copy); the rules of a tier
        // are worked out once, not once per system.
        let mut rules_by_tier: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        systems_out.extend(prepared.systems.into_iter().map(|s| {
            SystemSummary {
                id: prefixed(&prefix, &s.source.id),
                card: prefixed(&prefix, &s.source.card),
                name: s
                    .record
                    .get("name")
                    .and_then(|n| n.as_str())
                    .map(str::to_string),
                tier: s.tier.to_string(),
                format: s.format.to_string(),
                // An unreadable card is judged by card-invalid alone (see above).
                rules: if unreadable.contains(s.source.id.as_str()) {
                    vec!["card-invalid".to_string()]
                } else {
                    rules_by_tier
                        .entry(s.tier)
                        .or_insert_with(|| rules_for(&pack, false, s.tier, &skipped))
                        .clone()
                },
                record: s.record,
                documents: s
                    .documents
                    .iter()
                    .map(|(k, d)| (k.clone(), prefixed(&prefix, &d.file)))
                    .collect(),
                root: root.clone(),
            }
        }));
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
        let ctx = input::Context {
            now: &options.now,
            params: &params,
            changed: prepared.changed.as_ref(),
        };
        out.extend(
            prepared
                .systems
                .iter()
                .map(|s| input::for_system(s, &ctx).input),
        );
        out.push(input::for_repository(&prepared.unowned, &ctx).input);
    }
    Ok(out)
}

/// Findings name files the way the user named the root, as ripgrep does, so
/// `aimsgate check examples` reports `examples/...` paths that resolve from the
/// working directory (and from the repository root in CI annotations).
fn display_prefix(root: &std::path::Path) -> String {
    let text = root.to_string_lossy().replace('\\', "/");
    let trimmed = text.trim_start_matches("./").trim_end_matches('/');
    if trimmed == "." || trimmed.is_empty() {
        String::new()
    } else {
        trimmed.to_string()
    }
}

/// A root-relative path (as record positions carry it) as findings name it.
pub fn display_path(root: &std::path::Path, rel: &str) -> String {
    prefixed(&display_prefix(root), rel)
}

fn prefixed(prefix: &str, rel: &str) -> String {
    match (prefix.is_empty(), rel) {
        (true, _) => rel.to_string(),
        (false, ".") => prefix.to_string(),
        (false, _) => format!("{prefix}/{rel}"),
    }
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
