//! The AI-system register: one row per system with its owner, lifecycle,
//! risk tier, gate result, impact assessment approval and review date,
//! datasets and suppliers.

use super::{escape, Facts, Gate, FORMAT_VERSION};
use crate::pipeline::Outcome;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InventoryFormat {
    /// An aligned table for a terminal
    Text,
    /// Versioned JSON
    Json,
    /// CSV with a header row, for a spreadsheet
    Csv,
    /// A Markdown table
    Markdown,
    /// A CycloneDX 1.6 ML-BOM: each system, the models and hosted services
    /// its code uses, and what depends on what
    Cyclonedx,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The system id: its directory, as findings name it.
    pub system: String,
    /// The model card.
    pub path: String,
    pub format: String,
    #[serde(flatten)]
    pub facts: Facts,
    /// Its code, and the models and hosted-model providers it names.
    pub code: CodeRow,
    pub gate: Gate,
}

/// A system's code: its files, and what they name.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CodeRow {
    pub files: Vec<String>,
    pub models: Vec<crate::discover::bom::ModelUse>,
    pub providers: Vec<crate::discover::bom::ProviderUse>,
}

impl CodeRow {
    fn of(code: &crate::pipeline::Code) -> CodeRow {
        CodeRow {
            files: code.files.clone(),
            models: code.bom.models.clone(),
            providers: code.bom.providers.clone(),
        }
    }

    /// "gpt-4o (OpenAI), bert-base-uncased, Anthropic": what the code uses.
    pub fn uses(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .models
            .iter()
            .map(|m| match &m.provider {
                Some(p) => format!("{} ({p})", m.model),
                None => m.model.clone(),
            })
            .collect();
        for p in &self.providers {
            if !self
                .models
                .iter()
                .any(|m| m.provider.as_ref() == Some(&p.provider))
            {
                out.push(p.provider.clone());
            }
        }
        out
    }
}

/// An AI system found in code that has no card, so no row of its own.
#[derive(Debug, Clone, Serialize)]
pub struct Unregistered {
    pub dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_by: Option<String>,
    pub code: CodeRow,
}

#[derive(Debug, Clone, Serialize)]
pub struct Register {
    pub version: u32,
    /// The repository, by its directory's name.
    pub repository: String,
    pub tool: serde_json::Value,
    /// The date the gate judged by (`--now`).
    pub now: String,
    pub systems: Vec<Row>,
    /// ML files outside any system (`model-card-missing`): AI not yet registered.
    pub ml_files_without_card: Vec<String>,
    /// The AI systems those files form, with what their code uses.
    pub systems_without_card: Vec<Unregistered>,
    /// Legacy findings the baseline holds, with their owners and due dates.
    pub backlog: Vec<super::BacklogItem>,
}

pub fn build(outcome: &Outcome, now: &str, repository: &str) -> Register {
    let mut systems: Vec<Row> = outcome
        .systems
        .iter()
        .map(|s| Row {
            system: s.id.clone(),
            path: s.card.clone(),
            format: s.format.clone(),
            facts: Facts::of(s),
            code: CodeRow::of(&s.code),
            gate: Gate::of(&s.id, &outcome.findings),
        })
        .collect();
    systems.sort_by(|a, b| a.system.cmp(&b.system));
    let unregistered: Vec<Unregistered> = outcome
        .uncarded
        .iter()
        .map(|u| Unregistered {
            dir: u.dir.clone(),
            covered_by: u.covered_by.clone(),
            code: CodeRow::of(&u.code),
        })
        .collect();
    let mut files: Vec<String> = unregistered
        .iter()
        .flat_map(|u| u.code.files.iter().cloned())
        .collect();
    files.sort();
    files.dedup();
    Register {
        version: FORMAT_VERSION,
        repository: repository.to_string(),
        tool: serde_json::json!({"name": "aimsgate", "version": env!("CARGO_PKG_VERSION")}),
        now: now.to_string(),
        systems,
        ml_files_without_card: files,
        systems_without_card: unregistered,
        backlog: super::backlog(&outcome.findings, now),
    }
}

/// The columns of the text, CSV and Markdown forms, with each row's cells.
const HEADERS: &[&str] = &[
    "system",
    "path",
    "name",
    "version",
    "owner",
    "owner_contact",
    "lifecycle",
    "risk_tier",
    "gate",
    "errors",
    "warnings",
    "waived",
    "baselined",
    "ia_approved_by",
    "ia_approved_at",
    "next_review",
    "datasets",
    "suppliers",
    "ai_in_code",
];

