//! The table of libraries and calls discovery looks for (`libraries.toml`,
//! extended by `[[discovery.library]]`), compiled once per run.

use crate::config::{CallKind, CallSpec, LibrarySpec};
use aho_corasick::AhoCorasick;
use regex::RegexSet;
use std::collections::HashMap;

const BUILTIN: &str = include_str!("../libraries.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    library: Vec<LibrarySpec>,
}

/// The built-in libraries.
pub fn builtin() -> Vec<LibrarySpec> {
    // The file is part of the binary and a test reads it: it always parses.
    toml::from_str::<File>(BUILTIN)
        .map(|f| f.library)
        .unwrap_or_default()
}

/// A call pattern matched, and what it says.
#[derive(Debug, Clone, Copy)]
pub struct CallRule<'t> {
    pub library: usize,
    pub spec: &'t CallSpec,
    /// The pattern names the library's module, so it cannot match a call
    /// in a file that does not import it.
    pub rooted: bool,
}

#[derive(Debug)]
pub struct Table {
    pub libraries: Vec<LibrarySpec>,
    calls: RegexSet,
    /// Model base classes (`torch.nn.Module`).
    bases: RegexSet,
    /// For each compiled pattern: library and call index.
    call_of: Vec<(usize, usize, bool)>,
    /// Import roots (`openai`, `@langchain/openai`) to libraries, and
    /// whether the import alone says nothing of AI.
    imports: HashMap<String, Vec<(usize, bool)>>,
    /// Import roots ending in `/*` (`@tensorflow-models/*`), as prefixes.
    import_prefixes: Vec<(String, usize, bool)>,
    /// Manifest names (normalised) to libraries.
    packages: HashMap<String, Vec<usize>>,
    /// Finds files that may hold evidence: an import root, or a call that
    /// counts anywhere (`from_pretrained`).
    prefilter: AhoCorasick,
    /// The same without weak imports (`pickle`, `boto3`): files that are
    /// likely ML code, for notes about code that is not parsed.
    likely: AhoCorasick,
}

/// The user's libraries first, so that their patterns win where both match.
pub fn compile(user: &[LibrarySpec]) -> Result<Table, String> {
    let mut libraries: Vec<LibrarySpec> = user.to_vec();
    libraries.extend(builtin());
    let mut regexes: Vec<String> = Vec::new();
    let mut base_regexes: Vec<String> = Vec::new();
    let mut call_of = Vec::new();
    let mut imports: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
    let mut import_prefixes = Vec::new();
    let mut packages: HashMap<String, Vec<usize>> = HashMap::new();
    let mut needles: Vec<String> = Vec::new();
    let mut strong_needles: Vec<String> = Vec::new();
    for (li, library) in libraries.iter().enumerate() {
        if library.name.trim().is_empty() {
            return Err("a [[discovery.library]] entry has no name".into());
        }
        let all_imports = library
            .imports
            .iter()
            .map(|i| (i, false))
            .chain(library.weak_imports.iter().map(|i| (i, true)));
        for (import, weak) in all_imports {
            if let Some(prefix) = import.strip_suffix("/*") {
                import_prefixes.push((format!("{prefix}/"), li, weak));
            } else {
                imports.entry(import.clone()).or_default().push((li, weak));
            }
            needles.extend(import_needles(import));
            if !weak {
                strong_needles.extend(import_needles(import));
            }
        }
        for package in &library.packages {
            packages.entry(normalise(package)).or_default().push(li);
        }
        for base in &library.bases {
            base_regexes.push(
                pattern_regex(base)
                    .map_err(|e| format!("library {:?}: bad base {base:?}: {e}", library.name))?,
            );
        }
        for (ci, call) in library.calls.iter().enumerate() {
            if call.patterns.is_empty() {
                return Err(format!("library {:?}: a call has no match", library.name));
            }
            for pattern in &call.patterns {
                let regex = pattern_regex(pattern).map_err(|e| {
                    format!("library {:?}: bad match {pattern:?}: {e}", library.name)
                })?;
                regexes.push(regex);
                let rooted = library
                    .imports
                    .iter()
                    .chain(&library.weak_imports)
                    .any(|i| starts_with_module(pattern, i.trim_end_matches("/*")));
                call_of.push((li, ci, rooted));
                if call.anywhere {
                    needles.push(last_name(pattern));
                    strong_needles.push(last_name(pattern));
                }
            }
        }
    }
    for list in [&mut needles, &mut strong_needles] {
        list.retain(|n| n.len() >= 3);
        list.sort();
        list.dedup();
    }
    let calls = regex::RegexSetBuilder::new(&regexes)
        .size_limit(64 << 20)
        .build()
        .map_err(|e| e.to_string())?;
    let bases = regex::RegexSetBuilder::new(&base_regexes)
        .size_limit(16 << 20)
        .build()
        .map_err(|e| e.to_string())?;
    let prefilter = AhoCorasick::new(&needles).map_err(|e| e.to_string())?;
    let likely = AhoCorasick::new(&strong_needles).map_err(|e| e.to_string())?;
    Ok(Table {
        likely,
        libraries,
        calls,
        bases,
        call_of,
        imports,
        import_prefixes,
        packages,
        prefilter,
    })
}

