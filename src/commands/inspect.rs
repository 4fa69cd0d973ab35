use super::Verdict;
use crate::cli::InspectArgs;
use crate::error::{Error, Result};
use std::io::Write;

pub fn run(args: InspectArgs) -> Result<Verdict> {
    let options = super::options(args.scan)?;
    let documents = crate::pipeline::inspect(&options)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    serde_json::to_writer_pretty(&mut out, &documents)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(Verdict::Pass)
}
