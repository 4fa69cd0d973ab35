//! Versioned JSON for machines: findings, summary and the systems checked.

use crate::pipeline::Outcome;
use serde_json::json;
use std::io::Write;

/// Bumped on any incompatible change to the document's shape.
pub const FORMAT_VERSION: u32 = 1;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = json!({
        "version": FORMAT_VERSION,
        "tool": {"name": "aimsgate", "version": env!("CARGO_PKG_VERSION")},
        "findings": outcome.findings,
        "summary": outcome.summary,
        "systems": outcome.systems,
        "not_applicable": outcome.not_applicable,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
