//! OPA `# METADATA` annotations. regorus ignores comments, so aimsgate reads
//! the package-scoped block itself: title, description, related resources and
//! the `custom` keys (id, severity per tier, controls, remediation).

use crate::finding::Severity;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Severity per tier (`high`, `limited`, `minimal`, `prohibited`); `None` means off.
    pub severity: BTreeMap<String, Option<Severity>>,
    /// One severity for every tier, when the block gives a single string.
    pub severity_all: Option<Option<Severity>>,
    pub controls: Vec<String>,
    pub remediation: String,
    pub related_resources: Vec<Resource>,
    /// The policy file the block came from.
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub r#ref: String,
    pub description: String,
}

impl RuleMeta {
    /// The severity for a tier: `Some(None)` when the rule is off for it, `None` when unspecified.
    pub fn severity_for(&self, tier: &str) -> Option<Option<Severity>> {
        if let Some(all) = self.severity_all {
            return Some(all);
        }
        self.severity.get(tier).copied().or_else(|| {
            // prohibited systems are judged at least as strictly as high-risk ones
            (tier == "prohibited")
                .then(|| self.severity.get("high").copied())
                .flatten()
        })
    }

    /// "E/W/-" as in the catalog.
    pub fn severity_table(&self) -> String {
        ["high", "limited", "minimal"]
            .iter()
            .map(|t| match self.severity_for(t) {
                Some(Some(Severity::Error)) | None => "E",
                Some(Some(Severity::Warning)) => "W",
                Some(Some(Severity::Note)) => "N",
                Some(None) => "-",
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The package name declared in a Rego source, if any.
pub fn package_of(source: &str) -> Option<String> {
    source.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("package ")?;
        Some(rest.split_whitespace().next()?.to_string())
    })
}

/// Names of rules declared at the top level whose name starts with one of `prefixes`.
pub fn rule_heads(source: &str, prefixes: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in source.lines() {
        // Rule heads start at column 1 in any formatted Rego (opa fmt, regal).
        if line.starts_with([' ', '\t', '#']) {
            continue;
        }
        let name: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let matches = prefixes
            .iter()
            .any(|p| name == *p || name.starts_with(&format!("{p}_")));
        if matches && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The METADATA block directly above the `package` line, parsed.
pub fn package_metadata(
    source: &str,
    file: &str,
    limits: &crate::load::format::Limits,
) -> Result<Option<RuleMeta>, String> {
    let mut block: Vec<&str> = Vec::new();
    let mut in_block = false;
    let mut first_line = 0;
    for (i, line) in source.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed == "# METADATA" {
            in_block = true;
            block.clear();
            first_line = i + 2;
            continue;
        }
        if in_block {
            if let Some(rest) = trimmed.strip_prefix('#') {
                block.push(rest.strip_prefix(' ').unwrap_or(rest));
                continue;
            }
            in_block = false;
            if trimmed.starts_with("package ") {
                return parse_block(&block.join("\n"), file, first_line, limits).map(Some);
            }
            block.clear();
        } else if trimmed.starts_with("package ") {
            return Ok(None);
        }
    }
    Ok(None)
}

fn parse_block(
    yaml: &str,
    file: &str,
    first_line: usize,
    limits: &crate::load::format::Limits,
) -> Result<RuleMeta, String> {
    let name: std::sync::Arc<str> = std::sync::Arc::from(file);
    let node = crate::load::yaml::parse_yaml(yaml, &name, limits).map_err(|e| {
        format!(
            "METADATA at line {}: {}",
            first_line + e.line as usize - 1,
            e.message
        )
    })?;
    let value = node.to_json();
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").trim().to_string();
    let custom = value.get("custom");
    let mut meta = RuleMeta {
        id: text(custom.and_then(|c| c.get("id"))),
        title: text(value.get("title")),
        description: text(value.get("description")),
        remediation: text(custom.and_then(|c| c.get("remediation"))),
        file: file.to_string(),
        ..RuleMeta::default()
    };
    if let Some(controls) = custom
        .and_then(|c| c.get("controls"))
        .and_then(Value::as_array)
    {
        meta.controls = controls
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
    match custom.and_then(|c| c.get("severity")) {
        Some(Value::String(s)) => meta.severity_all = Some(severity(s, first_line)?),
        Some(Value::Object(tiers)) => {
            for (tier, s) in tiers {
                let s = s.as_str().ok_or_else(|| {
                    format!(
                        "METADATA at line {first_line}: custom.severity.{tier} must be a string"
                    )
                })?;
                meta.severity.insert(tier.clone(), severity(s, first_line)?);
            }
        }
        Some(_) => {
            return Err(format!(
            "METADATA at line {first_line}: custom.severity must be a string or a mapping of tiers"
        ))
        }
        None => {}
    }
    if let Some(resources) = value.get("related_resources").and_then(Value::as_array) {
        for r in resources {
            let (reference, description) = match r {
                Value::String(s) => (s.clone(), String::new()),
                other => (text(other.get("ref")), text(other.get("description"))),
            };
            meta.related_resources.push(Resource {
                r#ref: reference,
                description,
            });
        }
    }
    Ok(meta)
}

fn severity(s: &str, line: usize) -> Result<Option<Severity>, String> {
    if s == "off" {
        return Ok(None);
    }
    Severity::parse(s).map(Some).ok_or_else(|| {
        format!("METADATA at line {line}: severity {s:?} is not error, warning, note or off")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "# METADATA\n# title: Owner\n# custom:\n#   id: owner\n#   severity: {high: error, limited: warning, minimal: off}\n#   controls: [iso42001:A.3.2]\npackage aimsgate.rules.owner\n\ndeny contains x if { x := 1 }\nwarn_old contains 1 if { true }\n  deny_not_a_head := 1\n";

    #[test]
    fn reads_the_package_block() {
        let meta = package_metadata(SOURCE, "owner.rego", &Default::default())
            .unwrap()
            .unwrap();
        assert_eq!(meta.id, "owner");
        assert_eq!(meta.title, "Owner");
        assert_eq!(meta.controls, vec!["iso42001:A.3.2"]);
        assert_eq!(meta.severity_for("limited"), Some(Some(Severity::Warning)));
        assert_eq!(meta.severity_for("minimal"), Some(None));
        assert_eq!(meta.severity_table(), "E/W/-");
    }

    #[test]
    fn finds_packages_and_rule_heads() {
        assert_eq!(package_of(SOURCE).as_deref(), Some("aimsgate.rules.owner"));
        assert_eq!(
            rule_heads(SOURCE, &["deny", "warn"]),
            vec!["deny", "warn_old"]
        );
    }

    #[test]
    fn rejects_unknown_severity() {
        let src = "# METADATA\n# custom:\n#   severity: fatal\npackage p\n";
        assert!(package_metadata(src, "p.rego", &Default::default()).is_err());
    }
}
