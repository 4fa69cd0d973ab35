use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = aimsgate::cli::Cli::parse();
    match aimsgate::commands::run(cli) {
        Ok(aimsgate::commands::Verdict::Pass) => ExitCode::SUCCESS,
        Ok(aimsgate::commands::Verdict::Fail) => ExitCode::from(1),
        Err(error) => {
            eprintln!("aimsgate: error: {error}");
            ExitCode::from(2)
        }
    }
}
