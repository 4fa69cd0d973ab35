//! SARIF 2.1.0 as GitHub code scanning reads it: one run, a rule per catalog
//! entry (help, tags = controls, default level), a result per finding with a
//! region, a partial fingerprint that survives line moves, and waived findings
//! as externally suppressed results. Under a baseline, each result's
//! `baselineState` is `unchanged` (the baseline holds it) or `new`.

use crate::evaluate::metadata::RuleMeta;
use crate::finding::{Finding, Severity};
use crate::pipeline::Outcome;
use serde_sarif::sarif;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::OnceLock;

/// The published SARIF 2.1.0 schema (what `$schema` names).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/aimsgate/aimsgate";
/// The rule catalog; each built-in rule is a heading, `#<rule id>`.
pub const RULES_DOC: &str = "https://github.com/aimsgate/aimsgate/blob/main/docs/rules.md";
/// The partial fingerprint's key; bump the version when the hashed fields change.
pub const FINGERPRINT_KEY: &str = "aimsgate/v1";

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let log = build(outcome);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The SARIF log as a value, for callers that post-process it.
pub fn build(outcome: &Outcome) -> sarif::Sarif {
    // Rules: the catalog, then any rule a finding names that has no metadata.
    let mut ids: Vec<&str> = outcome.catalog.keys().map(String::as_str).collect();
    let extra: BTreeSet<&str> = outcome
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .filter(|r| !outcome.catalog.contains_key(*r))
        .collect();
    ids.extend(extra);
    let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules: Vec<sarif::ReportingDescriptor> = ids
        .iter()
        .map(|id| descriptor(id, outcome.catalog.get(*id)))
        .collect();

    let identities = identities(&outcome.findings);
    let results: Vec<sarif::Result> = outcome
        .findings
        .iter()
        .zip(&identities)
        .map(|(f, (hash, occurrence))| {
            let mut r = result(f, index[f.rule.as_str()], &format!("{hash}:{occurrence}"));
            // Against a baseline, each result is new or was there already.
            if outcome.baseline_applied {
                let state = if f.baselined { "unchanged" } else { "new" };
                r.baseline_state = Some(serde_json::Value::from(state));
            }
            r
        })
        .collect();

    let driver = sarif::ToolComponent::builder()
        .name("aimsgate")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build()
}

fn descriptor(id: &str, meta: Option<&RuleMeta>) -> sarif::ReportingDescriptor {
    let mut d = sarif::ReportingDescriptor::builder().id(id).build();
    let title = meta.map(|m| m.title.trim()).filter(|t| !t.is_empty());
    // A Pascal-case friendly name; SARIF1001: never the id itself (in any case),
    // so a one-word id is named after its title (`owner` → `OwnerDeclared`).
    d.name = [pascal_case(id), pascal_case(title.unwrap_or_default())]
        .into_iter()
        .find(|n| !n.is_empty() && !n.eq_ignore_ascii_case(id));
    let description = meta.map(|m| m.description.trim()).filter(|t| !t.is_empty());
    d.short_description = Some(text(title.unwrap_or(id)));
    d.full_description = Some(text(description.or(title).unwrap_or(id)));
    d.help_uri = help_uri(id, meta);
    d.default_configuration = Some(sarif::ReportingConfiguration {
        level: Some(serde_json::Value::from(level(
            meta.map_or(Some(Severity::Error), default_severity),
        ))),
        ..Default::default()
    });
    if let Some(meta) = meta {
        d.help = Some(help(meta));
        if !meta.controls.is_empty() {
            d.properties = Some(sarif::PropertyBag {
                tags: Some(meta.controls.clone()),
                ..Default::default()
            });
        }
    }
    d
}

