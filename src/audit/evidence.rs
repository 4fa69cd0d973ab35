//! The audit evidence report: what an internal auditor or a certification body
//! asks for, built from one gate run.
//!
//! - the Statement of Applicability: every ISO/IEC 42001 Annex A control a rule
//!   maps to (and every control in config `[controls]`), applicable or excluded
//!   with the justification, the rules implementing it and its status;
//! - a controls x systems matrix;
//! - per system: its facts, documents, and for each control the rules that
//!   check it and the file and line of the evidence, at the git commit;
//! - waivers with their expiry, impact assessment reviews due, and the
//!   adoption backlog (findings the baseline holds, owners, due dates).

use super::controls::{self, ISO_PREFIX};
use super::{Facts, Gate, Revision, FORMAT_VERSION};
use crate::error::Result;
use crate::evaluate::metadata::RuleMeta;
use crate::finding::{Finding, Severity};
use crate::pipeline::{display_path, Options, Outcome, SystemSummary};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Reviews and waiver expiries this close (in days) are flagged as due.
pub const DUE_WITHIN_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file, for screen and print
    Html,
    /// Markdown (GitHub Flavored)
    Markdown,
    /// Versioned JSON
    Json,
}

/// A control's (or a rule's) status for one system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Excluded in the Statement of Applicability, skipped, or off for the tier.
    NotApplicable,
    Pass,
    /// Findings that would fail the gate, each accepted by a valid waiver.
    Waived,
    /// Warnings (or notes), which do not fail the gate.
    Warning,
    /// Failing findings the baseline holds: legacy, in the adoption backlog.
    Baselined,
    Fail,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::NotApplicable => "n/a",
            Status::Pass => "pass",
            Status::Waived => "waived",
            Status::Warning => "warning",
            Status::Baselined => "baselined",
            Status::Fail => "fail",
        }
    }

    /// The worst of statuses; not applicable only when nothing else applies.
    fn worst(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses.into_iter().max().unwrap_or(Status::NotApplicable)
    }

    fn of_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Status {
        Status::worst(findings.into_iter().map(|f| match (f.waived, f.severity) {
            (true, _) => Status::Waived,
            (false, _) if f.baselined => Status::Baselined,
            (false, Severity::Error) => Status::Fail,
            (false, _) => Status::Warning,
        }))
        .max(Status::Pass)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub pass: usize,
    pub warning: usize,
    pub waived: usize,
    pub baselined: usize,
    pub fail: usize,
    pub not_applicable: usize,
}

