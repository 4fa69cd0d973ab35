//! The audit report as one self-contained HTML file: inline CSS, no scripts,
//! no external assets; readable on screen and in print. Every text that comes
//! from a card, a config or a path goes through `escape::html`.

use super::escape::html as esc;
use super::evidence::{ControlRow, Location, Report, Status, SystemEvidence};
use super::inventory::gate_label;
use std::fmt::Write as _;

const STYLE: &str = r#"
:root { --ink: #1d232b; --muted: #5b6572; --line: #d5dbe3; --head: #f2f5f8;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #b42318; --fail-bg: #fee4e2;
  --warn: #8a5a00; --warn-bg: #fff4d6; --waived: #5b3fa6; --waived-bg: #ece6fb;
  --baselined: #1f5f8b; --baselined-bg: #e3f0fa;
  --na: #5b6572; --na-bg: #eef1f4; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px; color: var(--ink);
  font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 0 0 8px; }
h4 { font-size: 14px; margin: 18px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
p { margin: 6px 0; }
.meta, .note { color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; overflow-wrap: break-word; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); font-weight: 600; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.tile b { display: block; font-size: 22px; }
.tile span { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600;
  white-space: nowrap; border: 1px solid transparent; }
.pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass); }
.fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
.warning { color: var(--warn); background: var(--warn-bg); border-color: var(--warn); }
.waived { color: var(--waived); background: var(--waived-bg); border-color: var(--waived); }
.baselined { color: var(--baselined); background: var(--baselined-bg); border-color: var(--baselined); }
.na { color: var(--na); background: var(--na-bg); border-color: var(--line); }
.counts .badge { margin: 0 4px 2px 0; }
.scroll { overflow-x: auto; }
table.matrix th.sys { font-size: 12px; writing-mode: horizontal-tb; min-width: 90px; }
table.matrix td { text-align: center; }
table.matrix td.ctl, table.matrix th.ctl { text-align: left; }
table.facts th { width: 190px; }
ul.loc { margin: 0; padding-left: 16px; }
td.rules code, td.rule code { white-space: nowrap; overflow-wrap: normal; }
nav ol { margin: 4px 0; padding-left: 20px; columns: 2; }
article.system { border-top: 1px solid var(--line); padding-top: 18px; margin-top: 22px; }
.excluded td { background: #fafbfc; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5px; }
  h2 { break-before: page; page-break-before: always; margin-top: 0; }
  h2.first { break-before: auto; page-break-before: auto; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  article.system { break-before: page; page-break-before: always; border-top: 0; margin-top: 0; padding-top: 0; }
  article.system.first { break-before: auto; page-break-before: auto; }
  nav { display: none; }
  .scroll { overflow: visible; }
  th, td { padding: 3px 5px; }
  code, .mono { font-size: 9.5px; }
  .badge { font-size: 8.5px; padding: 0 5px; }
  .tile { padding: 4px 10px; min-width: 90px; }
  .tile b { font-size: 16px; }
  .badge, th, .tile { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"#;

fn badge(status: Status) -> String {
    let class = match status {
        Status::NotApplicable => "na",
        other => other.label(),
    };
    format!("<span class=\"badge {class}\">{}</span>", status.label())
}

fn loc(l: &Location) -> String {
    let field = l
        .field
        .as_deref()
        .map(|f| format!(" <span class=\"meta\">({})</span>", esc(f)))
        .unwrap_or_default();
    format!("<code>{}:{}</code>{field}", path(&l.file), l.line)
}

/// A path: escaped, with line-break opportunities after each `/`.
fn path(p: &str) -> String {
    esc(p).replace('/', "/<wbr>")
}

fn opt(v: &Option<String>) -> String {
    v.as_deref()
        .map_or_else(|| "<span class=\"meta\">not given</span>".to_string(), esc)
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "<span class=\"meta\">none</span>".into()
    } else {
        v.iter().map(|s| esc(s)).collect::<Vec<_>>().join(", ")
    }
}

fn anchor(id: &str) -> String {
    let mut out = String::from("sys-");
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}", c as u32);
        }
    }
    out
}