fn cells(row: &Row) -> Vec<String> {
    let f = &row.facts;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        row.system.clone(),
        row.path.clone(),
        opt(&f.name),
        opt(&f.version),
        opt(&f.owner.name),
        opt(&f.owner.contact),
        opt(&f.lifecycle),
        f.tier_label(),
        row.gate.status.to_string(),
        row.gate.errors.to_string(),
        row.gate.warnings.to_string(),
        row.gate.waived.to_string(),
        row.gate.baselined.to_string(),
        opt(&f.impact_assessment.approved_by),
        opt(&f.impact_assessment.approved_at),
        opt(&f.impact_assessment.next_review),
        f.datasets.join("; "),
        f.suppliers.join("; "),
        row.code.uses().join("; "),
    ]
}

pub fn render(register: &Register, format: InventoryFormat) -> crate::error::Result<Vec<u8>> {
    Ok(match format {
        InventoryFormat::Json => {
            let mut out = serde_json::to_vec_pretty(register)
                .map_err(|e| crate::error::Error::Usage(e.to_string()))?;
            out.push(b'\n');
            out
        }
        InventoryFormat::Csv => csv(register)?,
        InventoryFormat::Markdown => markdown(register).into_bytes(),
        InventoryFormat::Text => text(register).into_bytes(),
        InventoryFormat::Cyclonedx => super::cyclonedx::render(register)?,
    })
}

fn csv(register: &Register) -> crate::error::Result<Vec<u8>> {
    let io = |e: csv::Error| crate::error::Error::io("<csv>", std::io::Error::other(e));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(HEADERS).map_err(io)?;
    for row in &register.systems {
        writer
            .write_record(cells(row).iter().map(|c| escape::csv_cell(c)))
            .map_err(io)?;
    }
    writer
        .into_inner()
        .map_err(|e| crate::error::Error::io("<csv>", std::io::Error::other(e.to_string())))
}

/// The columns a terminal table shows: the register without the card path and
/// the separate counts (gate shows them).
fn text(register: &Register) -> String {
    let headers = [
        "SYSTEM",
        "NAME",
        "VERSION",
        "OWNER",
        "LIFECYCLE",
        "TIER",
        "GATE",
        "IA APPROVED",
        "NEXT REVIEW",
        "DATASETS",
        "SUPPLIERS",
        "AI IN CODE",
    ];
    let dash = || "-".to_string();
    let rows: Vec<Vec<String>> = register
        .systems
        .iter()
        .map(|r| {
            let f = &r.facts;
            let owner = match (&f.owner.name, &f.owner.contact) {
                (Some(n), Some(c)) => format!("{n} <{c}>"),
                (Some(n), None) => n.clone(),
                (None, Some(c)) => format!("<{c}>"),
                (None, None) => dash(),
            };
            let approved = match (
                &f.impact_assessment.approved_by,
                &f.impact_assessment.approved_at,
            ) {
                (Some(by), Some(at)) => format!("{at} {by}"),
                (Some(by), None) => by.clone(),
                (None, Some(at)) => at.clone(),
                (None, None) => dash(),
            };
            let list = |v: &[String]| {
                if v.is_empty() {
                    dash()
                } else {
                    v.join(", ")
                }
            };
            [
                r.system.clone(),
                f.name.clone().unwrap_or_else(dash),
                f.version.clone().unwrap_or_else(dash),
                owner,
                f.lifecycle.clone().unwrap_or_else(dash),
                f.tier_label(),
                gate_label(&r.gate),
                approved,
                f.impact_assessment.next_review.clone().unwrap_or_else(dash),
                list(&f.datasets),
                list(&f.suppliers),
                list(&r.code.uses()),
            ]
            .iter()
            .map(|c| escape::terminal_cell(c))
            .collect()
        })
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                let pad = w - cell.chars().count();
                let _ = write!(l, "{cell}{}  ", " ".repeat(pad));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&headers.map(str::to_string));
    for row in &rows {
        line(row);
    }
    let failing = register
        .systems
        .iter()
        .filter(|r| r.gate.status == "fail")
        .count();
    let _ = writeln!(
        out,
        "\n{} system{}, {} failing the gate (as of {}).",
        register.systems.len(),
        if register.systems.len() == 1 { "" } else { "s" },
        failing,
        register.now
    );
    for u in &register.systems_without_card {
        let uses = u.code.uses();
        let _ = writeln!(
            out,
            "AI system without a model card (not in the register): {}: {}{}",
            escape::terminal_cell(&u.dir),
            u.code
                .files
                .iter()
                .map(|f| escape::terminal_cell(f))
                .collect::<Vec<_>>()
                .join(", "),
            if uses.is_empty() {
                String::new()
            } else {
                format!("; uses {}", escape::terminal_cell(&uses.join(", ")))
            }
        );
    }
    if !register.backlog.is_empty() {
        let _ = writeln!(
            out,
            "\nAdoption backlog ({} baselined finding{}):",
            register.backlog.len(),
            if register.backlog.len() == 1 { "" } else { "s" }
        );
        for item in &register.backlog {
            let _ = writeln!(
                out,
                "  {}  {}  {}  owner {}  due {}",
                escape::terminal_cell(item.system.as_deref().unwrap_or("(repository)")),
                escape::terminal_cell(&item.rule),
                escape::terminal_cell(item.field.as_deref().unwrap_or(&item.file)),
                escape::terminal_cell(item.owner.as_deref().unwrap_or("-")),
                escape::terminal_cell(&item.due_note())
            );
        }
    }
    out
}

