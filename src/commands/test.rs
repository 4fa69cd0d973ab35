use super::Verdict;
use crate::cli::TestArgs;
use crate::error::{Error, Result};
use crate::evaluate::{policy, testing};
use std::io::Write;
use std::time::Duration;

pub fn run(args: TestArgs) -> Result<Verdict> {
    let mut sources = Vec::new();
    if args.dirs.is_empty() {
        sources = policy::builtin();
    }
    for dir in &args.dirs {
        sources.extend(policy::from_path(dir)?);
    }
    let run = testing::run(&sources, args.coverage, Duration::from_secs(10))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |e| Error::io("<stdout>", e);
    for r in &run.results {
        if !r.passed {
            writeln!(
                out,
                "FAIL {}: data.{}.{} ({})",
                r.file,
                r.package,
                r.name,
                r.detail.as_deref().unwrap_or("failed")
            )
            .map_err(io)?;
        } else if args.verbose {
            writeln!(
                out,
                "PASS {}: data.{}.{} ({:?})",
                r.file, r.package, r.name, r.duration
            )
            .map_err(io)?;
        }
    }
    let mut below_threshold = false;
    if let Some(files) = &run.coverage {
        writeln!(out, "coverage:").map_err(io)?;
        for f in files {
            let lines = if f.uncovered_lines.is_empty() {
                String::new()
            } else {
                format!(
                    "  not covered: {}",
                    f.uncovered_lines
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                )
            };
            writeln!(out, "  {:6.1}%  {}{lines}", f.percent(), f.file).map_err(io)?;
        }
        let total = run.total_coverage().unwrap_or(100.0);
        writeln!(out, "  {total:6.1}%  total").map_err(io)?;
        if let Some(threshold) = args.threshold {
            if total < threshold {
                below_threshold = true;
                writeln!(
                    out,
                    "coverage {total:.1}% is below the threshold of {threshold}%"
                )
                .map_err(io)?;
            }
        }
    }
    writeln!(out, "{} passed, {} failed", run.passed(), run.failed()).map_err(io)?;
    Ok(if run.failed() > 0 || below_threshold {
        Verdict::Fail
    } else {
        Verdict::Pass
    })
}
