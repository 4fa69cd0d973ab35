use super::Verdict;
use crate::audit::evidence;
use crate::cli::ReportArgs;
use crate::error::Result;

pub fn run(args: ReportArgs) -> Result<Verdict> {
    let options = crate::pipeline::Options {
        keep_records: true,
        ..super::options(args.scan)?
    };
    let outcome = crate::pipeline::check(&options)?;
    let report = evidence::build(&outcome, &options)?;
    let bytes = evidence::render(&report, args.format)?;
    crate::audit::emit(args.output.as_deref(), &bytes)?;
    Ok(Verdict::Pass)
}