/// A call pattern as a regular expression: `*` is any run of names and
/// dots within one object (it never crosses the `()` of a call), `**` is
/// anything, `{a,b}` either, and every other character itself.
fn pattern_regex(pattern: &str) -> Result<String, String> {
    let mut out = String::from("^");
    let mut chars = pattern.chars().peekable();
    let mut depth = 0;
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str(".*");
            }
            '*' => out.push_str("[^()]*"),
            '{' => {
                depth += 1;
                out.push_str("(?:");
            }
            '}' if depth > 0 => {
                depth -= 1;
                out.push(')');
            }
            ',' if depth > 0 => out.push('|'),
            other => out.push_str(&regex::escape(&other.to_string())),
        }
    }
    if depth != 0 {
        return Err("unclosed {".into());
    }
    out.push('$');
    Ok(out)
}

/// Whether `pattern` starts with the module `module` (`openai.*` with
/// `openai`, `@langchain/openai.*` with `@langchain/openai`).
fn starts_with_module(pattern: &str, module: &str) -> bool {
    pattern
        .strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('/'))
        || pattern.starts_with(&format!("{{{module},"))
}

/// The name a call pattern ends with (`*.from_pretrained`: `from_pretrained`).
fn last_name(pattern: &str) -> String {
    pattern
        .rsplit('.')
        .next()
        .unwrap_or(pattern)
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
        .to_string()
}

/// What a file that imports `import` must contain: `import x` or `from x`
/// (Python), or the module quoted (JavaScript, and Python's
/// `importlib.import_module("x")`).
fn import_needles(import: &str) -> Vec<String> {
    let module = import.trim_end_matches("/*");
    let mut needles = vec![
        format!("\"{module}"),
        format!("'{module}"),
        format!("`{module}"),
    ];
    let looks_js = module.starts_with('@') || module.contains('/') || module.contains('-');
    if !looks_js {
        let first = module.split('.').next().unwrap_or(module);
        needles.push(format!("import {first}"));
        needles.push(format!("from {first}"));
    }
    needles
}

/// PEP 503 normalisation, which npm names survive unchanged.
pub fn normalise(package: &str) -> String {
    let mut out = String::with_capacity(package.len());
    let mut last_dash = false;
    for c in package.trim().chars() {
        let c = c.to_ascii_lowercase();
        if matches!(c, '-' | '_' | '.') && !package.starts_with('@') {
            if !last_dash {
                out.push('-');
            }
            last_dash = true;
        } else {
            out.push(c);
            last_dash = false;
        }
    }
    out
}

impl Table {
    /// Whether `text` may hold evidence at all.
    pub fn may_hold_evidence(&self, text: &[u8]) -> bool {
        self.prefilter.is_match(text)
    }

    /// Whether `text` is likely ML code: it names a library of the table
    /// other than a general-purpose one.
    pub fn likely_ml(&self, text: &[u8]) -> bool {
        self.likely.is_match(text)
    }

    /// The libraries a module import brings in (`openai.types`: OpenAI),
    /// each with whether the import alone says nothing of AI.
    pub fn libraries_of_import(&self, module: &str) -> Vec<(usize, bool)> {
        let mut found = Vec::new();
        let mut end = module.len();
        loop {
            let prefix = &module[..end];
            if let Some(l) = self.imports.get(prefix) {
                found.extend(l);
            }
            match prefix.rfind(['.', '/']) {
                Some(i) if i > 0 => end = i,
                _ => break,
            }
        }
        for (prefix, l, weak) in &self.import_prefixes {
            if module.starts_with(prefix.as_str()) {
                found.push((*l, *weak));
            }
        }
        found.sort_unstable();
        found.dedup_by_key(|(l, _)| *l);
        found
    }