/// Nothing runs and nothing loads: no script, no remote or local fetch, no
/// form; only the report's own stylesheet, allowed by its hash.
pub fn content_security_policy() -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
}

pub fn render(r: &Report) -> String {
    let mut o = String::with_capacity(64 * 1024);
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<meta name=\"generator\" content=\"aimsgate\">\n");
    let _ = writeln!(
        o,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        content_security_policy()
    );
    let _ = writeln!(
        o,
        "<title>AI management system audit evidence ({})</title>",
        esc(&r.now)
    );
    let _ = writeln!(o, "<style>{STYLE}</style>\n</head>\n<body>");
    header(&mut o, r);
    soa(&mut o, r);
    matrix(&mut o, r);
    systems(&mut o, r);
    waivers(&mut o, r);
    reviews(&mut o, r);
    backlog(&mut o, r);
    let _ = writeln!(
        o,
        "<footer>Generated by aimsgate {} from the model cards, impact assessments, datasheets and bias-test results in the repository, as of {}. Statuses: <b>pass</b> no finding; <b>warning</b> findings that do not fail the gate; <b>waived</b> failing findings accepted by an approved, unexpired waiver; <b>baselined</b> a legacy failing finding the baseline holds until its due date; <b>fail</b> an error not waived or baselined; <b>n/a</b> control excluded, rule skipped or not required for the system's risk tier.</footer>",
        esc(r.tool["version"].as_str().unwrap_or_default()),
        esc(&r.now)
    );
    o.push_str("</body>\n</html>\n");
    o
}

fn header(o: &mut String, r: &Report) {
    o.push_str("<header>\n<h1>AI management system audit evidence</h1>\n");
    let _ = writeln!(
        o,
        "<p class=\"meta\">ISO/IEC 42001:2023 Annex A controls, as checked by aimsgate {} on {}.</p>",
        esc(r.tool["version"].as_str().unwrap_or_default()),
        esc(&r.now)
    );
    o.push_str("<table class=\"facts\"><tbody>\n");
    for root in &r.roots {
        let rev = match &root.revision {
            Some(rev) => format!(
                "at commit <code>{}</code>{}",
                esc(&rev.commit),
                if rev.dirty {
                    " <span class=\"badge warning\">uncommitted changes</span>"
                } else {
                    ""
                }
            ),
            None => "<span class=\"meta\">(not a git work tree)</span>".into(),
        };
        let _ = writeln!(
            o,
            "<tr><th>Scanned</th><td><code>{}</code> {rev}</td></tr>",
            esc(&root.path)
        );
    }
    o.push_str("</tbody></table>\n<div class=\"tiles\">\n");
    let s = &r.summary;
    let tiles = [
        (s.systems.to_string(), "AI systems"),
        (s.passing.to_string(), "passing the gate"),
        (s.failing.to_string(), "failing the gate"),
        (
            format!("{}/{}", s.controls - s.controls_excluded, s.controls),
            "controls applicable",
        ),
        (s.controls_failing.to_string(), "controls failing"),
        (r.waivers.len().to_string(), "waivers"),
        (s.reviews_due.to_string(), "reviews due"),
    ];
    for (value, label) in tiles {
        let _ = writeln!(
            o,
            "<div class=\"tile\"><b>{value}</b><span>{label}</span></div>"
        );
    }
    o.push_str("</div>\n<nav><b>Contents</b><ol>\n");
    for (id, title) in [
        ("soa", "Statement of Applicability"),
        ("matrix", "Controls × systems"),
        ("systems", "Evidence per system"),
        ("waivers", "Waivers"),
        ("reviews", "Impact assessment reviews due"),
        ("backlog", "Adoption backlog"),
    ] {
        let _ = writeln!(o, "<li><a href=\"#{id}\">{title}</a></li>");
    }
    o.push_str("</ol></nav>\n</header>\n");
}

