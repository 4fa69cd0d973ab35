//! Stage 4: findings rendered for a reader; one file per output format.

pub mod escape;
pub mod json;
pub mod text;

use crate::error::{Error, Result};
use crate::pipeline::Outcome;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        <Format as clap::ValueEnum>::from_str(s, true)
            .map_err(|_| format!("unknown format {s:?} (text, json)"))
    }
}

/// One `--output FORMAT=PATH`.
#[derive(Debug, Clone)]
pub struct OutputSpec {
    pub format: Format,
    pub path: PathBuf,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (format, path) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not FORMAT=PATH"))?;
        if path.is_empty() {
            return Err(format!("{s:?} has no path after ="));
        }
        Ok(OutputSpec {
            format: format.parse()?,
            path: PathBuf::from(path),
        })
    }
}

pub fn render(
    format: Format,
    outcome: &Outcome,
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::render(outcome, out, color),
        Format::Json => json::render(outcome, out),
    }
}

pub fn write_file(spec: &OutputSpec, outcome: &Outcome) -> Result<()> {
    let mut buf = Vec::new();
    render(spec.format, outcome, &mut buf, false).map_err(|e| Error::io(&spec.path, e))?;
    std::fs::write(&spec.path, buf).map_err(|e| Error::io(&spec.path, e))
}
