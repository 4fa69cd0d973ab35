//! Evidence from code: what a file shows about AI. Source is parsed
//! (tree-sitter's Python, JavaScript and TypeScript grammars; notebooks'
//! code cells), dependency manifests are read, and model artifacts are known
//! by name. What counts is data: [`table`] (`libraries.toml`, extended by
//! `[[discovery.library]]`).

mod javascript;
pub mod manifest;
mod notebook;
mod python;
pub mod resolve;
pub mod table;

pub use crate::config::CallKind;
pub use python::{mark_big_stack, BIG_STACK};
use serde::Serialize;
use std::time::Duration;
pub use table::Table;

/// What one file shows.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct FileEvidence {
    pub file: String,
    /// Libraries of the table the file imports, the first import of each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<Import>,
    /// Calls that train, load, call or save a model.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<Site>,
    /// A dependency manifest's dependencies on libraries of the table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    /// A model artifact (weights, an MLflow model, a DVC pipeline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
    /// Named as ML code by `[discovery] ml_code`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub declared: bool,
    /// The file runs as a program: a `__main__` guard, a `__main__.py`, a notebook.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub program: bool,
    /// Classes the file defines on a model base class (`nn.Module`).
    #[serde(skip_serializing_if = "is_zero")]
    pub model_classes: u32,
    /// Why the file was not read, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Import {
    pub library: String,
    pub module: String,
    pub line: u32,
    /// The library is a hosted-model client (it names a provider).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hosted: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Dependency {
    pub library: String,
    pub package: String,
    pub line: u32,
}

/// A call that shows what the code does with a model.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Site {
    pub kind: CallKind,
    pub line: u32,
    pub column: u32,
    /// The call as messages name it (`chat.completions.create`, `torch.load`).
    pub call: String,
    pub library: String,
    /// For hosted models: the supplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The model the call names (`gpt-4o`, `bert-base-uncased`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The call runs in the program's own flow: at module level, under a
    /// `__main__` guard, in a script or a notebook.
    pub entry: bool,
}

impl FileEvidence {
    /// Whether the file shows AI on its own: a call, an artifact, a
    /// declaration, or an import of a hosted-model client (an application
    /// that imports `openai` calls it, however indirectly). Other imports
    /// and dependencies only support other evidence.
    pub fn is_strong(&self) -> bool {
        !self.calls.is_empty()
            || self.artifact.is_some()
            || self.declared
            || self.imports.iter().any(|i| i.hosted)
    }

    /// Whether the file is a program of its own (a `__main__` guard, a
    /// notebook) that trains a model: what a framework's library does not.
    pub fn trains_as_a_program(&self) -> bool {
        self.program && self.calls.iter().any(|c| c.kind == CallKind::Training)
    }

    /// Where a finding about the file points: its first call, else line 1.
    pub fn first_line(&self) -> (u32, u32) {
        self.calls
            .iter()
            .map(|c| (c.line, c.column))
            .min()
            .unwrap_or((1, 1))
    }

    /// What was seen, in words: "imports openai; calls
    /// chat.completions.create at 4, 9; loads a model with torch.load at 12".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.declared {
            parts.push("named as ML code by [discovery] ml_code".into());
        }
        if let Some(artifact) = &self.artifact {
            parts.push(artifact.clone());
        }
        let mut modules: Vec<&str> = self.imports.iter().map(|i| i.module.as_str()).collect();
        modules.dedup();
        if !modules.is_empty() {
            parts.push(format!("imports {}", list(&modules, 4)));
        }
        let mut seen: Vec<(String, Vec<u32>)> = Vec::new();
        for call in &self.calls {
            let phrase = match call.kind {
                CallKind::Hosted => format!("calls {}", call.call),
                CallKind::Loading => format!("loads a model with {}", call.call),
                CallKind::Training => format!("trains with {}", call.call),
                CallKind::Saving => format!("saves a model with {}", call.call),
            };
            match seen.iter_mut().find(|(p, _)| *p == phrase) {
                Some((_, lines)) => lines.push(call.line),
                None => seen.push((phrase, vec![call.line])),
            }
        }
        for (phrase, mut lines) in seen.into_iter().take(6) {
            lines.sort_unstable();
            lines.dedup();
            let shown: Vec<String> = lines.iter().take(4).map(u32::to_string).collect();
            let more = if lines.len() > 4 { ", ..." } else { "" };
            parts.push(format!("{phrase} at {}{more}", shown.join(", ")));
        }
        if !self.dependencies.is_empty() {
            let packages: Vec<&str> = self
                .dependencies
                .iter()
                .map(|d| d.package.as_str())
                .collect();
            parts.push(format!("depends on {}", list(&packages, 4)));
        }
        parts.join("; ")
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn list(items: &[&str], most: usize) -> String {
    let mut shown: Vec<&str> = items.iter().take(most).copied().collect();
    if items.len() > most {
        shown.push("...");
    }
    shown.join(", ")
}

