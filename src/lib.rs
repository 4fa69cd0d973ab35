//! aimsgate: a policy gate for ISO/IEC 42001 AI-system evidence.
//!
//! The pipeline, one module a stage: [`discover`] finds AI systems and ML code,
//! [`load`] reads their cards and linked documents into positioned records,
//! [`evaluate`] runs the Rego policies on each system in parallel, and
//! [`report`] renders the findings. [`pipeline`] ties the stages together.

pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod discover;
pub mod error;
pub mod evaluate;
pub mod finding;
pub mod github;
pub mod gitlab;
pub mod glob;
pub mod governance;
pub mod load;
pub mod pipeline;
pub mod report;
pub mod scaffold;
pub mod tree;
