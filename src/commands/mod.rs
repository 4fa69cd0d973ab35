//! One file per subcommand; each returns what the process should exit with.

mod baseline;
mod check;
mod init;
mod inspect;
mod inventory;
mod report;
mod rules;
mod test;

use crate::cli::{Cli, Command, ScanArgs};
use crate::error::Result;
use crate::finding::Severity;
use crate::pipeline::{BaselineUse, Options, Scope};

/// How a command ended when it did not hit a tool error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
}

pub fn run(cli: Cli) -> Result<Verdict> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Test(args) => test::run(args),
        Command::Rules(args) => rules::list(args),
        Command::Explain(args) => rules::explain(args),
        Command::Init(args) => init::run(args),
        Command::Inventory(args) => inventory::run(args),
        Command::Report(args) => report::run(args),
        Command::Baseline(args) => baseline::run(args),
    }
}

fn options(scan: ScanArgs) -> Result<Options> {
    let now = match scan.now {
        Some(date) => crate::pipeline::parse_date(&date)?,
        None => crate::pipeline::today(),
    };
    let scope = match (scan.changed_since, scan.files) {
        (Some(base), _) => Scope::Since(base),
        (None, Some(files)) => Scope::Files(files),
        (None, None) => Scope::Full,
    };
    Ok(Options {
        roots: scan.paths,
        config: scan.config,
        policies: scan.policies,
        data: scan.data,
        no_builtin: scan.no_builtin,
        now,
        scope,
        keep_records: false,
        fail_on: Severity::Error,
        base: scan.base,
        verifier: None,
        baseline: match scan.baseline {
            Some(file) => BaselineUse::File(file),
            None => BaselineUse::Apply,
        },
    })
}

/// Colour only for a terminal, and never when NO_COLOR is set (no-color.org).
fn stdout_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
