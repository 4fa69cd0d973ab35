//! Stage 3: compile the policies once, then evaluate every system in parallel,
//! each worker with its own clone of the compiled engine.

pub mod input;
pub mod metadata;
pub mod policy;
mod results;
pub mod testing;
pub mod waivers;

use crate::error::{Error, Result};
use crate::finding::Finding;
use metadata::RuleMeta;
use policy::PolicySource;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::time::Duration;

/// The rule names conftest users expect, and that aimsgate therefore evaluates.
pub const RESULT_RULES: &[&str] = &["deny", "violation", "warn"];
/// Packages below this prefix are evaluated once per run on the repository document.
pub const REPOSITORY_PREFIX: &str = "aimsgate.repository";

#[derive(Debug, Clone)]
struct Query {
    package: String,
    /// `deny`, `warn_old`, ...
    rule: String,
    path: String,
}

impl Query {
    fn is_warning(&self) -> bool {
        self.rule == "warn" || self.rule.starts_with("warn_")
    }
}

pub struct Pack {
    engine: regorus::Engine,
    system_queries: Vec<Query>,
    repository_queries: Vec<Query>,
    /// Package metadata, by package name.
    packages: BTreeMap<String, RuleMeta>,
    pub overrides: BTreeMap<String, crate::config::RuleOverride>,
}

impl Pack {
    /// Compiles `sources` (test files left out) with `data` documents.
    pub fn compile(
        sources: &[PolicySource],
        data: &[serde_json::Value],
        eval_timeout: Duration,
    ) -> Result<Pack> {
        let limits = crate::load::format::Limits::default();
        let mut engine = regorus::Engine::new();
        engine.set_rego_v0(false);
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: eval_timeout,
            check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN),
        });
        let mut system_queries = Vec::new();
        let mut repository_queries = Vec::new();
        let mut packages = BTreeMap::new();
        let mut user_dirs_with_rules: BTreeMap<String, bool> = BTreeMap::new();
        for source in sources.iter().filter(|s| !s.is_test()) {
            engine
                .add_policy(source.path.clone(), source.text.clone())
                .map_err(|e| Error::policy(&source.path, e))?;
            let package = metadata::package_of(&source.text)
                .ok_or_else(|| Error::policy(&source.path, "no package declaration"))?;
            let heads = metadata::rule_heads(&source.text, RESULT_RULES);
            if !source.builtin {
                let dir = crate::discover::parent_dir(&source.path.replace('\\', "/"));
                let has = user_dirs_with_rules.entry(dir).or_insert(false);
                *has |= !heads.is_empty();
            }
            if let Some(meta) = metadata::package_metadata(&source.text, &source.path, &limits)
                .map_err(|e| Error::policy(&source.path, e))?
            {
                packages.insert(package.clone(), meta);
            }
            for rule in heads {
                let query = Query {
                    path: format!("data.{package}.{rule}"),
                    package: package.clone(),
                    rule,
                };
                let list = if package.starts_with(REPOSITORY_PREFIX) {
                    &mut repository_queries
                } else {
                    &mut system_queries
                };
                if !list.iter().any(|q: &Query| q.path == query.path) {
                    list.push(query);
                }
            }
        }
        if system_queries.is_empty() && repository_queries.is_empty() {
            return Err(Error::Usage(
                "no policies with deny, warn or violation rules were loaded".into(),
            ));
        }
        // A team directory of policies that declares no result rule is almost
        // always a typo'd rule name; failing closed beats a silent pass.
        if let Some((dir, _)) = user_dirs_with_rules.iter().find(|(_, has)| !**has) {
            return Err(Error::policy(
                dir.clone(),
                "declares no deny, warn or violation rules (conftest names), so it would check nothing",
            ));
        }
        for value in data {
            engine
                .add_data(regorus::Value::from(value.clone()))
                .map_err(|e| Error::policy("--data", e))?;
        }
        Ok(Pack {
            engine,
            system_queries,
            repository_queries,
            packages,
            overrides: BTreeMap::new(),
        })
    }

    /// Every rule with metadata, by id.
    pub fn catalog(&self) -> BTreeMap<String, RuleMeta> {
        self.packages
            .iter()
            .filter(|(_, m)| !m.id.is_empty())
            .map(|(_, m)| (m.id.clone(), m.clone()))
            .collect()
    }

    /// Ids of the rules with metadata evaluated on each system, or (`repository`)
    /// once on the repository document.
    pub fn rule_ids(&self, repository: bool) -> Vec<String> {
        let mut ids: Vec<String> = self
            .packages
            .iter()
            .filter(|(p, m)| !m.id.is_empty() && p.starts_with(REPOSITORY_PREFIX) == repository)
            .map(|(_, m)| m.id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Evaluates each input (in parallel) and returns the findings of each, in order.
    pub fn evaluate_systems(&self, inputs: &[input::Evaluation<'_>]) -> Result<Vec<Vec<Finding>>> {
        inputs
            .par_iter()
            .map_init(
                || self.engine.clone(),
                |engine, evaluation| self.evaluate(engine, &self.system_queries, evaluation),
            )
            .collect()
    }

    pub fn evaluate_repository(&self, evaluation: &input::Evaluation<'_>) -> Result<Vec<Finding>> {
        if self.repository_queries.is_empty() {
            return Ok(Vec::new());
        }
        let mut engine = self.engine.clone();
        self.evaluate(&mut engine, &self.repository_queries, evaluation)
    }

    fn evaluate(
        &self,
        engine: &mut regorus::Engine,
        queries: &[Query],
        evaluation: &input::Evaluation<'_>,
    ) -> Result<Vec<Finding>> {
        engine.set_input(regorus::Value::from(evaluation.input.clone()));
        let mut findings = Vec::new();
        for query in queries {
            let value = engine.eval_rule(query.path.clone()).map_err(|e| {
                Error::policy(
                    &query.path,
                    format!("evaluation failed for {}: {e}", evaluation.subject),
                )
            })?;
            let meta = self.packages.get(&query.package);
            results::collect(
                &value,
                query,
                meta,
                evaluation,
                &self.overrides,
                &mut findings,
            )
            .map_err(|e| Error::policy(&query.path, e))?;
        }
        Ok(findings)
    }
}
