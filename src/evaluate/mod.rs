//! Stage 3: compile the policies once, then evaluate every system in parallel,
//! each worker with its own virtual machine (regorus's RVM) running the
//! compiled pack, and the tree-walking interpreter as the fallback that names
//! the rule when an evaluation fails.

pub mod baseline;
mod cache;
pub mod input;
pub mod metadata;
pub mod policy;
mod results;
pub mod testing;
mod vm;
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

/// The generated package whose rules gather every result rule in one evaluation.
const BATCH_PACKAGE: &str = "aimsgate_internal_batch";

pub struct Pack {
    /// regorus's interpreter with every policy, `data` and the batch.
    engine: std::sync::OnceLock<std::result::Result<regorus::Engine, String>>,
    sources: Vec<PolicySource>,
    batch_text: String,
    cache_key: String,
    system_queries: Vec<Query>,
    repository_queries: Vec<Query>,
    /// `data.<BATCH_PACKAGE>.system` / `.repository`: one rule per query list
    /// whose value is `[[deny of package 1], [], ...]` (each list empty when the
    /// rule is undefined), so the helpers every rule shares (`lib.record`,
    /// `lib.judged_tier`, ...) are evaluated once per system, not once per
    /// query. `None` when the batch did not compile (queries run one by one).
    batch: Option<(String, String)>,
    /// The batch compiled to RVM bytecode, built on first use (`rules` and
    /// `explain` never evaluate); `None` inside when it does not compile.
    program: std::sync::OnceLock<Option<vm::Program>>,
    /// Evaluations the VM could not answer (the interpreter did).
    vm_fallbacks: std::sync::atomic::AtomicUsize,
    /// Every `data` document, merged.
    data: regorus::Value,
    /// When the run must be over, and the error to stop it with then.
    pub deadline: Option<(std::time::Instant, String)>,
    eval_timeout: Duration,
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
        let sources: Vec<PolicySource> = sources.iter().filter(|s| !s.is_test()).cloned().collect();
        let mut system_queries = Vec::new();
        let mut repository_queries = Vec::new();
        let mut packages = BTreeMap::new();
        let mut user_dirs_with_rules: BTreeMap<String, bool> = BTreeMap::new();
        for source in &sources {
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
        let batch_text = batch_policy(&system_queries, &repository_queries);
        let cache_key = cache::key(&sources, data, &batch_text);
        let cached = cache::load(&cache_key);
        // regorus merges the documents (and reports a conflict) once here;
        // the interpreter and every worker's VM take the result.
        let mut merged = regorus::Engine::new();
        for value in data {
            merged
                .add_data(regorus::Value::from(value.clone()))
                .map_err(|e| Error::policy("--data", e))?;
        }
        let data = merged.get_data();
        // With the bytecode cached, these exact sources compiled before: the
        // interpreter is built only if an evaluation needs it. Without, it is
        // built now, so that a policy that does not compile is reported first.
        let engine = std::sync::OnceLock::new();
        let mut batch = Some(batch_paths());
        if cached.is_none() {
            let (built, compiled_batch) = interpreter(&sources, &data, eval_timeout, &batch_text)?;
            batch = compiled_batch;
            let _ = engine.set(Ok(built));
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
        let program = std::sync::OnceLock::new();
        if let Some(bytecode) = cached {
            let _ = program.set(Some(vm::Program::from_bytecode(bytecode)));
        }
        Ok(Pack {
            engine,
            sources,
            batch_text,
            cache_key,
            system_queries,
            repository_queries,
            batch,
            program,
            vm_fallbacks: Default::default(),
            data,
            deadline: None,
            eval_timeout,
            packages,
            overrides: BTreeMap::new(),
        })
    }

    /// The interpreter, built on first use when the bytecode came from the cache.
    fn engine(&self) -> Result<&regorus::Engine> {
        self.engine
            .get_or_init(|| {
                interpreter(
                    &self.sources,
                    &self.data,
                    self.eval_timeout,
                    &self.batch_text,
                )
                .map(|(engine, _)| engine)
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| Error::Usage(e.clone()))
    }

    /// Evaluates with regorus's interpreter only, never the bytecode VM: the
    /// reference the VM is tested against.
    pub fn interpreter_only(&mut self) {
        self.program = std::sync::OnceLock::from(None);
    }

    /// True when evaluations run on the bytecode VM (compiling it now if
    /// this is the first use).
    pub fn uses_vm(&self) -> bool {
        self.worker().vm.is_some()
    }

    /// How many evaluations so far the VM could not answer, so that the
    /// interpreter did.
    pub fn vm_fallbacks(&self) -> usize {
        self.vm_fallbacks.load(std::sync::atomic::Ordering::Relaxed)
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
        self.evaluate_each(inputs, |evaluator, e| {
            evaluator.evaluate(input::Evaluation {
                subject: e.subject.clone(),
                input: e.input.clone(),
                system: e.system,
            })
        })
    }

    /// Runs `judge` on every item in parallel, each worker thread with its own
    /// [`Evaluator`], and returns the results in order. The judge loads what
    /// it evaluates and keeps only what it returns, so the systems of a large
    /// repository are never all in memory at once.
    pub fn evaluate_each<T: Sync, R: Send>(
        &self,
        items: &[T],
        judge: impl Fn(&mut Evaluator<'_>, &T) -> Result<R> + Sync,
    ) -> Result<Vec<R>> {
        let running = Running::default();
        let (done, finished) = std::sync::mpsc::channel::<()>();
        std::thread::scope(|scope| {
            let running = &running;
            let timeout = self.eval_timeout;
            scope.spawn(move || running.watch(timeout, &finished));
            let result = items
                .par_iter()
                .map_init(
                    || Evaluator {
                        pack: self,
                        worker: self.worker(),
                        running,
                    },
                    |evaluator, item| judge(evaluator, item),
                )
                .collect();
            drop(done);
            result
        })
    }

    pub fn evaluate_repository(&self, evaluation: &input::Evaluation<'_>) -> Result<Vec<Finding>> {
        if self.repository_queries.is_empty() {
            return Ok(Vec::new());
        }
        let evaluation = input::Evaluation {
            subject: evaluation.subject.clone(),
            input: evaluation.input.clone(),
            system: evaluation.system,
        };
        self.evaluate(&mut self.worker(), Subject::Repository, evaluation)
    }

    /// What one thread evaluates with: a virtual machine when the batch
    /// compiled to bytecode, and its own copy of the interpreter.
    fn worker(&self) -> Worker {
        let program = self.program.get_or_init(|| {
            let (system, repository) = self.batch.as_ref()?;
            let program = vm::Program::compile(self.engine().ok()?, &[system, repository])?;
            cache::store(&self.cache_key, program.bytecode());
            Some(program)
        });
        Worker {
            vm: program
                .as_ref()
                .and_then(|p| p.machine(&self.data, self.eval_timeout)),
            engine: None,
        }
    }

    fn evaluate(
        &self,
        worker: &mut Worker,
        subject: Subject,
        mut evaluation: input::Evaluation<'_>,
    ) -> Result<Vec<Finding>> {
        let (queries, batch) = match subject {
            Subject::System => (&self.system_queries, self.batch.as_ref().map(|b| &b.0)),
            Subject::Repository => (&self.repository_queries, self.batch.as_ref().map(|b| &b.1)),
        };
        let input = std::mem::replace(&mut evaluation.input, regorus::Value::Undefined);
        let mut findings = Vec::new();
        let mut collect = |query: &Query, value: &regorus::Value| {
            let meta = self.packages.get(&query.package);
            results::collect(
                value,
                query,
                meta,
                &evaluation,
                &self.overrides,
                &mut findings,
            )
            .map_err(|e| Error::policy(&query.path, e))
        };
        let from_vm = match (&mut worker.vm, batch) {
            (Some(machine), Some(path)) => machine
                .run(path, input.clone())
                .and_then(|value| unbatch(value, queries.len())),
            _ => None,
        };
        if let Some(values) = from_vm {
            for (query, value) in queries.iter().zip(values) {
                collect(query, &value)?;
            }
            return Ok(findings);
        }
        if worker.vm.is_some() {
            self.vm_fallbacks
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let engine = match &mut worker.engine {
            Some(engine) => engine,
            none => none.insert(self.engine()?.clone()),
        };
        engine.set_input(input);
        if let Some(values) = batch.and_then(|path| eval_batch(engine, path, queries.len())) {
            for (query, value) in queries.iter().zip(values) {
                collect(query, &value)?;
            }
        } else {
            // No batch, or it failed (an evaluation error or a timeout): one
            // query at a time, so the error names the rule that raised it.
            for query in queries {
                let value = engine.eval_rule(query.path.clone()).map_err(|e| {
                    Error::policy(
                        &query.path,
                        format!("evaluation failed for {}: {e}", evaluation.subject),
                    )
                })?;
                collect(query, &value)?;
            }
        }
        Ok(findings)
    }
}

/// The batch package (see [`Pack::batch`]).
fn batch_policy(system: &[Query], repository: &[Query]) -> String {
    let list = |queries: &[Query]| -> String {
        queries
            .iter()
            .map(|q| format!("\t[r | r := {}],\n", q.path))
            .collect()
    };
    format!(
        "package {BATCH_PACKAGE}\n\nsystem := [\n{}]\n\nrepository := [\n{}]\n",
        list(system),
        list(repository)
    )
}

fn batch_paths() -> (String, String) {
    (
        format!("data.{BATCH_PACKAGE}.system"),
        format!("data.{BATCH_PACKAGE}.repository"),
    )
}

/// regorus's interpreter with `sources` and `data`, analysed and ready to
/// clone, and the batch paths when the batch compiles with them.
fn interpreter(
    sources: &[PolicySource],
    data: &regorus::Value,
    eval_timeout: Duration,
    batch: &str,
) -> Result<(regorus::Engine, Option<(String, String)>)> {
    let mut engine = regorus::Engine::new();
    engine.set_rego_v0(false);
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: eval_timeout,
        check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN),
    });
    for source in sources {
        engine
            .add_policy(source.path.clone(), source.text.clone())
            .map_err(|e| Error::policy(&source.path, e))?;
    }
    engine
        .add_data(data.clone())
        .map_err(|e| Error::policy("--data", e))?;
    // A batch that does not analyse (e.g. a result rule that is a function)
    // would fail every evaluation: keep the engine without it.
    let mut trial = engine.clone();
    let paths = match trial.add_policy(format!("{BATCH_PACKAGE}.rego"), batch.to_string()) {
        Ok(_) if trial.eval_query("true".to_string(), false).is_ok() => {
            engine = trial;
            Some(batch_paths())
        }
        _ => None,
    };
    // Analyse and schedule the modules once, here: every worker's clone
    // then starts prepared instead of repeating the analysis.
    let _ = engine.eval_query("true".to_string(), false);
    Ok((engine, paths))
}

/// Evaluates systems on one worker thread of [`Pack::evaluate_each`].
pub struct Evaluator<'p> {
    pack: &'p Pack,
    worker: Worker,
    running: &'p Running,
}