/// Why a source file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    TooBig { len: u64, max: u64 },
    Binary,
    Timeout(Duration),
    TooComplex,
    NotNotebook(String),
    Parser,
    Read(String),
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unread::TooBig { len, max } => {
                write!(
                    f,
                    "not read: {len} bytes, over the {max}-byte limit ([limits] max_file_bytes)"
                )
            }
            Unread::Binary => write!(f, "not read: not text"),
            Unread::Timeout(d) => {
                write!(f, "not read: parsing took longer than {} ms", d.as_millis())
            }
            Unread::TooComplex => write!(f, "not read: too deeply nested or too large to parse"),
            Unread::NotNotebook(why) => write!(f, "not read: not a notebook ({why})"),
            Unread::Parser => write!(f, "not read: the parser could not start"),
            Unread::Read(why) => write!(f, "not read: {why}"),
        }
    }
}

/// What a parsed file holds, before the table judges it.
#[derive(Debug, Default)]
pub struct Scan {
    pub bindings: resolve::Bindings,
    /// Every module imported, with its line.
    pub imports: Vec<(String, u32)>,
    pub calls: Vec<RawCall>,
    /// The file runs as a program (a `__main__` guard, a notebook).
    pub script: bool,
    /// The resolved base classes of each class the file defines.
    pub classes: Vec<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct RawCall {
    /// What the callee resolves to (`openai.OpenAI().chat.completions.create`).
    pub path: String,
    /// The callee as written (`client.chat.completions.create`).
    pub written: String,
    pub bound: bool,
    pub line: u32,
    pub column: u32,
    pub args: Vec<Arg>,
    /// At module level, under a `__main__` guard, or in a program.
    pub entry: bool,
}

#[derive(Debug, Clone)]
pub struct Arg {
    /// The keyword or property; `None` for a positional argument.
    pub name: Option<String>,
    /// The value when it is a string literal or a constant bound to one.
    pub literal: Option<String>,
    /// A string literal appears in the value.
    pub has_literal: bool,
}

/// Longest a single file may take to parse.
pub const PARSE_BUDGET: Duration = Duration::from_millis(2000);

fn parse_bounded(
    parser: &mut tree_sitter::Parser,
    source: &[u8],
    budget: Duration,
) -> Result<tree_sitter::Tree, Unread> {
    let started = std::time::Instant::now();
    let mut timed_out = false;
    // tree-sitter stops parsing when this returns true.
    let mut progress = |_: &tree_sitter::ParseState| {
        timed_out = started.elapsed() > budget;
        timed_out
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let len = source.len();
    let tree = parser.parse_with_options(
        &mut |offset, _| {
            if offset < len {
                &source[offset..]
            } else {
                &[][..]
            }
        },
        None,
        Some(options),
    );
    match tree {
        Some(tree) => Ok(tree),
        None if timed_out => Err(Unread::Timeout(budget)),
        None => Err(Unread::TooComplex),
    }
}

/// 1-based line and column (in characters) of `node`.
fn position(node: tree_sitter::Node<'_>, source: &[u8]) -> (u32, u32) {
    let point = node.start_position();
    let start = node.start_byte();
    let line_start = start.saturating_sub(point.column);
    let column = source
        .get(line_start..start)
        .map(|b| String::from_utf8_lossy(b).chars().count())
        .unwrap_or(point.column);
    let line = u32::try_from(point.row)
        .unwrap_or(u32::MAX - 1)
        .saturating_add(1);
    (
        line,
        u32::try_from(column)
            .unwrap_or(u32::MAX - 1)
            .saturating_add(1),
    )
}

/// Weight file extensions, lower case.
pub const WEIGHT_EXTENSIONS: &[&str] = &[
    "safetensors",
    "onnx",
    "gguf",
    "ggml",
    "tflite",
    "pt",
    "pth",
    "ckpt",
    "keras",
    "h5",
    "hdf5",
    "pb",
    "mlmodel",
    "caffemodel",
    "pdparams",
    "nemo",
    "mar",
    "pte",
    "joblib",
    "pkl",
    "pickle",
    "bin",
    "msgpack",
    "params",
];

/// The kind of source a file is, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Python,
    Notebook,
    JavaScript(javascript::Dialect),
    Manifest(manifest::Manifest),
}

/// What `name` (a file name) holds, when it is source or a manifest.
pub fn source_kind(name: &str) -> Option<Source> {
    let lower = name.to_ascii_lowercase();
    if let Some(m) = manifest::kind(&lower) {
        return Some(Source::Manifest(m));
    }
    let extension = lower.rsplit_once('.').map(|(_, e)| e)?;
    if lower.ends_with(".d.ts") || lower.ends_with(".min.js") || lower.ends_with(".bundle.js") {
        return None;
    }
    Some(match extension {
        "py" | "pyw" => Source::Python,
        "ipynb" => Source::Notebook,
        "js" | "mjs" | "cjs" | "jsx" => Source::JavaScript(javascript::Dialect::JavaScript),
        "ts" | "mts" | "cts" => Source::JavaScript(javascript::Dialect::TypeScript),
        "tsx" => Source::JavaScript(javascript::Dialect::Tsx),
        _ => return None,
    })
}

/// Whether bytes are not text: a NUL in the first 8 KiB, as git decides.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|b| *b == 0)
}

