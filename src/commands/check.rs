use super::Verdict;
use crate::cli::{CheckArgs, FailOn};
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::governance::approval::Verifier;
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
    if options.base.is_some() {
        options.verifier = Some(std::sync::Arc::new(verifier(&github)));
    }
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

/// What verifies approvals: the pull request's reviews in GitHub Actions,
/// the merge request's approvals in GitLab CI, nothing elsewhere.
fn verifier(github: &crate::github::Session) -> Verifier {
    if github.in_actions() {
        return github.verifier();
    }
    let gitlab = crate::gitlab::Env::from_process();
    if gitlab.ci {
        return gitlab.verifier();
    }
    Verifier::unavailable("not running in GitHub Actions or GitLab CI, so no review can be checked")
}