impl Evaluator<'_> {
    /// The findings of the system rules for `evaluation`.
    pub fn evaluate(&mut self, evaluation: input::Evaluation<'_>) -> Result<Vec<Finding>> {
        if let Some((deadline, why)) = &self.pack.deadline {
            if std::time::Instant::now() > *deadline {
                return Err(Error::Usage(why.clone()));
            }
        }
        let id = self.running.start(&evaluation.subject);
        let out = self
            .pack
            .evaluate(&mut self.worker, Subject::System, evaluation);
        self.running.end(id);
        out
    }
}

#[derive(Clone, Copy)]
enum Subject {
    System,
    Repository,
}

struct Worker {
    vm: Option<vm::Machine>,
    /// Cloned from the pack only when the virtual machine cannot answer.
    engine: Option<regorus::Engine>,
}

/// The value of every query from one evaluation of the batch rule at `path`,
/// in order (`Undefined` for an undefined rule); `None` on any error.
fn eval_batch(engine: &mut regorus::Engine, path: &str, n: usize) -> Option<Vec<regorus::Value>> {
    unbatch(engine.eval_rule(path.to_string()).ok()?, n)
}

/// Splits the value of a batch rule into the value of each of its `n` queries.
fn unbatch(value: regorus::Value, n: usize) -> Option<Vec<regorus::Value>> {
    let regorus::Value::Array(items) = value else {
        return None;
    };
    if items.len() != n {
        return None;
    }
    items
        .iter()
        .map(|item| match item {
            regorus::Value::Array(one) if one.len() == 1 => Some(one[0].clone()),
            regorus::Value::Array(none) if none.is_empty() => Some(regorus::Value::Undefined),
            _ => None,
        })
        .collect()
}