impl Counts {
    fn add(&mut self, s: Status) {
        match s {
            Status::Pass => self.pass += 1,
            Status::Warning => self.warning += 1,
            Status::Waived => self.waived += 1,
            Status::Baselined => self.baselined += 1,
            Status::Fail => self.fail += 1,
            Status::NotApplicable => self.not_applicable += 1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub tool: serde_json::Value,
    /// The date the gate judged by (`--now`).
    pub now: String,
    pub roots: Vec<Root>,
    pub summary: ReportSummary,
    /// The Statement of Applicability, in the standard's order.
    pub controls: Vec<ControlRow>,
    pub systems: Vec<SystemEvidence>,
    /// Findings outside any system (ML code without a model card).
    pub outside_systems: Vec<FindingRow>,
    pub waivers: Vec<WaiverRow>,
    /// Impact assessment reviews overdue, due within 30 days, or not scheduled.
    pub reviews: Vec<ReviewRow>,
    /// Legacy findings the baseline holds, with owners and due dates.
    pub backlog: Vec<super::BacklogItem>,
    /// Rules skipped because every control they serve is excluded.
    pub skipped_rules: Vec<crate::pipeline::NotApplicable>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Root {
    pub path: String,
    /// The commit checked out, when the root is in a git work tree.
    pub revision: Option<Revision>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportSummary {
    pub systems: usize,
    pub passing: usize,
    pub failing: usize,
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
    pub baselined: usize,
    pub controls: usize,
    pub controls_excluded: usize,
    pub controls_failing: usize,
    pub reviews_due: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlRow {
    /// e.g. `iso42001:A.5.2`.
    pub control: String,
    pub title: String,
    pub applicable: bool,
    pub justification: String,
    /// The rules implementing it (whose metadata lists it).
    pub rules: Vec<String>,
    /// The worst status over the systems (and findings outside any system).
    pub status: Status,
    pub counts: Counts,
    /// The status from findings outside any system (ML code without a card).
    pub outside_systems: Status,
    /// The status for each system, in the order of `systems`.
    pub systems: Vec<SystemStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemStatus {
    pub system: String,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemEvidence {
    pub id: String,
    pub name: Option<String>,
    pub card: String,
    pub format: String,
    pub facts: Facts,
    pub gate: Gate,
    /// The commit the evidence was read at.
    pub revision: Option<Revision>,
    /// Linked documents read, by the record path that links them.
    pub documents: Vec<Document>,
    pub controls: Vec<ControlEvidence>,
    /// Every finding of the system, waived ones included.
    pub findings: Vec<FindingRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub field: String,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlEvidence {
    pub control: String,
    pub status: Status,
    pub rules: Vec<RuleEvidence>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleEvidence {
    pub rule: String,
    pub status: Status,
    /// Where the evidence the rule read is written (for a rule that passed), or
    /// where its findings are (for one that did not).
    pub evidence: Vec<Location>,
    /// Why there is no evidence to point at, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub rule: String,
    pub severity: Severity,
    pub waived: bool,
    pub baselined: bool,
    pub file: String,
    pub line: u32,
    pub message: String,
    pub controls: Vec<String>,
}

impl From<&Finding> for FindingRow {
    fn from(f: &Finding) -> Self {
        FindingRow {
            rule: f.rule.clone(),
            severity: f.severity,
            waived: f.waived,
            baselined: f.baselined,
            file: f.file.clone(),
            line: f.line,
            message: f.message.clone(),
            controls: f.controls.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverRow {
    /// `waiver`, `risk acceptance` or `not applicable`.
    pub kind: String,
    pub rule: String,
    /// The system a card waiver belongs to, or a config waiver's path glob.
    pub scope: String,
    pub reason: String,
    pub approved_by: String,
    /// Who approved it and whether aimsgate verified that.
    pub approval: crate::finding::Approval,
    pub expires: Option<String>,
    /// Days from `now` to `expires` (negative: expired).
    pub days_left: Option<i64>,
    /// `active`, `expiring` (within 30 days), `expired` or `invalid`.
    pub status: &'static str,
    /// Why it waives nothing, when invalid.
    pub problem: Option<String>,
    /// Findings it waives.
    pub waived: usize,
    pub file: String,
    pub line: u32,
}

impl WaiverRow {
    /// How far the expiry date is: `in 12 days`, `3 days ago`, or `no expiry`.
    pub fn expiry_note(&self) -> Option<String> {
        match (&self.expires, self.days_left) {
            (Some(_), Some(d)) if d >= 0 => Some(format!("in {d} days")),
            (Some(_), Some(d)) => Some(format!("{} days ago", -d)),
            (Some(_), None) => None,
            (None, _) => Some("no expiry".into()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    pub system: String,
    pub name: Option<String>,
    pub approved_at: Option<String>,
    pub next_review: Option<String>,
    /// Days from `now` to `next_review` (negative: overdue).
    pub days: Option<i64>,
    /// `overdue`, `due` (within 30 days), `not scheduled` (no valid
    /// next_review) or `no assessment` (one is required but none was read).
    pub status: &'static str,
    pub file: Option<String>,
}

pub fn build(outcome: &Outcome, options: &Options) -> Result<Report> {
    let now = options.now.as_str();
    let roots: Vec<PathBuf> = if options.roots.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.roots.clone()
    };
    let mut root_rows = Vec::new();
    let mut revisions: BTreeMap<PathBuf, Option<Revision>> = BTreeMap::new();
    for root in &roots {
        let revision = super::revision(root);
        revisions.insert(root.clone(), revision.clone());
        root_rows.push(Root {
            path: root.to_string_lossy().replace('\\', "/"),
            revision,
        });
    }

    let mut excluded: BTreeMap<String, String> = BTreeMap::new();
    let mut declared: BTreeMap<String, String> = BTreeMap::new();
    // The configuration each root ran with: under --base, the base revision's.
    for config in &outcome.configs {
        excluded.extend(config.excluded_controls());
        for (key, c) in &config.controls {
            declared
                .entry(crate::config::control_id(key))
                .or_insert_with(|| c.justification.clone());
        }
    }

    let mut summaries: Vec<&SystemSummary> = outcome.systems.iter().collect();
    summaries.sort_by(|a, b| a.id.cmp(&b.id));

    // The controls: ISO/IEC 42001 controls of any rule, and every configured one.
    let mut control_ids: BTreeSet<String> = outcome
        .catalog
        .values()
        .flat_map(|m| m.controls.iter())
        .filter(|c| c.starts_with(ISO_PREFIX))
        .cloned()
        .collect();
    control_ids.extend(declared.keys().cloned());
    let mut control_ids: Vec<String> = control_ids.into_iter().collect();
    control_ids.sort_by_key(|c| controls::sort_key(c));

    let judge = Judge {
        catalog: &outcome.catalog,
        repository: &outcome.repository_rules,
        skipped: &outcome.not_applicable,
        findings: &outcome.findings,
        excluded: &excluded,
    };

    let systems: Vec<SystemEvidence> = summaries
        .iter()
        .map(|s| {
            let revision = revisions.get(&s.root).cloned().flatten();
            judge.system(s, &control_ids, revision)
        })
        .collect();

    let outside: Vec<FindingRow> = outcome
        .findings
        .iter()
        .filter(|f| f.system.is_none())
        .map(FindingRow::from)
        .collect();

    let controls: Vec<ControlRow> = control_ids
        .iter()
        .map(|control| {
            let rules: Vec<String> = outcome
                .catalog
                .values()
                .filter(|m| m.controls.contains(control))
                .map(|m| m.id.clone())
                .collect();
            let applicable = !excluded.contains_key(control);
            let justification = match (excluded.get(control), declared.get(control)) {
                (Some(why), _) => why.clone(),
                (None, Some(why)) if !why.trim().is_empty() => why.clone(),
                (None, _) if rules.is_empty() => {
                    "Declared applicable in the configuration; no rule checks it".into()
                }
                (None, _) => {
                    "Applies to every AI system in scope; checked on each by the rules listed"
                        .into()
                }
            };
            let mut counts = Counts::default();
            let per_system: Vec<SystemStatus> = systems
                .iter()
                .map(|s| {
                    let status = s
                        .controls
                        .iter()
                        .find(|c| &c.control == control)
                        .map_or(Status::NotApplicable, |c| c.status);
                    counts.add(status);
                    SystemStatus {
                        system: s.id.clone(),
                        status,
                    }
                })
                .collect();
            let outside_status = if applicable {
                let hits: Vec<&Finding> = outcome
                    .findings
                    .iter()
                    .filter(|f| f.system.is_none() && f.controls.contains(control))
                    .collect();
                if hits.is_empty() {
                    Status::NotApplicable
                } else {
                    Status::of_findings(hits)
                }
            } else {
                Status::NotApplicable
            };
            let status = if applicable {
                Status::worst(per_system.iter().map(|s| s.status).chain([outside_status]))
            } else {
                Status::NotApplicable
            };
            ControlRow {
                control: control.clone(),
                title: controls::title(control),
                applicable,
                justification,
                rules,
                status,
                counts,
                outside_systems: outside_status,
                systems: per_system,
            }
        })
        .collect();

    let waivers = waiver_rows(outcome, options);
    let reviews = review_rows(&systems, &summaries, now);

    let mut summary = ReportSummary {
        systems: systems.len(),
        passing: systems.iter().filter(|s| s.gate.status == "pass").count(),
        failing: systems.iter().filter(|s| s.gate.status == "fail").count(),
        errors: outcome.summary.errors,
        warnings: outcome.summary.warnings,
        waived: outcome.summary.waived,
        baselined: outcome.summary.baselined,
        controls: controls.len(),
        controls_excluded: controls.iter().filter(|c| !c.applicable).count(),
        controls_failing: controls.iter().filter(|c| c.status == Status::Fail).count(),
        reviews_due: 0,
    };
    summary.reviews_due = reviews.len();
    Ok(Report {
        version: FORMAT_VERSION,
        tool: serde_json::json!({"name": "aimsgate", "version": env!("CARGO_PKG_VERSION")}),
        now: now.to_string(),
        roots: root_rows,
        summary,
        controls,
        systems,
        outside_systems: outside,
        waivers,
        reviews,
        backlog: super::backlog(&outcome.findings, now),
        skipped_rules: outcome.not_applicable.clone(),
    })
}

/// Decides rule and control statuses for systems.
struct Judge<'a> {
    catalog: &'a BTreeMap<String, RuleMeta>,
    /// Rules evaluated once on the repository rather than per system.
    repository: &'a [String],
    skipped: &'a [crate::pipeline::NotApplicable],
    findings: &'a [Finding],
    excluded: &'a BTreeMap<String, String>,
}

impl Judge<'_> {
    /// Why a rule did not run on a system.
    fn why_not_run(&self, rule: &str, tier: &str) -> String {
        if self.repository.iter().any(|r| r == rule) {
            "checked once on the repository, not per system".into()
        } else if self.skipped.iter().any(|n| n.rule == rule) {
            "skipped: every control it serves is excluded".into()
        } else {
            format!("not required for a {tier} risk system")
        }
    }

    fn system(
        &self,
        s: &SystemSummary,
        control_ids: &[String],
        revision: Option<Revision>,
    ) -> SystemEvidence {
        let own: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.system.as_deref() == Some(s.id.as_str()))
            .collect();
        let documents: Vec<Document> = s
            .documents
            .iter()
            .map(|(field, file)| Document {
                field: field.clone(),
                file: file.clone(),
            })
            .collect();
        let controls = control_ids
            .iter()
            .map(|control| {
                if self.excluded.contains_key(control) {
                    return ControlEvidence {
                        control: control.clone(),
                        status: Status::NotApplicable,
                        rules: Vec::new(),
                    };
                }
                let mut rules: Vec<RuleEvidence> = self
                    .catalog
                    .values()
                    .filter(|m| m.controls.contains(control))
                    .map(|m| self.rule(s, &m.id, &own, &documents))
                    .collect();
                // Findings that name the control although their rule's metadata does not.
                for f in own.iter().filter(|f| f.controls.contains(control)) {
                    if !rules.iter().any(|r| r.rule == f.rule) {
                        rules.push(self.rule(s, &f.rule, &own, &documents));
                    }
                }
                let status = Status::worst(rules.iter().map(|r| r.status));
                ControlEvidence {
                    control: control.clone(),
                    status,
                    rules,
                }
            })
            .collect();
        SystemEvidence {
            id: s.id.clone(),
            name: s.name.clone(),
            card: s.card.clone(),
            format: s.format.clone(),
            facts: Facts::of(s),
            gate: Gate::of(&s.id, self.findings),
            revision,
            documents,
            controls,
            findings: own.iter().map(|f| FindingRow::from(*f)).collect(),
        }
    }

    fn rule(
        &self,
        s: &SystemSummary,
        rule: &str,
        own: &[&Finding],
        documents: &[Document],
    ) -> RuleEvidence {
        let hits: Vec<&Finding> = own.iter().copied().filter(|f| f.rule == rule).collect();
        // The pipeline says which rules ran on the system: on for its tier
        // (after config overrides) and not skipped as not applicable.
        if !s.rules.iter().any(|r| r == rule) && hits.is_empty() {
            return RuleEvidence {
                rule: rule.to_string(),
                status: Status::NotApplicable,
                evidence: Vec::new(),
                note: Some(self.why_not_run(rule, &s.tier)),
            };
        }
        let status = Status::of_findings(hits.iter().copied());
        let evidence = if status == Status::Pass {
            locate(s, rule, documents)
        } else {
            let mut at: Vec<Location> = hits
                .iter()
                .map(|f| Location {
                    file: f.file.clone(),
                    line: f.line,
                    field: f.field.clone(),
                })
                .collect();
            at.sort();
            at.dedup();
            at
        };
        let note = evidence.is_empty().then(|| {
            let fields = controls::fields(rule);
            format!(
                "the record has no {}: nothing to check",
                fields.join(" or ")
            )
        });
        RuleEvidence {
            rule: rule.to_string(),
            status,
            evidence,
            note,
        }
    }
}

/// Where the fields a rule reads are written: the key in the card (or sidecar)
/// and the linked documents below it; the card itself for rules about the
/// whole card.
fn locate(s: &SystemSummary, rule: &str, documents: &[Document]) -> Vec<Location> {
    let mut out = Vec::new();
    let fields = controls::fields(rule);
    for field in fields {
        if let Some((file, line)) = key_position(&s.record, field) {
            out.push(Location {
                file: display_path(&s.root, &file),
                line,
                field: Some((*field).to_string()),
            });
        }
        for d in documents {
            let linked = d.field == *field
                || d.field.starts_with(&format!("{field}."))
                || field.starts_with(&format!("{}.", d.field));
            if linked {
                out.push(Location {
                    file: d.file.clone(),
                    line: 1,
                    field: Some(d.field.clone()),
                });
            }
        }
    }
    if fields.is_empty() {
        out.push(Location {
            file: s.card.clone(),
            line: 1,
            field: None,
        });
        if rule == "card-invalid" {
            out.extend(documents.iter().map(|d| Location {
                file: d.file.clone(),
                line: 1,
                field: Some(d.field.clone()),
            }));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The file and line of the key at a dotted record path.
fn key_position(record: &crate::load::node::Node, path: &str) -> Option<(String, u32)> {
    let mut node = record;
    let mut at = None;
    for segment in path.split('.') {
        if let Some(entry) = node.entry(segment) {
            at = Some((entry.key_pos.file.to_string(), entry.key_pos.line));
            node = &entry.value;
        } else if let (Some(items), Ok(i)) = (node.as_array(), segment.parse::<usize>()) {
            node = items.get(i)?;
            at = Some((node.pos.file.to_string(), node.pos.line));
        } else {
            return None;
        }
    }
    at
}

fn waiver_rows(outcome: &Outcome, options: &Options) -> Vec<WaiverRow> {
    let now = options.now.as_str();
    outcome
        .exceptions
        .iter()
        .map(|e| {
            let days_left = e
                .expires
                .as_deref()
                .and_then(|x| super::days_between(now, x));
            let status = match (&e.invalid, days_left) {
                (Some(problem), _) if problem.contains("expired on") => "expired",
                (Some(_), _) => "invalid",
                (None, Some(d)) if d <= DUE_WITHIN_DAYS => "expiring",
                (None, _) => "active",
            };
            WaiverRow {
                kind: e.kind.clone(),
                rule: e.rule.clone(),
                scope: e.scope.clone(),
                reason: e.reason.clone(),
                approved_by: e.approval.by.clone(),
                approval: e.approval.clone(),
                expires: e.expires.clone(),
                days_left,
                status,
                problem: e.invalid.clone(),
                waived: e.waived,
                file: e.file.clone(),
                line: e.line,
            }
        })
        .collect()
}

fn review_rows(
    systems: &[SystemEvidence],
    summaries: &[&SystemSummary],
    now: &str,
) -> Vec<ReviewRow> {
    let mut rows = Vec::new();
    for (s, summary) in systems.iter().zip(summaries) {
        let ia = &s.facts.impact_assessment;
        let has_assessment =
            ia.approved_by.is_some() || ia.approved_at.is_some() || ia.file.is_some();
        let required = summary.rules.iter().any(|r| r == "impact-assessment");
        let days = ia
            .next_review
            .as_deref()
            .and_then(|d| super::days_between(now, d));
        let status = match days {
            Some(d) if d < 0 => "overdue",
            Some(d) if d <= DUE_WITHIN_DAYS => "due",
            Some(_) => continue,
            None if has_assessment => "not scheduled",
            None if required => "no assessment",
            None => continue,
        };
        rows.push(ReviewRow {
            system: s.id.clone(),
            name: s.name.clone(),
            approved_at: ia.approved_at.clone(),
            next_review: ia.next_review.clone(),
            days,
            status,
            file: ia
                .file
                .clone()
                .or_else(|| has_assessment.then(|| s.card.clone())),
        });
    }
    rows
}

pub fn render(report: &Report, format: ReportFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ReportFormat::Json => {
            let mut out = serde_json::to_vec_pretty(report)
                .map_err(|e| crate::error::Error::Usage(e.to_string()))?;
            out.push(b'\n');
            out
        }
        ReportFormat::Html => super::html::render(report).into_bytes(),
        ReportFormat::Markdown => super::markdown::render(report).into_bytes(),
    })
}
