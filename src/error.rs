//! Tool errors: anything that stops a run (exit 2). Findings are not errors.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("config {path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("policy {path}: {message}")]
    Policy { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("git: {0}")]
    Git(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn policy(path: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Error::Policy {
            path: path.into(),
            message: one_line(&message.to_string()),
        }
    }
}

/// Squeezes a multi-line engine message into the one line a tool error promises.
pub fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