/// `pass`, or `fail (2E 1W)`, with waived findings counted.
pub fn gate_label(gate: &Gate) -> String {
    let mut counts = Vec::new();
    if gate.errors > 0 {
        counts.push(format!("{}E", gate.errors));
    }
    if gate.warnings > 0 {
        counts.push(format!("{}W", gate.warnings));
    }
    if gate.waived > 0 {
        counts.push(format!("{} waived", gate.waived));
    }
    if gate.baselined > 0 {
        counts.push(format!("{} baselined", gate.baselined));
    }
    if counts.is_empty() {
        gate.status.to_string()
    } else {
        format!("{} ({})", gate.status, counts.join(" "))
    }
}

fn markdown(register: &Register) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# AI system register\n\n{} system{} as of {}.\n",
        register.systems.len(),
        if register.systems.len() == 1 { "" } else { "s" },
        register.now
    );
    out.push_str(
        "| System | Card | Name | Version | Owner | Lifecycle | Risk tier | Gate | Impact assessment approved | Next review | Datasets | Suppliers | AI in code |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    let md = |s: &str| escape::markdown_cell(s);
    let opt = |v: &Option<String>| v.as_deref().map_or_else(|| "-".to_string(), md);
    for r in &register.systems {
        let f = &r.facts;
        let owner = match (&f.owner.name, &f.owner.contact) {
            (Some(n), Some(c)) => format!("{} ({})", md(n), md(c)),
            (Some(n), None) => md(n),
            (None, Some(c)) => md(c),
            (None, None) => "-".into(),
        };
        let approved = match (
            &f.impact_assessment.approved_by,
            &f.impact_assessment.approved_at,
        ) {
            (None, None) => "-".to_string(),
            (by, at) => [at, by]
                .iter()
                .filter_map(|v| v.as_deref())
                .map(md)
                .collect::<Vec<_>>()
                .join(", "),
        };
        let list = |v: &[String]| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.iter().map(|s| md(s)).collect::<Vec<_>>().join(", ")
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&r.system),
            md(&r.path),
            opt(&f.name),
            opt(&f.version),
            owner,
            opt(&f.lifecycle),
            md(&f.tier_label()),
            md(&gate_label(&r.gate)),
            approved,
            opt(&f.impact_assessment.next_review),
            list(&f.datasets),
            list(&f.suppliers),
            list(&r.code.uses()),
        );
    }
    if !register.systems_without_card.is_empty() {
        out.push_str("\n## AI systems without a model card\n\nFound in code, not in the register until they have a card.\n\n| Directory | Files | AI in code |\n|---|---|---|\n");
        for u in &register.systems_without_card {
            let uses = u.code.uses();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                md(&u.dir),
                u.code
                    .files
                    .iter()
                    .map(|f| md(f))
                    .collect::<Vec<_>>()
                    .join(", "),
                if uses.is_empty() {
                    "-".to_string()
                } else {
                    uses.iter().map(|s| md(s)).collect::<Vec<_>>().join(", ")
                }
            );
        }
    }
    if !register.backlog.is_empty() {
        out.push_str("\n## Adoption backlog\n\nLegacy findings the baseline holds: reported, not failing the gate until their due date.\n\n| System | Rule | Field or file | Owner | Due |\n|---|---|---|---|---|\n");
        for item in &register.backlog {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(item.system.as_deref().unwrap_or("(repository)")),
                md(&item.rule),
                md(item.field.as_deref().unwrap_or(&item.file)),
                md(item.owner.as_deref().unwrap_or("-")),
                md(&item.due_note())
            );
        }
    }
    out
}