    /// The libraries a manifest dependency brings in.
    pub fn libraries_of_package(&self, package: &str) -> &[usize] {
        self.packages
            .get(&normalise(package))
            .map_or(&[], Vec::as_slice)
    }

    /// Every call rule whose pattern matches `path`, in table order.
    pub fn calls_matching(&self, path: &str) -> Vec<CallRule<'_>> {
        // Most calls are nobody's model: one pass says so.
        if !self.calls.is_match(path) {
            return Vec::new();
        }
        let mut hits: Vec<usize> = self.calls.matches(path).into_iter().collect();
        hits.sort_unstable();
        hits.into_iter()
            .filter_map(|i| {
                let (library, call, rooted) = *self.call_of.get(i)?;
                let spec = self.libraries.get(library)?.calls.get(call)?;
                Some(CallRule {
                    library,
                    spec,
                    rooted,
                })
            })
            .collect()
    }

    /// Whether a library is a hosted-model client: it, or one of its calls,
    /// names a provider.
    pub fn is_hosted(&self, library: usize) -> bool {
        self.libraries.get(library).is_some_and(|l| {
            l.provider.is_some()
                || l.calls
                    .iter()
                    .any(|c| c.kind == CallKind::Hosted && c.provider.is_some())
        })
    }

    /// Whether `name` is the first name of a Python import of the table.
    pub fn is_import_root(&self, name: &str) -> bool {
        self.imports.contains_key(name)
    }

    /// Whether a class with this (resolved) base is a model.
    pub fn is_model_base(&self, path: &str) -> bool {
        self.bases.is_match(path)
    }

    pub fn name(&self, library: usize) -> &str {
        self.libraries.get(library).map_or("", |l| l.name.as_str())
    }

    /// The supplier of a hosted call: the call's own, else its library's.
    pub fn provider(&self, rule: &CallRule<'_>) -> Option<String> {
        rule.spec.provider.clone().or_else(|| {
            self.libraries
                .get(rule.library)
                .and_then(|l| l.provider.clone())
        })
    }
}

/// Kinds in the order messages list them.
pub fn kind_word(kind: CallKind) -> &'static str {
    match kind {
        CallKind::Training => "training",
        CallKind::Loading => "loading",
        CallKind::Hosted => "hosted",
        CallKind::Saving => "saving",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses_and_compiles() {
        let File { library } = toml::from_str(BUILTIN).expect("libraries.toml parses");
        assert!(library.len() > 20);
        let table = compile(&[]).expect("compiles");
        assert!(!table
            .calls_matching("openai.OpenAI().chat.completions.create")
            .is_empty());
        assert!(!table.calls_matching("?model.from_pretrained").is_empty());
        assert!(table.calls_matching("?model.train").is_empty());
        // A client's response is not the client.
        assert!(table
            .calls_matching("openai.OpenAI().chat.completions.create().close")
            .is_empty());
    }

    #[test]
    fn imports_resolve_to_libraries_by_prefix() {
        let table = compile(&[]).expect("compiles");
        let openai = table.libraries_of_import("openai.types.chat");
        assert_eq!(openai.len(), 1);
        assert_eq!(table.name(openai[0].0), "OpenAI");
        assert!(table
            .libraries_of_import("boto3")
            .iter()
            .all(|(_, weak)| *weak));
        assert!(!table.libraries_of_import("@langchain/openai").is_empty());
        assert!(!table
            .libraries_of_import("@tensorflow-models/coco-ssd")
            .is_empty());
        assert!(table.libraries_of_import("openaiish").is_empty());
        assert!(table.libraries_of_import("requests").is_empty());
    }

    #[test]
    fn packages_are_normalised() {
        let table = compile(&[]).expect("compiles");
        assert!(!table.libraries_of_package("Scikit_Learn").is_empty());
        assert!(!table.libraries_of_package("@anthropic-ai/sdk").is_empty());
        assert!(table.libraries_of_package("requests").is_empty());
    }
}