/// Reads the evidence in one file's bytes. `None` when it shows nothing.
pub fn scan_bytes(
    rel: &str,
    kind: Source,
    bytes: &[u8],
    table: &Table,
    budget: Duration,
) -> Option<FileEvidence> {
    let mut evidence = FileEvidence {
        file: rel.to_string(),
        ..FileEvidence::default()
    };
    if let Source::Manifest(m) = kind {
        evidence.dependencies = manifest::dependencies(m, bytes, table);
        return (!evidence.dependencies.is_empty()).then_some(evidence);
    }
    if is_binary(bytes) {
        return None;
    }
    if !table.may_hold_evidence(bytes) {
        return None;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let scanned = match kind {
        Source::Python => python::scan(bytes, name == "__main__.py"),
        Source::Notebook => notebook::scan(bytes),
        Source::JavaScript(dialect) => javascript::scan(bytes, dialect, budget),
        Source::Manifest(_) => return None,
    };
    let scan = match scanned {
        Ok(scan) => scan,
        Err(why) => {
            evidence.unread = Some(why.to_string());
            return Some(evidence);
        }
    };
    judge(scan, table, &mut evidence);
    (!evidence.imports.is_empty() || !evidence.calls.is_empty() || evidence.model_classes > 0)
        .then_some(evidence)
}

/// Matches a file's imports and calls against the table.
fn judge(scan: Scan, table: &Table, evidence: &mut FileEvidence) {
    evidence.program = scan.script;
    let mut imported: Vec<usize> = Vec::new();
    for (module, line) in &scan.imports {
        for (library, weak) in table.libraries_of_import(module) {
            if !imported.contains(&library) {
                imported.push(library);
                // `import pickle` or `import boto3` says nothing alone.
                if weak {
                    continue;
                }
                evidence.imports.push(Import {
                    library: table.name(library).to_string(),
                    module: module.clone(),
                    line: *line,
                    hosted: table.is_hosted(library),
                });
            }
        }
    }
    for call in &scan.calls {
        let mut paths = candidates(&call.path, table);
        // Name-based patterns (`?*optimizer.step`) also read the call as
        // written, whatever its receiver resolved to.
        let written = format!("?{}", call.written);
        if !paths.contains(&written) {
            paths.push(written);
        }
        let matched = paths.iter().find_map(|path| {
            table
                .calls_matching(path)
                .into_iter()
                .find(|rule| {
                    let imports_it = imported.contains(&rule.library);
                    (rule.rooted || rule.spec.anywhere || imports_it)
                        && (rule.spec.when.is_empty()
                            || call.args.iter().any(|a| {
                                a.literal
                                    .as_ref()
                                    .is_some_and(|l| rule.spec.when.contains(l))
                            }))
                        && (rule.spec.only_with.is_none()
                            || imported.iter().any(|l| *l != rule.library))
                        && (!rule.spec.bare || call.args.iter().all(|a| a.name.is_some()))
                })
                .map(|rule| (path, rule))
        });
        let Some((_, rule)) = matched else {
            continue;
        };
        let model = model_of(call, &rule.spec.model);
        let call_name = call.written.clone();
        evidence.calls.push(Site {
            kind: rule.spec.kind,
            line: call.line,
            column: call.column,
            call: call_name,
            library: table.name(rule.library).to_string(),
            provider: match rule.spec.kind {
                CallKind::Hosted => table.provider(&rule),
                _ => None,
            },
            model,
            entry: call.entry,
        });
    }
    evidence.calls.sort_by_key(|c| (c.line, c.column));
    let models = scan
        .classes
        .iter()
        .filter(|bases| bases.iter().any(|b| table.is_model_base(b)))
        .count();
    evidence.model_classes = u32::try_from(models).unwrap_or(u32::MAX);
}

/// The paths a call is matched as: its own, and, when it goes through a
/// module of the repository that re-exports a library under its own name
/// (`from aider.llm import litellm`), the path from that name on.
fn candidates(path: &str, table: &Table) -> Vec<String> {
    let mut out = vec![path.to_string()];
    if path.starts_with('?') {
        return out;
    }
    // CommonJS: `const OpenAI = require("openai")` is the default export.
    let module_end = path.find(['.', '(']).unwrap_or(path.len());
    if module_end == path.len() || path[module_end..].starts_with('(') {
        out.push(format!(
            "{}.default{}",
            &path[..module_end],
            &path[module_end..]
        ));
    }
    let head = path.split("()").next().unwrap_or(path);
    for (at, _) in head.match_indices('.').filter(|(i, _)| *i > 0) {
        let rest = &path[at + 1..];
        let name = rest.split(['.', '(']).next().unwrap_or(rest);
        if table.is_import_root(name) {
            out.push(rest.to_string());
            break;
        }
    }
    out
}

/// The model a call names, from the first of `specs` it has as a literal.
fn model_of(call: &RawCall, specs: &[String]) -> Option<String> {
    for spec in specs {
        let arg = match spec.strip_prefix('#') {
            Some(index) => {
                let index: usize = index.parse().ok()?;
                call.args.iter().filter(|a| a.name.is_none()).nth(index)
            }
            None => call
                .args
                .iter()
                .find(|a| a.name.as_deref() == Some(spec.as_str())),
        };
        if let Some(literal) = arg.and_then(|a| a.literal.as_ref()) {
            let literal = literal.trim();
            if !literal.is_empty() && literal.len() <= 200 && !literal.contains('\n') {
                return Some(literal.to_string());
            }
        }
    }
    None
}

/// What a file is as an artifact, by its name and its neighbours' names:
/// weights, an MLflow model or project, a DVC pipeline, a SavedModel.
pub fn artifact(name: &str, weights_beside: bool) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "mlmodel" => return Some("an MLflow model".into()),
        "mlproject" => return Some("an MLflow project".into()),
        "dvc.yaml" => return Some("a DVC pipeline".into()),
        "saved_model.pb" | "saved_model.pbtxt" => return Some("a TensorFlow SavedModel".into()),
        "config.json" if weights_beside => return Some("a Hugging Face model directory".into()),
        _ => {}
    }
    let extension = lower.rsplit_once('.').map(|(_, e)| e)?;
    let strong = matches!(
        extension,
        "safetensors"
            | "onnx"
            | "gguf"
            | "ggml"
            | "tflite"
            | "pt"
            | "pth"
            | "ckpt"
            | "keras"
            | "mlmodel"
            | "caffemodel"
            | "pdparams"
            | "nemo"
            | "mar"
            | "pte"
    );
    if strong {
        return Some(format!("model weights (.{extension})"));
    }
    None
}

/// Weights only beside other evidence: these extensions hold much else
/// (`.bin` any binary, `.pkl` any pickle, `.h5` any HDF5 data).
pub fn weak_artifact(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let extension = lower.rsplit_once('.').map(|(_, e)| e)?;
    matches!(
        extension,
        "bin" | "pkl" | "pickle" | "joblib" | "h5" | "hdf5" | "msgpack" | "params"
    )
    .then(|| format!("model weights (.{extension})"))
}

#[cfg(test)]
mod tests;
