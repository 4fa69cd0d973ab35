use super::Verdict;
use crate::cli::{CheckArgs, FailOn};
use crate::error::{Error, Result};
use crate::finding::Severity;
use std::io::Write;

pub fn run(args: CheckArgs) -> Result<Verdict> {
    let mut options = super::options(args.scan)?;
    options.fail_on = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    // In GitHub Actions: PR scope, log, job summary, outputs, comment, check run.
    let github = crate::github::Session::new(&args.github);
    github.apply_scope(&mut options);
    let outcome = crate::pipeline::check(&options)?;
    for spec in &args.output {
        crate::report::write_file(spec, &outcome)?;
    }
    let failing = outcome.failing();
    let verdict = if failing {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    // Standard output is line-buffered even into a pipe: a 10,000-system
    // report would otherwise cost one write call per line.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let printed = if github.owns_stdout(args.format) {
        github.write_log(&outcome, &mut out)
    } else {
        crate::report::render(args.format, &outcome, &mut out, super::stdout_color())
    };
    let printed = printed.and_then(|()| out.flush());
    drop(out);
    github.annotate_stderr(args.format, &outcome);
    github.publish(&outcome, failing, &args.output);
    match printed {
        // A reader that stopped early (`| head`) does not change the verdict.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(verdict),
        Err(e) => Err(Error::io("<stdout>", e)),
        Ok(()) => Ok(verdict),
    }
}
