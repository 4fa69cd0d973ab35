//! The register as a CycloneDX 1.6 ML-BOM: a component for each AI system
//! (carded or found in code), one for each model its code loads or calls
//! by name, a service for each hosted-model provider, and the dependencies
//! between them. Deterministic: the timestamp is the run's date.

use super::inventory::{CodeRow, Register};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const SPEC_VERSION: &str = "1.6";

pub fn render(register: &Register) -> crate::error::Result<Vec<u8>> {
    let bom = build(register);
    let mut out =
        serde_json::to_vec_pretty(&bom).map_err(|e| crate::error::Error::Usage(e.to_string()))?;
    out.push(b'\n');
    Ok(out)
}

fn property(name: &str, value: &str) -> Value {
    json!({"name": name, "value": value})
}

/// Everything the code of each system uses, gathered once per model and service.
#[derive(Default)]
struct Used {
    models: BTreeMap<String, Value>,
    services: BTreeMap<String, Value>,
}

impl Used {
    /// Adds what `code` uses; returns the refs the system depends on.
    fn add(&mut self, code: &CodeRow) -> Vec<String> {
        let mut refs = Vec::new();
        for m in &code.models {
            let bom_ref = format!("model:{}", m.model);
            self.models.entry(bom_ref.clone()).or_insert_with(|| {
                let mut c = json!({
                    "type": "machine-learning-model",
                    "bom-ref": bom_ref,
                    "name": m.model,
                    "properties": [
                        property("aimsgate:library", &m.library),
                        property("aimsgate:seen-at", &format!("{}:{}", m.file, m.line)),
                    ],
                });
                if let Some(provider) = &m.provider {
                    c["supplier"] = json!({"name": provider});
                }
                c
            });
            refs.push(bom_ref);
        }
        for p in &code.providers {
            let bom_ref = format!("service:{}", p.provider);
            self.services.entry(bom_ref.clone()).or_insert_with(|| {
                json!({
                    "bom-ref": bom_ref,
                    "name": p.provider,
                    "provider": {"name": p.provider},
                    "description": format!("Hosted models of {}, called through {}", p.provider, p.library),
                    "properties": [property("aimsgate:seen-at", &format!("{}:{}", p.file, p.line))],
                })
            });
            refs.push(bom_ref);
        }
        refs.sort();
        refs.dedup();
        refs
    }
}

/// A system is a model when its code trains or loads one, or holds weights;
/// an application when it only calls hosted models.
fn kind(code: &CodeRow, has_models_of_its_own: bool) -> &'static str {
    if has_models_of_its_own || code.providers.is_empty() {
        "machine-learning-model"
    } else {
        "application"
    }
}

pub fn build(register: &Register) -> Value {
    let mut used = Used::default();
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    let mut systems = Vec::new();
    for row in &register.systems {
        let bom_ref = format!("system:{}", row.system);
        let f = &row.facts;
        let mut properties = vec![
            property("aimsgate:card", &row.path),
            property("aimsgate:risk.tier", &f.risk_tier),
            property("aimsgate:gate", row.gate.status),
        ];
        if let Some(owner) = &f.owner.name {
            properties.push(property("aimsgate:owner", owner));
        }
        if let Some(lifecycle) = &f.lifecycle {
            properties.push(property("aimsgate:lifecycle", lifecycle));
        }
        for file in &row.code.files {
            properties.push(property("aimsgate:code", file));
        }
        let own =
            row.code.models.iter().any(|m| m.provider.is_none()) || row.code.providers.is_empty();
        let mut component = json!({
            "type": kind(&row.code, own),
            "bom-ref": bom_ref,
            "name": f.name.clone().unwrap_or_else(|| row.system.clone()),
            "properties": properties,
        });
        if let Some(version) = &f.version {
            component["version"] = json!(version);
        }
        if let Some(owner) = &f.owner.name {
            component["authors"] = json!([{"name": owner}]);
        }
        components.push(component);
        dependencies.push(json!({"ref": bom_ref, "dependsOn": used.add(&row.code)}));
        systems.push(bom_ref);
    }
    for u in &register.systems_without_card {
        let bom_ref = format!("system:{}", u.dir);
        let mut properties = vec![property("aimsgate:card", "none")];
        for file in &u.code.files {
            properties.push(property("aimsgate:code", file));
        }
        let own = u.code.models.iter().any(|m| m.provider.is_none());
        components.push(json!({
            "type": kind(&u.code, own),
            "bom-ref": bom_ref,
            "name": u.dir,
            "description": "An AI system found in code, with no model card",
            "properties": properties,
        }));
        dependencies.push(json!({"ref": bom_ref, "dependsOn": used.add(&u.code)}));
        systems.push(bom_ref);
    }
    for (bom_ref, _) in used.models.iter() {
        dependencies.push(json!({"ref": bom_ref}));
    }
    for (bom_ref, _) in used.services.iter() {
        dependencies.push(json!({"ref": bom_ref}));
    }
    dependencies.push(json!({"ref": "repository", "dependsOn": systems}));
    components.extend(used.models.into_values());
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": {
            "timestamp": format!("{}T00:00:00Z", register.now),
            "tools": {"components": [{
                "type": "application",
                "name": "aimsgate",
                "version": env!("CARGO_PKG_VERSION"),
            }]},
            "component": {
                "type": "application",
                "bom-ref": "repository",
                "name": register.repository,
            },
        },
        "components": components,
        "services": used.services.into_values().collect::<Vec<_>>(),
        "dependencies": dependencies,
    })
}
