//! The audit report as GitHub Flavored Markdown: the same sections as the
//! HTML, with card text escaped for table cells.

use super::escape::markdown_cell as md;
use super::evidence::{Location, Report, Status, SystemEvidence};
use super::inventory::gate_label;
use std::fmt::Write as _;

fn code(text: &str) -> String {
    // Markup characters read literally in a code span, but not by every
    // renderer: such text is escaped as prose instead.
    if text.contains(['<', '>', '&']) {
        return md(text);
    }
    // A code span cannot hold its own delimiter or a column break safely.
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '|' => '¦',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    format!("`{cleaned}`")
}

fn opt(v: &Option<String>) -> String {
    v.as_deref().map_or_else(|| "-".to_string(), md)
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "-".into()
    } else {
        v.iter().map(|s| md(s)).collect::<Vec<_>>().join(", ")
    }
}

fn loc(l: &Location) -> String {
    match &l.field {
        Some(f) => format!("{} ({})", code(&format!("{}:{}", l.file, l.line)), md(f)),
        None => code(&format!("{}:{}", l.file, l.line)),
    }
}

fn status(s: Status) -> String {
    match s {
        Status::Fail => "**fail**".into(),
        other => other.label().into(),
    }
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# AI management system audit evidence\n");
    let _ = writeln!(
        o,
        "ISO/IEC 42001:2023 Annex A controls, as checked by aimsgate {} on {}.\n",
        md(r.tool["version"].as_str().unwrap_or_default()),
        md(&r.now)
    );
    for root in &r.roots {
        let rev = match &root.revision {
            Some(rev) => format!(
                "commit {}{}",
                code(&rev.commit),
                if rev.dirty {
                    " (with uncommitted changes)"
                } else {
                    ""
                }
            ),
            None => "not a git work tree".into(),
        };
        let _ = writeln!(o, "- Scanned {} at {rev}", code(&root.path));
    }
    let s = &r.summary;
    let _ = writeln!(
        o,
        "- AI systems: {}, {} passing the gate and {} failing\n- Controls: {} of {} applicable, {} failing\n- Waivers: {}; impact assessment reviews due: {}\n",
        s.systems,
        s.passing,
        s.failing,
        s.controls - s.controls_excluded,
        s.controls,
        s.controls_failing,
        r.waivers.len(),
        s.reviews_due
    );

    o.push_str("## 1. Statement of Applicability\n\n");
    o.push_str("| Control | Title | Applicable | Justification | Implemented by | Status | Across systems |\n|---|---|---|---|---|---|---|\n");
    for c in &r.controls {
        let rules = if c.rules.is_empty() {
            "-".to_string()
        } else {
            c.rules
                .iter()
                .map(|r| code(r))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut counts = Vec::new();
        for (n, label) in [
            (c.counts.fail, "fail"),
            (c.counts.baselined, "baselined"),
            (c.counts.warning, "warning"),
            (c.counts.waived, "waived"),
            (c.counts.pass, "pass"),
            (c.counts.not_applicable, "n/a"),
        ] {
            if n > 0 {
                counts.push(format!("{n} {label}"));
            }
        }
        if c.outside_systems != Status::NotApplicable {
            counts.push(format!("{} outside any system", c.outside_systems.label()));
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {rules} | {} | {} |",
            code(&c.control),
            md(&c.title),
            if c.applicable {
                "yes"
            } else {
                "**no (excluded)**"
            },
            md(&c.justification),
            status(c.status),
            counts.join(", ")
        );
    }
    if !r.skipped_rules.is_empty() {
        o.push_str("\nRules skipped because their controls are excluded:\n\n");
        for n in &r.skipped_rules {
            let _ = writeln!(
                o,
                "- {} ({}): {}",
                code(&n.rule),
                md(&n.controls.join(", ")),
                md(&n.justification)
            );
        }
    }

    o.push_str("\n## 2. Controls × systems\n\n");
    if r.systems.is_empty() {
        o.push_str("No AI systems were found.\n");
    } else {
        o.push_str("| Control |");
        for s in &r.systems {
            let _ = write!(o, " {} |", code(&s.id));
        }
        o.push_str("\n|---|");
        for _ in &r.systems {
            o.push_str("---|");
        }
        o.push('\n');
        for c in &r.controls {
            let _ = write!(o, "| {} |", code(&c.control));
            for s in &c.systems {
                let _ = write!(o, " {} |", status(s.status));
            }
            o.push('\n');
        }
        o.push_str("| **Gate** |");
        for s in &r.systems {
            let _ = write!(
                o,
                " {} |",
                if s.gate.status == "fail" {
                    "**fail**"
                } else {
                    "pass"
                }
            );
        }
        o.push('\n');
    }
    if !r.outside_systems.is_empty() {
        o.push_str("\nFindings outside any system:\n\n");
        for f in &r.outside_systems {
            let _ = writeln!(
                o,
                "- {} {} at {}: {}",
                f.severity,
                code(&f.rule),
                code(&format!("{}:{}", f.file, f.line)),
                md(&f.message)
            );
        }
    }

    o.push_str("\n## 3. Evidence per system\n");
    for s in &r.systems {
        system(&mut o, s);
    }

    o.push_str("\n## 4. Waivers and accepted risks\n\n");
    if r.waivers.is_empty() {
        o.push_str("No waivers: every finding counts.\n");
    } else {
        o.push_str("| Rule | Scope | Reason | Approved by | Expires | Status | Waives | Written at |\n|---|---|---|---|---|---|---|---|\n");
        for w in &r.waivers {
            let expires = match (&w.expires, w.expiry_note()) {
                (Some(e), Some(note)) => format!("{} ({note})", md(e)),
                (Some(e), None) => md(e),
                (None, note) => note.unwrap_or_default(),
            };
            let problem = w
                .problem
                .as_deref()
                .map(|p| format!(": {}", md(p)))
                .unwrap_or_default();
            let approval = w.approval.status();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} ({approval}) | {expires} | {}{problem} | {} | {} |",
                rule_and_kind(w),
                code(&w.scope),
                md(&w.reason),
                md(&w.approved_by),
                w.status,
                w.waived,
                code(&format!("{}:{}", w.file, w.line))
            );
        }
    }

    o.push_str("\n## 5. Impact assessment reviews due\n\n");
    let _ = writeln!(
        o,
        "Assessments whose `next_review` is past or within {} days of {}, or that name no review date.\n",
        super::evidence::DUE_WITHIN_DAYS,
        md(&r.now)
    );
    if r.reviews.is_empty() {
        o.push_str(
            "None: every impact assessment is scheduled for review more than 30 days from now.\n",
        );
    } else {
        o.push_str(
            "| System | Approved | Next review | Status | Assessment |\n|---|---|---|---|---|\n",
        );
        for v in &r.reviews {
            let when = match v.days {
                Some(d) if d < 0 => format!(" ({} days overdue)", -d),
                Some(d) => format!(" (in {d} days)"),
                None => String::new(),
            };
            let _ = writeln!(
                o,
                "| {} ({}) | {} | {}{when} | {} | {} |",
                md(v.name.as_deref().unwrap_or(&v.system)),
                code(&v.system),
                opt(&v.approved_at),
                opt(&v.next_review),
                v.status,
                v.file.as_deref().map_or_else(|| "-".to_string(), code)
            );
        }
    }

    o.push_str("\n## 6. Adoption backlog\n\n");
    o.push_str("Legacy findings the baseline holds (`aimsgate baseline`): reported, and not failing the gate until their due date, when they fail again.\n\n");
    if r.backlog.is_empty() {
        o.push_str("None: no baseline holds a finding.\n");
    } else {
        o.push_str("| System | Rule | Location | Owner | Due |\n|---|---|---|---|---|\n");
        for item in &r.backlog {
            let at = code(&format!("{}:{}", item.file, item.line));
            let at = match &item.field {
                Some(field) => format!("{at} ({})", md(field)),
                None => at,
            };
            let _ = writeln!(
                o,
                "| {} | {} | {at} | {} | {} |",
                item.system
                    .as_deref()
                    .map_or_else(|| "repository".to_string(), code),
                code(&item.rule),
                item.owner.as_deref().map_or_else(|| "-".to_string(), md),
                md(&item.due_note())
            );
        }
    }
    o
}

