//! The command line, as users type it.

use crate::report::{Format, OutputSpec};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "aimsgate",
    version,
    about = "Gate ML changes on ISO/IEC 42001 evidence: model cards, impact assessments, bias tests, human oversight",
    after_help = "Exit codes: 0 the gate passes, 1 findings at or above --fail-on, 2 a tool error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gate on one or more repositories (default: .)
    Check(CheckArgs),
    /// Print the input document policies see for every system, as JSON
    Inspect(InspectArgs),
    /// Run the test_* rules of policy directories, like `opa test`
    Test(TestArgs),
    /// List the rule catalog
    Rules(RulesArgs),
    /// Explain one rule in full, with a worked fix
    Explain(ExplainArgs),
    /// Write a model card, datasheet and impact assessment to fill in
    Init(InitArgs),
    /// The AI-system register: one row per system
    Inventory(InventoryArgs),
    /// Audit evidence: Statement of Applicability, controls x systems, evidence per system
    Report(ReportArgs),
    /// Record today's findings as the baseline a legacy repository works down
    Baseline(BaselineArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Repository roots to scan
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: aimsgate.toml at the root, when present)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A directory (or file) of your own Rego policies; repeatable
    #[arg(long = "policy", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
    /// A JSON or YAML data document for `data.*`; repeatable
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Do not load the built-in policy pack
    #[arg(long)]
    pub no_builtin: bool,
    /// Today's date for date checks (default: the clock), for reproducible runs
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub now: Option<String>,
    /// Only systems touched since this git revision (plus ML files without a card among them)
    #[arg(long, value_name = "REF", conflicts_with = "files")]
    pub changed_since: Option<String>,
    /// Read what the gate demands (aimsgate.toml, policies, data, waivers,
    /// discovery) from this trusted git revision, and report changes since
    /// it that lower what is demanded (SPEC 10; docs/security.md)
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Only systems that contain or reference these files (as pre-commit passes them)
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub files: Option<Vec<PathBuf>>,
    /// The baseline of legacy findings that do not fail the gate (default:
    /// [baseline] file, or aimsgate-baseline.json at the root when it exists)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format on standard output
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also write a report to a file; repeatable (e.g. --output json=aimsgate.json)
    #[arg(long, value_name = "FORMAT=PATH")]
    pub output: Vec<OutputSpec>,
    /// The lowest severity that fails the gate
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub github: crate::github::GithubArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Policy directories or files (default: the built-in pack)
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Print line coverage per policy file
    #[arg(long)]
    pub coverage: bool,
    /// Fail when total coverage is below this percentage
    #[arg(long, value_name = "PERCENT", requires = "coverage")]
    pub threshold: Option<f64>,
    /// Print every test, not only failures
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Include rules from your own policy directories
    #[arg(long = "policy", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    /// The catalog page (docs/rules.md is this output)
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id, e.g. human-oversight
    pub rule: String,
    #[arg(long = "policy", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The AI system's directory (default: .); created when missing
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The risk tier: decides which fields the files hold
    #[arg(long, value_enum, default_value_t = crate::scaffold::Tier::High)]
    pub tier: crate::scaffold::Tier,
    /// The files' format
    #[arg(long, value_enum, default_value_t = crate::scaffold::CardFormat::Md)]
    pub format: crate::scaffold::CardFormat,
    /// Overwrite files that already exist
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::audit::inventory::InventoryFormat::Text)]
    pub format: crate::audit::inventory::InventoryFormat,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::audit::evidence::ReportFormat::Html)]
    pub format: crate::audit::evidence::ReportFormat,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// The baseline file to write (default: --baseline, [baseline] file, or
    /// aimsgate-baseline.json at the root)
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only remove the entries that match no finding any more; add none
    #[arg(long)]
    pub prune: bool,
    /// The date new entries are due to be fixed by (past it they fail again)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub due: Option<String>,
    /// Who owns fixing new entries (default: each system's owner)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
}
