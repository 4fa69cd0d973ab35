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
    // With no path named, the repository is the one around the working
    // directory (its aimsgate.toml, its .git), whatever directory of it the
    // command runs in; only what lies in that directory is reported.
    let (roots, within) = if scan.paths.is_empty() {
        below_repository_root()
    } else {
        (scan.paths, None)
    };
    Ok(Options {
        roots,
        within,
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

/// The repository root and the working directory relative to it, when
/// the working directory is below the root; else the working directory.
fn below_repository_root() -> (Vec<std::path::PathBuf>, Option<String>) {
    let Ok(cwd) = std::env::current_dir() else {
        return (Vec::new(), None);
    };
    let Some(root) = crate::pipeline::repository_root(&cwd) else {
        return (Vec::new(), None);
    };
    let here = cwd.canonicalize().unwrap_or(cwd);
    match crate::tree::relative(&root, &here) {
        Some(rel) if rel != "." => (vec![root], Some(rel)),
        _ => (Vec::new(), None),
    }
}

/// Colour only for a terminal, and never when NO_COLOR is set (no-color.org).
fn stdout_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
