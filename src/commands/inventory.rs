use super::Verdict;
use crate::audit::inventory;
use crate::cli::InventoryArgs;
use crate::error::Result;

pub fn run(args: InventoryArgs) -> Result<Verdict> {
    let options = crate::pipeline::Options {
        keep_records: true,
        ..super::options(args.scan)?
    };
    let outcome = crate::pipeline::check(&options)?;
    let register = inventory::build(&outcome, &options.now);
    let bytes = inventory::render(&register, args.format)?;
    crate::audit::emit(args.output.as_deref(), &bytes)?;
    Ok(Verdict::Pass)
}
