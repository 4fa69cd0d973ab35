//! `path:line:col: error[rule]: message`, a help line, the controls, a summary.

use super::escape::terminal;
use crate::finding::Severity;
use crate::pipeline::Outcome;
use anstyle::{AnsiColor, Style};
use std::io::Write;

pub fn render(outcome: &Outcome, out: &mut dyn Write, color: bool) -> std::io::Result<()> {
    let paint = |style: Style, text: &str| -> String {
        if color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    };
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    for f in &outcome.findings {
        let level_style = match (f.excused(), f.severity) {
            (true, _) => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
            (_, Severity::Error) => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            (_, Severity::Warning) => Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            (_, Severity::Note) => Style::new().fg_color(Some(AnsiColor::Blue.into())),
        };
        let level = if f.waived {
            format!("{} (waived)", f.severity)
        } else if f.baselined {
            format!("{} (baselined)", f.severity)
        } else {
            f.severity.to_string()
        };
        writeln!(
            out,
            "{}: {}: {}",
            paint(
                bold,
                &format!("{}:{}:{}", terminal(&f.file, false), f.line, f.column)
            ),
            paint(
                level_style,
                &format!("{level}[{}]", terminal(&f.rule, false))
            ),
            terminal(&f.message, false)
        )?;
        // A waived finding needs no fix; it says what waives it instead.
        if let Some(help) = f
            .help
            .as_deref()
            .filter(|_| !f.waived)
            .map(first_paragraph)
            .filter(|h| !h.is_empty())
        {
            // The paragraph introduces an example that `explain` prints.
            let help = match help.strip_suffix(':') {
                Some(intro) => format!("{intro} (`aimsgate explain {}` shows how)", f.rule),
                None => help,
            };
            writeln!(
                out,
                "  {} {}",
                paint(dim, "= help:"),
                terminal(&help, false)
            )?;
        }
        if let Some(why) = f.waiver.as_deref().filter(|_| f.waived) {
            writeln!(
                out,
                "  {} {}",
                paint(dim, "= waived:"),
                terminal(why, false)
            )?;
        }
        if let Some(mark) = f.baseline.as_ref().filter(|_| f.baselined) {
            let why = mark.describe();
            let why = why.strip_prefix("baselined: ").unwrap_or(&why);
            writeln!(
                out,
                "  {} {}",
                paint(dim, "= baselined:"),
                terminal(why, false)
            )?;
        }
        if !f.controls.is_empty() {
            writeln!(
                out,
                "  {} {}",
                paint(dim, "= controls:"),
                terminal(&f.controls.join(", "), false)
            )?;
        }
    }
    let s = &outcome.summary;
    if !outcome.findings.is_empty() {
        writeln!(out)?;
    }
    for na in &outcome.not_applicable {
        writeln!(
            out,
            "{} rule {} not evaluated: {} marked not applicable ({})",
            paint(Style::new().fg_color(Some(AnsiColor::Blue.into())), "note:"),
            na.rule,
            na.controls.join(", "),
            terminal(&na.justification, false)
        )?;
    }
    let verdict = if outcome.failing() {
        paint(
            Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            "failed",
        )
    } else {
        paint(
            Style::new().bold().fg_color(Some(AnsiColor::Green.into())),
            "passed",
        )
    };
    // Notes (ML code left unchecked, say) and baselined findings are
    // counted only when there are any.
    let notes = if s.notes > 0 {
        format!(", {}", plural(s.notes, "note"))
    } else {
        String::new()
    };
    let baselined = if s.baselined > 0 {
        format!(", {} baselined", s.baselined)
    } else {
        String::new()
    };
    writeln!(
        out,
        "aimsgate: {verdict}: {} checked, {}, {}{notes}, {} waived{baselined}",
        plural(s.systems, "system"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        s.waived
    )
}

/// The remediation's opening paragraph on one line; the YAML example after it
/// is for `aimsgate explain`.
fn first_paragraph(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
