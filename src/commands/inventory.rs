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
    let register = inventory::build(&outcome, &options.now, &repository_name(&options.roots));
    let bytes = inventory::render(&register, args.format)?;
    crate::audit::emit(args.output.as_deref(), &bytes)?;
    Ok(Verdict::Pass)
}

/// The name of the (first) directory scanned, as the ML-BOM names the repository.
fn repository_name(roots: &[std::path::PathBuf]) -> String {
    let root = roots.first().cloned().unwrap_or_else(|| ".".into());
    root.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string())
}
