use super::Verdict;
use crate::cli::{ExplainArgs, ListFormat, RulesArgs};
use crate::error::{Error, Result};
use crate::evaluate::{metadata::RuleMeta, policy, Pack};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

fn catalog(extra: &[PathBuf]) -> Result<BTreeMap<String, RuleMeta>> {
    let mut sources = policy::builtin();
    for dir in extra {
        sources.extend(policy::from_path(dir)?);
    }
    Ok(Pack::compile(&sources, &[], Duration::from_secs(1))?.catalog())
}

pub fn list(args: RulesArgs) -> Result<Verdict> {
    let rules = catalog(&args.policies)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |e| Error::io("<stdout>", e);
    match args.format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .values()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "title": m.title,
                        "description": m.description,
                        "severity": {
                            "high": tier(m, "high"),
                            "limited": tier(m, "limited"),
                            "minimal": tier(m, "minimal"),
                        },
                        "controls": m.controls,
                        "remediation": m.remediation,
                        "related_resources": m.related_resources,
                        "file": m.file,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list).map_err(|e| io(e.into()))?;
            writeln!(out).map_err(io)?;
        }
        ListFormat::Text => {
            let width = rules.keys().map(String::len).max().unwrap_or(0);
            writeln!(out, "{:width$}  H/L/M  title", "rule").map_err(io)?;
            for m in rules.values() {
                writeln!(out, "{:width$}  {}  {}", m.id, m.severity_table(), m.title)
                    .map_err(io)?;
                writeln!(out, "{:width$}         {}", "", m.controls.join(", ")).map_err(io)?;
            }
            writeln!(
                out,
                "\n{} rules. `aimsgate explain RULE` prints one in full.",
                rules.len()
            )
            .map_err(io)?;
        }
    }
    Ok(Verdict::Pass)
}

fn tier(m: &RuleMeta, tier: &str) -> &'static str {
    match m.severity_for(tier) {
        Some(Some(s)) => s.as_str(),
        Some(None) => "off",
        None => "error",
    }
}

pub fn explain(args: ExplainArgs) -> Result<Verdict> {
    let rules = catalog(&args.policies)?;
    let Some(m) = rules.get(&args.rule) else {
        let known: Vec<&str> = rules.keys().map(String::as_str).collect();
        return Err(Error::Usage(format!(
            "no rule {:?}; known rules: {}",
            args.rule,
            known.join(", ")
        )));
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |e| Error::io("<stdout>", e);
    writeln!(out, "{}: {}\n", m.id, m.title).map_err(io)?;
    writeln!(out, "{}\n", m.description).map_err(io)?;
    writeln!(
        out,
        "Severity: high {}, limited {}, minimal {}",
        tier(m, "high"),
        tier(m, "limited"),
        tier(m, "minimal")
    )
    .map_err(io)?;
    writeln!(out, "Controls: {}\n", m.controls.join(", ")).map_err(io)?;
    if !m.remediation.is_empty() {
        writeln!(out, "How to fix:\n\n{}\n", m.remediation).map_err(io)?;
    }
    for r in &m.related_resources {
        writeln!(out, "See: {} {}", r.r#ref, r.description).map_err(io)?;
    }
    writeln!(out, "Policy: {}", m.file).map_err(io)?;
    Ok(Verdict::Pass)
}