/// The evaluations under way, for the watchdog of [`Pack::evaluate_each`].
#[derive(Default)]
struct Running {
    next: std::sync::atomic::AtomicU64,
    started: std::sync::Mutex<BTreeMap<u64, (std::time::Instant, String)>>,
}

impl Running {
    fn start(&self, subject: &str) -> u64 {
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut started) = self.started.lock() {
            started.insert(id, (std::time::Instant::now(), subject.to_string()));
        }
        id
    }

    fn end(&self, id: u64) {
        if let Ok(mut started) = self.started.lock() {
            started.remove(&id);
        }
    }

    /// Until `finished` disconnects: stops the process with a tool error
    /// (exit 2) when one evaluation runs well past `timeout`. regorus checks
    /// its timer between steps, so a single builtin call (`numbers.range`
    /// over a billion numbers) can overrun it; this is the backstop.
    fn watch(&self, timeout: Duration, finished: &std::sync::mpsc::Receiver<()>) {
        let hard = timeout + timeout.max(Duration::from_secs(1));
        let tick = (timeout / 4).clamp(Duration::from_millis(20), Duration::from_millis(250));
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(tick) {
            let overdue = self.started.lock().ok().and_then(|started| {
                started
                    .values()
                    .find(|(at, _)| at.elapsed() > hard)
                    .map(|(_, subject)| subject.clone())
            });
            if let Some(subject) = overdue {
                eprintln!(
                    "aimsgate: error: policy evaluation for {subject} ran past its budget \
                     ([limits] eval_timeout_ms = {}) and was stopped",
                    timeout.as_millis(),
                    subject = crate::report::escape::terminal(&subject, false),
                );
                std::process::exit(2);
            }
        }
    }
}