fn counts(c: &ControlRow) -> String {
    let mut parts = Vec::new();
    for (n, status) in [
        (c.counts.fail, Status::Fail),
        (c.counts.baselined, Status::Baselined),
        (c.counts.warning, Status::Warning),
        (c.counts.waived, Status::Waived),
        (c.counts.pass, Status::Pass),
        (c.counts.not_applicable, Status::NotApplicable),
    ] {
        if n > 0 {
            let class = if status == Status::NotApplicable {
                "na"
            } else {
                status.label()
            };
            parts.push(format!(
                "<span class=\"badge {class}\">{n} {}</span>",
                status.label()
            ));
        }
    }
    if c.outside_systems != Status::NotApplicable {
        parts.push(format!(
            "<br><span class=\"meta\">and {} outside any system</span>",
            c.outside_systems.label()
        ));
    }
    format!("<div class=\"counts\">{}</div>", parts.join(""))
}

fn soa(o: &mut String, r: &Report) {
    o.push_str("<section id=\"soa\">\n<h2 class=\"first\">1. Statement of Applicability</h2>\n");
    o.push_str("<p>Each control a rule enforces, or the configuration (<code>[controls]</code> in <code>aimsgate.toml</code>) names: whether it applies and why, the rules that implement it, and its status across the AI systems in scope.</p>\n");
    o.push_str("<div class=\"scroll\"><table class=\"soa\">\n<thead><tr><th>Control</th><th>Applicable</th><th>Justification</th><th>Implemented by</th><th>Status</th><th>Across systems</th></tr></thead>\n<tbody>\n");
    for c in &r.controls {
        let title = if c.title.is_empty() {
            String::new()
        } else {
            format!("<br>{}", esc(&c.title))
        };
        let rules = if c.rules.is_empty() {
            "<span class=\"meta\">no rule</span>".to_string()
        } else {
            c.rules
                .iter()
                .map(|r| format!("<code>{}</code>", esc(r)))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let _ = writeln!(
            o,
            "<tr{}><td><b class=\"mono\">{}</b>{title}</td><td>{}</td><td>{}</td><td class=\"rules\">{rules}</td><td>{}</td><td>{}</td></tr>",
            if c.applicable { "" } else { " class=\"excluded\"" },
            esc(&c.control),
            if c.applicable { "Yes" } else { "<b>No (excluded)</b>" },
            esc(&c.justification),
            badge(c.status),
            counts(c)
        );
    }
    o.push_str("</tbody></table></div>\n");
    if !r.skipped_rules.is_empty() {
        o.push_str("<h4>Rules skipped because their controls are excluded</h4>\n<ul>\n");
        for n in &r.skipped_rules {
            let _ = writeln!(
                o,
                "<li><code>{}</code> ({}): {}</li>",
                esc(&n.rule),
                esc(&n.controls.join(", ")),
                esc(&n.justification)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

fn short(id: &str) -> &str {
    id.rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(id)
}

fn matrix(o: &mut String, r: &Report) {
    o.push_str("<section id=\"matrix\">\n<h2>2. Controls × systems</h2>\n");
    if r.systems.is_empty() {
        o.push_str("<p class=\"note\">No AI systems were found.</p>\n</section>\n");
        return;
    }
    o.push_str(
        "<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th class=\"ctl\">Control</th>",
    );
    for s in &r.systems {
        let _ = write!(
            o,
            "<th class=\"sys\" title=\"{}\"><a href=\"#{}\">{}</a></th>",
            esc(&s.id),
            anchor(&s.id),
            esc(short(&s.id))
        );
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for c in &r.controls {
        let _ = write!(
            o,
            "<tr><td class=\"ctl\"><span class=\"mono\">{}</span></td>",
            esc(&c.control)
        );
        for s in &c.systems {
            let _ = write!(o, "<td>{}</td>", badge(s.status));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("<tr><td class=\"ctl\"><b>Gate</b></td>");
    for s in &r.systems {
        let status = if s.gate.status == "fail" {
            Status::Fail
        } else {
            Status::Pass
        };
        let _ = write!(o, "<td>{}</td>", badge(status));
    }
    o.push_str("</tr>\n</tbody></table></div>\n");
    if !r.outside_systems.is_empty() {
        o.push_str("<h4>Findings outside any system</h4>\n<ul>\n");
        for f in &r.outside_systems {
            let _ = writeln!(
                o,
                "<li>{} <code>{}</code> at <code>{}:{}</code>: {}</li>",
                badge(if f.waived {
                    Status::Waived
                } else if f.severity == crate::finding::Severity::Error {
                    Status::Fail
                } else {
                    Status::Warning
                }),
                esc(&f.rule),
                path(&f.file),
                f.line,
                esc(&f.message)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

fn systems(o: &mut String, r: &Report) {
    o.push_str("<section id=\"systems\">\n<h2>3. Evidence per system</h2>\n");
    o.push_str("<p>For every system: its register entry, the documents read, and for each control the rules that check it with the file and line of the evidence they read (for a rule that passed) or of their findings (for one that did not).</p>\n");
    for (i, s) in r.systems.iter().enumerate() {
        system(o, s, i == 0);
    }
    o.push_str("</section>\n");
}

fn system(o: &mut String, s: &SystemEvidence, first: bool) {
    let f = &s.facts;
    let _ = writeln!(
        o,
        "<article class=\"system{}\" id=\"{}\">",
        if first { " first" } else { "" },
        anchor(&s.id)
    );
    let status = if s.gate.status == "fail" {
        Status::Fail
    } else {
        Status::Pass
    };
    let _ = writeln!(
        o,
        "<h3>{} <span class=\"meta mono\">{}</span> {}</h3>",
        esc(s.name.as_deref().unwrap_or(&s.id)),
        esc(&s.id),
        badge(status)
    );
    o.push_str("<table class=\"facts\"><tbody>\n");
    let owner = match (&f.owner.name, &f.owner.contact) {
        (Some(n), Some(c)) => format!("{} ({})", esc(n), esc(c)),
        (n, c) => format!("{} {}", opt(n), c.as_deref().map(esc).unwrap_or_default()),
    };
    let ia = &f.impact_assessment;
    let assessment = if ia.is_empty() {
        "<span class=\"meta\">none</span>".to_string()
    } else {
        format!(
            "approved by {} on {}; next review {}{}",
            opt(&ia.approved_by),
            opt(&ia.approved_at),
            opt(&ia.next_review),
            ia.file
                .as_deref()
                .map(|file| format!(" (<code>{}</code>)", path(file)))
                .unwrap_or_default()
        )
    };
    let commit = match &s.revision {
        Some(rev) => format!(
            "<code>{}</code>{}",
            esc(&rev.commit),
            if rev.dirty {
                " (with uncommitted changes)"
            } else {
                ""
            }
        ),
        None => "<span class=\"meta\">not a git work tree</span>".into(),
    };
    let rows = [
        (
            "Model card",
            format!("<code>{}</code> ({})", path(&s.card), esc(&s.format)),
        ),
        ("Version", opt(&f.version)),
        ("Owner", owner),
        ("Lifecycle", opt(&f.lifecycle)),
        ("Risk tier", esc(&f.tier_label())),
        ("Gate", esc(&gate_label(&s.gate))),
        ("Impact assessment", assessment),
        ("Datasets", list(&f.datasets)),
        ("Suppliers", list(&f.suppliers)),
        ("Evidence at commit", commit),
    ];
    for (k, v) in rows {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    o.push_str("</tbody></table>\n");

    o.push_str("<h4>Documents read</h4>\n");
    o.push_str("<table><thead><tr><th>Record field</th><th>File</th></tr></thead><tbody>\n");
    let _ = writeln!(
        o,
        "<tr><td><span class=\"meta\">(model card)</span></td><td><code>{}</code></td></tr>",
        path(&s.card)
    );
    for d in &s.documents {
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
            esc(&d.field),
            path(&d.file)
        );
    }
    o.push_str("</tbody></table>\n");

    o.push_str("<h4>Controls and evidence</h4>\n");
    o.push_str("<table><thead><tr><th>Control</th><th>Status</th><th>Rule</th><th>Evidence</th></tr></thead><tbody>\n");
    for c in &s.controls {
        if c.rules.is_empty() {
            let _ = writeln!(
                o,
                "<tr><td class=\"mono\">{}</td><td>{}</td><td colspan=\"2\"><span class=\"meta\">{}</span></td></tr>",
                esc(&c.control),
                badge(c.status),
                if c.status == Status::NotApplicable { "excluded or not checked" } else { "" }
            );
            continue;
        }
        for (i, rule) in c.rules.iter().enumerate() {
            o.push_str("<tr>");
            if i == 0 {
                let _ = write!(
                    o,
                    "<td class=\"mono\" rowspan=\"{n}\">{}</td><td rowspan=\"{n}\">{}</td>",
                    esc(&c.control),
                    badge(c.status),
                    n = c.rules.len()
                );
            }
            let evidence = if rule.evidence.is_empty() {
                format!(
                    "<span class=\"meta\">{}</span>",
                    esc(rule.note.as_deref().unwrap_or("none"))
                )
            } else {
                format!(
                    "<ul class=\"loc\">{}</ul>",
                    rule.evidence
                        .iter()
                        .map(|l| format!("<li>{}</li>", loc(l)))
                        .collect::<String>()
                )
            };
            let _ = writeln!(
                o,
                "<td class=\"rule\"><code>{}</code> {}</td><td>{evidence}</td></tr>",
                esc(&rule.rule),
                badge(rule.status)
            );
        }
    }
    o.push_str("</tbody></table>\n");

    if !s.findings.is_empty() {
        o.push_str("<h4>Findings</h4>\n");
        o.push_str("<table><thead><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th></tr></thead><tbody>\n");
        for f in &s.findings {
            let class = match (f.waived, f.severity) {
                (true, _) => "waived",
                (false, _) if f.baselined => "baselined",
                (false, crate::finding::Severity::Error) => "fail",
                _ => "warning",
            };
            let _ = writeln!(
                o,
                "<tr><td><span class=\"badge {class}\">{}{}</span></td><td class=\"rule\"><code>{}</code></td><td><code>{}:{}</code></td><td>{}</td></tr>",
                f.severity.as_str(),
                if f.waived {
                    ", waived"
                } else if f.baselined {
                    ", baselined"
                } else {
                    ""
                },
                esc(&f.rule),
                path(&f.file),
                f.line,
                esc(&f.message)
            );
        }
        o.push_str("</tbody></table>\n");
    }
    o.push_str("</article>\n");
}

fn waivers(o: &mut String, r: &Report) {
    o.push_str("<section id=\"waivers\">\n<h2>4. Waivers and accepted risks</h2>\n");
    if r.waivers.is_empty() {
        o.push_str("<p class=\"note\">No waivers: every finding counts.</p>\n</section>\n");
        return;
    }
    o.push_str("<div class=\"scroll\"><table><thead><tr><th>Rule</th><th>Scope</th><th>Reason</th><th>Approved by</th><th>Expires</th><th>Status</th><th>Waives</th><th>Written at</th></tr></thead><tbody>\n");
    for w in &r.waivers {
        let class = match w.status {
            "active" => "pass",
            "expiring" => "warning",
            _ => "fail",
        };
        let expires = match (&w.expires, w.expiry_note()) {
            (Some(e), Some(note)) => format!("{} <span class=\"meta\">({note})</span>", esc(e)),
            (Some(e), None) => esc(e),
            (None, note) => format!("<span class=\"meta\">{}</span>", note.unwrap_or_default()),
        };
        let problem = w
            .problem
            .as_deref()
            .map(|p| format!("<br><span class=\"meta\">{}</span>", esc(p)))
            .unwrap_or_default();
        let kind = if w.kind == "waiver" {
            String::new()
        } else {
            format!(" <span class=\"meta\">({})</span>", esc(&w.kind))
        };
        let approval = esc(&w.approval.status());
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code>{kind}</td><td><code>{}</code></td><td>{}</td><td>{} <span class=\"meta\">({approval})</span></td><td>{expires}</td><td><span class=\"badge {class}\">{}</span>{problem}</td><td>{} finding{}</td><td><code>{}:{}</code></td></tr>",
            esc(&w.rule),
            esc(&w.scope),
            esc(&w.reason),
            esc(&w.approved_by),
            w.status,
            w.waived,
            if w.waived == 1 { "" } else { "s" },
            path(&w.file),
            w.line
        );
    }
    o.push_str("</tbody></table></div>\n</section>\n");
}

fn reviews(o: &mut String, r: &Report) {
    o.push_str("<section id=\"reviews\">\n<h2>5. Impact assessment reviews due</h2>\n");
    let _ = writeln!(
        o,
        "<p>Assessments whose <code>next_review</code> is past or within {} days of {}, or that name no review date.</p>",
        super::evidence::DUE_WITHIN_DAYS,
        esc(&r.now)
    );
    if r.reviews.is_empty() {
        o.push_str("<p class=\"note\">None: every impact assessment is scheduled for review more than 30 days from now.</p>\n</section>\n");
        return;
    }
    o.push_str("<table><thead><tr><th>System</th><th>Approved</th><th>Next review</th><th>Status</th><th>Assessment</th></tr></thead><tbody>\n");
    for v in &r.reviews {
        let class = match v.status {
            "due" => "warning",
            _ => "fail",
        };
        let when = match v.days {
            Some(d) if d < 0 => format!(" <span class=\"meta\">({} days overdue)</span>", -d),
            Some(d) => format!(" <span class=\"meta\">(in {d} days)</span>"),
            None => String::new(),
        };
        let _ = writeln!(
            o,
            "<tr><td>{} <span class=\"meta mono\">{}</span></td><td>{}</td><td>{}{when}</td><td><span class=\"badge {class}\">{}</span></td><td>{}</td></tr>",
            esc(v.name.as_deref().unwrap_or(&v.system)),
            esc(&v.system),
            opt(&v.approved_at),
            opt(&v.next_review),
            v.status,
            v.file
                .as_deref()
                .map(|f| format!("<code>{}</code>", path(f)))
                .unwrap_or_else(|| "<span class=\"meta\">none</span>".into())
        );
    }
    o.push_str("</tbody></table>\n</section>\n");
}

fn backlog(o: &mut String, r: &Report) {
    o.push_str("<section id=\"backlog\">\n<h2>6. Adoption backlog</h2>\n");
    o.push_str("<p>Legacy findings the baseline holds (<code>aimsgate baseline</code>): reported, and not failing the gate until their due date, when they fail again.</p>\n");
    if r.backlog.is_empty() {
        o.push_str("<p class=\"note\">None: no baseline holds a finding.</p>\n</section>\n");
        return;
    }
    o.push_str("<table><thead><tr><th>System</th><th>Rule</th><th>Location</th><th>Owner</th><th>Due</th><th>Message</th></tr></thead><tbody>\n");
    for item in &r.backlog {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"rule\"><code>{}</code></td><td><code>{}:{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            item.system
                .as_deref()
                .map(|s| format!("<code>{}</code>", esc(s)))
                .unwrap_or_else(|| "<span class=\"meta\">repository</span>".into()),
            esc(&item.rule),
            path(&item.file),
            item.line,
            item.field
                .as_deref()
                .map(|f| format!(" <span class=\"meta\">({})</span>", esc(f)))
                .unwrap_or_default(),
            item.owner.as_deref().map_or_else(|| "<span class=\"meta\">none</span>".to_string(), esc),
            esc(&item.due_note()),
            esc(&item.message)
        );
    }
    o.push_str("</tbody></table>\n</section>\n");
}
