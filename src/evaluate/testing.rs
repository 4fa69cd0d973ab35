//! `aimsgate test`: runs `test_*` rules like `opa test`, with line coverage.

use super::metadata;
use super::policy::PolicySource;
use crate::error::{Error, Result};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct TestResult {
    pub package: String,
    pub name: String,
    pub file: String,
    pub passed: bool,
    /// Why it failed: `false`, undefined, or an evaluation error.
    pub detail: Option<String>,
    pub duration: Duration,
}

#[derive(Debug)]
pub struct FileCoverage {
    pub file: String,
    pub covered: usize,
    pub not_covered: usize,
    pub uncovered_lines: Vec<u32>,
}

impl FileCoverage {
    pub fn percent(&self) -> f64 {
        let total = self.covered + self.not_covered;
        if total == 0 {
            100.0
        } else {
            100.0 * self.covered as f64 / total as f64
        }
    }
}

pub struct TestRun {
    pub results: Vec<TestResult>,
    pub coverage: Option<Vec<FileCoverage>>,
}

impl TestRun {
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed).count()
    }
    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }
    /// Covered lines over all lines of the non-test files, in percent.
    pub fn total_coverage(&self) -> Option<f64> {
        let files = self.coverage.as_ref()?;
        let (c, n) = files
            .iter()
            .fold((0, 0), |(c, n), f| (c + f.covered, n + f.not_covered));
        Some(if c + n == 0 {
            100.0
        } else {
            100.0 * c as f64 / (c + n) as f64
        })
    }
}

/// The lines of a policy that hold code: not blank, not comments, not the
/// package or import lines.
fn statement_lines(text: &str) -> Vec<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim();
            !(line.is_empty()
                || line.starts_with('#')
                || line.starts_with("package ")
                || line.starts_with("import "))
        })
        .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX))
        .collect()
}

pub fn run(sources: &[PolicySource], coverage: bool, timeout: Duration) -> Result<TestRun> {
    let mut engine = regorus::Engine::new();
    engine.set_rego_v0(false);
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: timeout,
        check_interval: std::num::NonZeroU32::new(64).unwrap_or(std::num::NonZeroU32::MIN),
    });
    let mut tests = Vec::new();
    for source in sources {
        engine
            .add_policy(source.path.clone(), source.text.clone())
            .map_err(|e| Error::policy(&source.path, e))?;
        let Some(package) = metadata::package_of(&source.text) else {
            return Err(Error::policy(&source.path, "no package declaration"));
        };
        for name in metadata::rule_heads(&source.text, &["test"]) {
            tests.push((package.clone(), name, source.path.clone()));
        }
    }
    if tests.is_empty() {
        return Err(Error::Usage("no test_* rules found".into()));
    }
    engine.set_enable_coverage(coverage);
    let mut results = Vec::with_capacity(tests.len());
    for (package, name, file) in tests {
        let started = Instant::now();
        let outcome = engine.eval_rule(format!("data.{package}.{name}"));
        let (passed, detail) = match outcome {
            Ok(regorus::Value::Bool(true)) => (true, None),
            Ok(regorus::Value::Undefined) => (false, Some("undefined".to_string())),
            Ok(other) => (
                false,
                Some(format!(
                    "evaluated to {}",
                    other.to_json_str().unwrap_or_default().trim()
                )),
            ),
            Err(e) => (false, Some(crate::error::one_line(&e.to_string()))),
        };
        results.push(TestResult {
            package,
            name,
            file,
            passed,
            detail,
            duration: started.elapsed(),
        });
    }
    let coverage = if coverage {
        let report = engine
            .get_coverage_report()
            .map_err(|e| Error::policy("coverage", e))?;
        let mut files: Vec<FileCoverage> = report
            .files
            .into_iter()
            .filter(|f| !f.path.ends_with("_test.rego"))
            .map(|f| FileCoverage {
                covered: f.covered.len(),
                not_covered: f.not_covered.len(),
                uncovered_lines: f.not_covered.into_iter().collect(),
                file: f.path,
            })
            .collect();
        // A file no test reaches is missing from the engine's report; it
        // counts as wholly uncovered, not as absent from the total.
        for source in sources {
            let reported = files.iter().any(|f| f.file == source.path);
            if !reported && !source.path.ends_with("_test.rego") {
                let lines = statement_lines(&source.text);
                files.push(FileCoverage {
                    covered: 0,
                    not_covered: lines.len(),
                    uncovered_lines: lines,
                    file: source.path.clone(),
                });
            }
        }
        files.sort_by(|a, b| a.file.cmp(&b.file));
        Some(files)
    } else {
        None
    };
    Ok(TestRun { results, coverage })
}