fn system(o: &mut String, s: &SystemEvidence) {
    let f = &s.facts;
    let _ = writeln!(
        o,
        "\n### {} ({}): {}\n",
        md(s.name.as_deref().unwrap_or(&s.id)),
        code(&s.id),
        if s.gate.status == "fail" {
            "**fail**"
        } else {
            "pass"
        }
    );
    let owner = match (&f.owner.name, &f.owner.contact) {
        (Some(n), Some(c)) => format!("{} ({})", md(n), md(c)),
        (n, c) => format!("{} {}", opt(n), c.as_deref().map(md).unwrap_or_default()),
    };
    let ia = &f.impact_assessment;
    let commit = match &s.revision {
        Some(rev) => format!(
            "{}{}",
            code(&rev.commit),
            if rev.dirty {
                " (with uncommitted changes)"
            } else {
                ""
            }
        ),
        None => "not a git work tree".into(),
    };
    o.push_str("| | |\n|---|---|\n");
    let rows = [
        (
            "Model card",
            format!("{} ({})", code(&s.card), md(&s.format)),
        ),
        ("Version", opt(&f.version)),
        ("Owner", owner.trim().to_string()),
        ("Lifecycle", opt(&f.lifecycle)),
        ("Risk tier", md(&f.tier_label())),
        ("Gate", md(&gate_label(&s.gate))),
        (
            "Impact assessment",
            if ia.is_empty() {
                "none".to_string()
            } else {
                format!(
                    "approved by {} on {}; next review {}{}",
                    opt(&ia.approved_by),
                    opt(&ia.approved_at),
                    opt(&ia.next_review),
                    ia.file
                        .as_deref()
                        .map(|file| format!(" ({})", code(file)))
                        .unwrap_or_default()
                )
            },
        ),
        ("Datasets", list(&f.datasets)),
        ("Suppliers", list(&f.suppliers)),
        ("Evidence at commit", commit),
    ];
    for (k, v) in rows {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    o.push_str("\nDocuments read:\n\n");
    let _ = writeln!(o, "- model card: {}", code(&s.card));
    for d in &s.documents {
        let _ = writeln!(o, "- {}: {}", code(&d.field), code(&d.file));
    }
    o.push_str("\n| Control | Status | Rule | Evidence |\n|---|---|---|---|\n");
    for c in &s.controls {
        if c.rules.is_empty() {
            let _ = writeln!(o, "| {} | {} | - | - |", code(&c.control), status(c.status));
            continue;
        }
        for rule in &c.rules {
            let evidence = if rule.evidence.is_empty() {
                md(rule.note.as_deref().unwrap_or("-"))
            } else {
                rule.evidence
                    .iter()
                    .map(loc)
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} {} | {evidence} |",
                code(&c.control),
                status(c.status),
                code(&rule.rule),
                status(rule.status)
            );
        }
    }
    if !s.findings.is_empty() {
        o.push_str("\nFindings:\n\n");
        for f in &s.findings {
            let _ = writeln!(
                o,
                "- {}{} {} at {}: {}",
                f.severity,
                if f.waived {
                    " (waived)"
                } else if f.baselined {
                    " (baselined)"
                } else {
                    ""
                },
                code(&f.rule),
                code(&format!("{}:{}", f.file, f.line)),
                md(&f.message)
            );
        }
    }
}

/// The rule, and what kind of exception it is when not a waiver.
fn rule_and_kind(w: &super::evidence::WaiverRow) -> String {
    if w.kind == "waiver" {
        code(&w.rule)
    } else {
        format!("{} ({})", code(&w.rule), md(&w.kind))
    }
}