fn result(f: &Finding, rule_index: usize, fingerprint: &str) -> sarif::Result {
    let region = sarif::Region {
        start_line: Some(i64::from(f.line.max(1))),
        start_column: Some(i64::from(f.column.max(1))),
        ..Default::default()
    };
    let location = sarif::Location {
        physical_location: Some(sarif::PhysicalLocation {
            artifact_location: Some(sarif::ArtifactLocation {
                uri: Some(file_uri(&f.file)),
                ..Default::default()
            }),
            region: Some(region),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut r = sarif::Result::builder()
        .message(sarif::Message {
            text: Some(message_text(&f.message)),
            ..Default::default()
        })
        .build();
    r.rule_id = Some(f.rule.clone());
    r.rule_index = Some(rule_index as i64);
    r.level = Some(match f.severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Note => sarif::ResultLevel::Note,
    });
    r.locations = Some(vec![location]);
    r.partial_fingerprints = Some(BTreeMap::from([(
        FINGERPRINT_KEY.to_string(),
        fingerprint.to_string(),
    )]));
    let mut properties = BTreeMap::new();
    if let Some(system) = &f.system {
        properties.insert(
            "system".to_string(),
            serde_json::Value::from(system.clone()),
        );
    }
    if let Some(field) = &f.field {
        properties.insert("field".to_string(), serde_json::Value::from(field.clone()));
    }
    if !properties.is_empty() {
        r.properties = Some(sarif::PropertyBag {
            additional_properties: properties,
            ..Default::default()
        });
    }
    if f.waived {
        let mut suppression = sarif::Suppression::builder()
            .kind(serde_json::Value::from("external"))
            .build();
        suppression.justification = Some(
            f.waiver
                .clone()
                .unwrap_or_else(|| "waived by an approved aimsgate waiver".to_string()),
        );
        // SARIF's status: "accepted" only for an approval aimsgate verified;
        // a name written in a file stays "underReview".
        if let Some(approval) = &f.approval {
            suppression.status = Some(serde_json::Value::from(if approval.verified {
                "accepted"
            } else {
                "underReview"
            }));
            let mut bag = std::collections::BTreeMap::new();
            bag.insert(
                "approval".to_string(),
                serde_json::to_value(approval).unwrap_or_default(),
            );
            suppression.properties = Some(sarif::PropertyBag {
                additional_properties: bag,
                ..Default::default()
            });
        }
        r.suppressions = Some(vec![suppression]);
    }
    r
}

fn text(s: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder().text(s).build()
}

fn level(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        Some(Severity::Note) => "note",
        None => "none",
    }
}

/// The most severe level the rule has for any tier (`None`: off for every tier).
fn default_severity(meta: &RuleMeta) -> Option<Severity> {
    if let Some(all) = meta.severity_all {
        return all;
    }
    ["high", "limited", "minimal", "prohibited"]
        .iter()
        .map(|t| match meta.severity_for(t) {
            None => Some(Severity::Error),
            Some(s) => s,
        })
        .max()
        .flatten()
}

fn help(meta: &RuleMeta) -> sarif::MultiformatMessageString {
    let mut plain = meta.remediation.trim().to_string();
    let mut markdown = remediation_markdown(&meta.remediation);
    if !meta.controls.is_empty() {
        let controls = meta.controls.join(", ");
        plain.push_str(&format!("\n\nControls: {controls}"));
        markdown.push_str(&format!(
            "\n\n**Controls:** {}",
            super::markdown::escape(&controls)
        ));
    }
    let links: Vec<_> = meta
        .related_resources
        .iter()
        .filter(|r| is_web_link(&r.r#ref))
        .collect();
    if !links.is_empty() {
        plain.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References:**\n");
        for r in links {
            let label = if r.description.is_empty() {
                &r.r#ref
            } else {
                &r.description
            };
            plain.push_str(&format!("\n- {label}: {}", r.r#ref));
            markdown.push_str(&format!(
                "\n- [{}](<{}>)",
                super::markdown::escape(label),
                r.r#ref.replace(['<', '>', ' '], "")
            ));
        }
    }
    if plain.is_empty() {
        plain = meta.title.clone();
        markdown = super::markdown::escape(&meta.title);
    }
    sarif::MultiformatMessageString {
        text: plain,
        markdown: Some(markdown),
        properties: None,
    }
}

/// A remediation is prose with indented YAML examples; Markdown wants those fenced.
pub(crate) fn remediation_markdown(remediation: &str) -> String {
    let lines: Vec<&str> = remediation.trim_matches('\n').lines().collect();
    let indented = |l: &str| l.starts_with([' ', '\t']) && !l.trim().is_empty();
    let mut out = String::new();
    let mut in_code = false;
    for (i, line) in lines.iter().enumerate() {
        if indented(line) {
            if !in_code {
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                out.push_str("```yaml\n");
                in_code = true;
            }
            out.push_str(line.strip_prefix("  ").unwrap_or(line));
            out.push('\n');
        } else if line.trim().is_empty() {
            let code_continues = lines[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| indented(l));
            if in_code && code_continues {
                out.push('\n');
            } else {
                if in_code {
                    out.push_str("```\n");
                    in_code = false;
                }
                out.push('\n');
            }
        } else {
            if in_code {
                out.push_str("```\n\n");
                in_code = false;
            }
            out.push_str(line.trim());
            out.push('\n');
        }
    }
    if in_code {
        out.push_str("```\n");
    }
    out.trim_end().to_string()
}

fn is_web_link(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Where a rule is documented: the catalog page for built-in rules, else the
/// rule's first web reference.
pub fn help_uri(id: &str, meta: Option<&RuleMeta>) -> Option<String> {
    if builtin_rule_ids().contains(id) {
        return Some(format!("{RULES_DOC}#{}", anchor(id)));
    }
    meta?
        .related_resources
        .iter()
        .map(|r| r.r#ref.as_str())
        .find(|r| is_web_link(r) && !r.contains(|c: char| c.is_whitespace() || c.is_control()))
        .map(str::to_string)
}

/// The ids of the built-in pack, whose rules docs/rules.md documents.
pub fn builtin_rule_ids() -> &'static BTreeSet<String> {
    static IDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let limits = crate::load::format::Limits::default();
        crate::evaluate::policy::builtin()
            .iter()
            .filter(|s| !s.is_test())
            .filter_map(|s| {
                crate::evaluate::metadata::package_metadata(&s.text, &s.path, &limits)
                    .ok()
                    .flatten()
            })
            .map(|m| m.id)
            .filter(|id| !id.is_empty())
            .collect()
    })
}

/// GitHub's heading anchor for a heading that is exactly `id`.
fn anchor(id: &str) -> String {
    id.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// `bias-threshold` → `BiasThreshold`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// SARIF plain-text messages give `[`/`]` meaning (embedded links); literal
/// ones are escaped with a backslash (SARIF 2.1.0 §3.11.6).
fn message_text(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if matches!(c, '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    if out.is_empty() {
        out.push_str("(no message)");
    }
    out
}

/// A finding's file as a URI reference: relative paths stay relative (to the
/// repository root, as GitHub resolves them), absolute ones become `file:` URIs;
/// anything outside the unreserved set is percent-encoded.
pub fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1..3] == *b":/";
    if path.starts_with('/') {
        format!("file://{}", percent_encode(&path))
    } else if drive {
        format!("file:///{}", percent_encode(&path))
    } else {
        percent_encode(path.trim_start_matches("./"))
    }
}

fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Each finding's identity, stable across runs and line moves: a hash of its
/// rule, file and field (its message when it names no field), and its
/// occurrence (1-based, in report order) among findings with the same hash.
pub fn identities(findings: &[Finding]) -> Vec<(String, usize)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let hash = identity_hash(f);
            let n = seen.entry(hash.clone()).or_insert(0);
            *n += 1;
            (hash, *n)
        })
        .collect()
}

fn identity_hash(f: &Finding) -> String {
    let mut h = Sha256::new();
    let parts = match (&f.field, &f.key) {
        (None, Some(key)) => [f.rule.as_str(), "key", key.as_str()],
        _ => [
            f.rule.as_str(),
            f.file.as_str(),
            f.field.as_deref().unwrap_or(&f.message),
        ],
    };
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_references() {
        assert_eq!(file_uri("a b/c%d.md"), "a%20b/c%25d.md");
        assert_eq!(file_uri("./x/y.md"), "x/y.md");
        assert_eq!(file_uri("/tmp/r/x.md"), "file:///tmp/r/x.md");
        assert_eq!(file_uri("C:\\r\\x.md"), "file:///C%3A/r/x.md");
        assert_eq!(file_uri("a:b\r\n,#?.md"), "a%3Ab%0D%0A%2C%23%3F.md");
    }

    #[test]
    fn names_and_messages() {
        assert_eq!(pascal_case("bias-threshold"), "BiasThreshold");
        assert_eq!(pascal_case("owner"), "Owner");
        assert_eq!(message_text("see [x](1)"), "see \\[x\\](1)");
        assert_eq!(anchor("human-oversight"), "human-oversight");
    }

    #[test]
    fn remediation_examples_are_fenced() {
        let md =
            remediation_markdown("Declare it:\n\n  a:\n    b: 1\n\n  c: 2\nor else:\n\n  d: 3");
        assert_eq!(
            md,
            "Declare it:\n\n```yaml\na:\n  b: 1\n\nc: 2\n```\n\nor else:\n\n```yaml\nd: 3\n```"
        );
    }

    #[test]
    fn fingerprints_ignore_lines_and_count_duplicates() {
        let f = |line: u32, field: Option<&str>| Finding {
            rule: "owner".into(),
            severity: Severity::Error,
            message: "m".into(),
            system: None,
            file: "a.md".into(),
            line,
            column: 1,
            field: field.map(str::to_string),
            key: None,
            controls: vec![],
            waived: false,
            baselined: false,
            baseline: None,
            help: None,
            waiver: None,
            approval: None,
            exception: None,
        };
        let ids = identities(&[f(1, Some("x")), f(9, Some("x")), f(3, Some("y"))]);
        assert_eq!(ids[0].0, ids[1].0);
        assert_eq!((ids[0].1, ids[1].1, ids[2].1), (1, 2, 1));
        assert_ne!(ids[0].0, ids[2].0);
        assert_eq!(identities(&[f(5, Some("x"))])[0], ids[0]);
    }
}
