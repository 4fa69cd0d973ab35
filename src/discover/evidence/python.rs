//! Python source (and notebooks' code cells) read with Ruff's parser (as
//! RustPython publishes it): imports, assignments, class bases and calls,
//! for [`super::Scan`].

use super::resolve::{Bindings, Part, Path};
use super::{Arg, RawCall, Scan, Unread};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// Deepest bracket nesting read: CPython itself refuses more than 200.
const MAX_BRACKETS: u32 = 200;
/// Longest run of prefix operators read (`- - - x`, `not not x`,
/// `lambda: lambda: x`), and most conditionals in one logical line (`a if
/// b else c if ...`): far past what a person writes, and within what a
/// parser thread's stack holds ([`BIG_STACK`]).
const MAX_NESTING: u32 = 1_000;
/// Most operators, calls, subscripts and attribute accesses in one logical
/// line: their chains are as deep as they are long (`a.b.c...`, `1 + 1 +
/// ...`), and longer than this only in generated tables.
const MAX_CHAIN: u32 = 50_000;
/// The stack every parse runs on: deep recursion in the parser and in the
/// syntax tree's drop stays inside it for any input [`too_deep`] lets through.
pub const BIG_STACK: usize = 256 * 1024 * 1024;

thread_local! {
    static ON_BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the current thread as one with a [`BIG_STACK`] (a parsing pool's).
pub fn mark_big_stack() {
    ON_BIG_STACK.with(|b| b.set(true));
}

/// Runs `work` on a thread with a [`BIG_STACK`]: this one when it has
/// one, else a scoped thread spawned for it.
pub fn on_big_stack<T: Send>(work: impl FnOnce() -> T + Send) -> Option<T> {
    if ON_BIG_STACK.with(std::cell::Cell::get) {
        return Some(work());
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(BIG_STACK)
            .spawn_scoped(scope, || {
                mark_big_stack();
                work()
            })
            .ok()?
            .join()
            .ok()
    })
}

/// Reads `source`; `script`: the file runs as a program (a notebook, a
/// `__main__.py`), so every call in it is the program's own.
pub fn scan(source: &[u8], script: bool) -> Result<Scan, Unread> {
    on_big_stack(|| scan_here(source, script)).unwrap_or(Err(Unread::TooComplex))
}

fn scan_here(source: &[u8], script: bool) -> Result<Scan, Unread> {
    let (text, parsed) = parse(source)?;
    let lines = Lines::new(text);
    let mut walker = Walker {
        text,
        lines: &lines,
        scan: Scan {
            script,
            ..Scan::default()
        },
        calls: Vec::new(),
        classes: Vec::new(),
        ctx: Ctx::default(),
    };
    walker.visit_body(&parsed.syntax().body);
    let Walker {
        mut scan,
        calls,
        classes,
        ..
    } = walker;
    scan.classes = classes
        .iter()
        .map(|bases| {
            bases
                .iter()
                .map(|b| scan.bindings.resolve(b).path)
                .collect()
        })
        .collect();
    let script = scan.script;
    for (call, ctx) in calls {
        if let Some(raw) = raw_call(call, &lines, &scan.bindings, ctx, script) {
            // `importlib.import_module("litellm")` imports as surely as `import litellm`.
            if matches!(raw.path.as_str(), "importlib.import_module" | "?__import__") {
                if let Some(module) = raw.args.first().and_then(|a| a.literal.clone()) {
                    scan.imports.push((module, raw.line));
                }
            }
            scan.calls.push(raw);
        }
    }
    Ok(scan)
}

/// The module `source` holds, read past syntax errors as far as it goes.
/// Call it on a [`BIG_STACK`] ([`on_big_stack`]), and drop the result there.
pub(super) fn parse(
    source: &[u8],
) -> Result<(&str, ruff_python_parser::Parsed<ast::ModModule>), Unread> {
    let text = std::str::from_utf8(source).map_err(|_| Unread::Read("not UTF-8".into()))?;
    if too_deep(source) {
        return Err(Unread::TooComplex);
    }
    Ok((
        text,
        ruff_python_parser::parse_unchecked_source(text, ast::PySourceType::Python),
    ))
}

/// Whether parsing could nest deeper than is safe: see [`MAX_BRACKETS`]
/// and [`MAX_NESTING`]. Counted on the bytes, strings included: a false
/// alarm only means the file is noted as not read.
fn too_deep(source: &[u8]) -> bool {
    let mut depth: u32 = 0;
    let mut run: u32 = 0;
    let mut conditionals: u32 = 0;
    let mut chain: u32 = 0;
    let mut i = 0;
    while let Some(&b) = source.get(i) {
        if b.is_ascii_alphabetic() || b == b'_' {
            let end = source[i..]
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                .map_or(source.len(), |n| i + n);
            match &source[i..end] {
                b"not" | b"await" | b"lambda" => run += 1,
                b"if" => {
                    conditionals += 1;
                    run = 0;
                }
                _ => run = 0,
            }
            i = end;
        } else {
            match b {
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    run = 0;
                    chain += 1;
                }
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    run = 0;
                }
                b'-' | b'+' | b'~' => {
                    run += 1;
                    chain += 1;
                }
                b'*' | b'/' | b'%' | b'@' | b'&' | b'|' | b'^' | b'<' | b'>' | b'.' => {
                    run = 0;
                    chain += 1;
                }
                b'\n' if depth == 0 => {
                    conditionals = 0;
                    chain = 0;
                }
                b' ' | b'\t' | b'\r' | b'\n' | b':' => {}
                _ => run = 0,
            }
            i += 1;
        }
        if depth > MAX_BRACKETS
            || run > MAX_NESTING
            || conditionals > MAX_NESTING
            || chain > MAX_CHAIN
        {
            return true;
        }
    }
    false
}

/// Byte offsets to 1-based lines and columns (in characters).
pub(super) struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts }
    }

    pub(super) fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|s| *s <= offset);
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }

    fn line(&self, offset: usize) -> u32 {
        self.position(offset).0
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Ctx {
    in_function: bool,
    in_main: bool,
}

struct Walker<'a, 't> {
    text: &'t str,
    lines: &'a Lines<'t>,
    scan: Scan,
    calls: Vec<(&'a ast::ExprCall, Ctx)>,
    /// The bases of each class defined, as written.
    classes: Vec<Vec<Path>>,
    ctx: Ctx,
}

impl<'a, 't> Walker<'a, 't> {
    fn visit_in(&mut self, ctx: Ctx, visit: impl FnOnce(&mut Self)) {
        let outer = self.ctx;
        self.ctx = ctx;
        visit(self);
        self.ctx = outer;
    }

    fn offset(range: TextRange) -> usize {
        range.start().to_usize()
    }
}

impl<'a> Visitor<'a> for Walker<'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.id.as_str();
                    let line = self.lines.line(Self::offset(alias.range));
                    match &alias.asname {
                        Some(asname) => self
                            .scan
                            .bindings
                            .import(asname.id.as_str(), dotted(module)),
                        None => {
                            let first = module.split('.').next().unwrap_or(module);
                            self.scan.bindings.import(first, vec![first.to_string()]);
                        }
                    }
                    self.scan.imports.push((module.to_string(), line));
                }
            }
            Stmt::ImportFrom(from) => {
                let module = from.module.as_ref().map_or("", |m| m.id.as_str());
                let line = self.lines.line(Self::offset(from.range));
                let relative = from.level > 0;
                let base: Vec<String> = if relative {
                    // The repository's own module: `.models` stays `.models`.
                    vec![format!("{}{module}", ".".repeat(from.level as usize))]
                } else {
                    self.scan.imports.push((module.to_string(), line));
                    dotted(module)
                };
                for alias in &from.names {
                    let name = alias.name.id.as_str();
                    if name == "*" {
                        continue;
                    }
                    let mut full = base.clone();
                    full.extend(dotted(name));
                    if !relative {
                        // `from openai import types` imports the module `openai.types`.
                        self.scan.imports.push((full.join("."), line));
                    }
                    let local = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                    self.scan.bindings.import(local, full);
                }
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.assign(target, &assign.value);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.assign(&assign.target, value);
                }
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(target) = &item.optional_vars {
                        if let (Some(name), Some(path)) =
                            (target_name(target), path_of(&item.context_expr))
                        {
                            self.scan.bindings.assign(&name, path);
                        }
                    }
                }
            }
            Stmt::FunctionDef(_) => {
                let ctx = Ctx {
                    in_function: true,
                    ..self.ctx
                };
                self.visit_in(ctx, |w| visitor::walk_stmt(w, stmt));
                return;
            }
            Stmt::ClassDef(class) => {
                let bases: Vec<Path> = class.bases().iter().filter_map(path_of).collect();
                if !bases.is_empty() {
                    self.classes.push(bases);
                }
            }
            Stmt::If(branch) if !self.ctx.in_function && is_main_guard(&branch.test, self.text) => {
                self.scan.script = true;
                let ctx = Ctx {
                    in_main: true,
                    ..self.ctx
                };
                self.visit_in(ctx, |w| w.visit_body(&branch.body));
                for clause in &branch.elif_else_clauses {
                    self.visit_body(&clause.body);
                }
                return;
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => self.calls.push((call, self.ctx)),
            Expr::Lambda(_) => {
                let ctx = Ctx {
                    in_function: true,
                    ..self.ctx
                };
                self.visit_in(ctx, |w| visitor::walk_expr(w, expr));
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

impl Walker<'_, '_> {
    fn assign(&mut self, target: &Expr, value: &Expr) {
        let Some(name) = target_name(target) else {
            return;
        };
        if let Expr::StringLiteral(s) = value {
            if !self.ctx.in_function {
                self.scan
                    .bindings
                    .constants
                    .insert(name, s.value.to_str().to_string());
            }
            return;
        }
        if let Some(path) = path_of(value) {
            self.scan.bindings.assign(&name, path);
        }
    }
}

fn is_main_guard(test: &Expr, text: &str) -> bool {
    let start = test.as_ref_range().0;
    let end = test.as_ref_range().1;
    let Some(condition) = text.get(start..end) else {
        return false;
    };
    let condition: String = condition
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\'' { '"' } else { c })
        .collect();
    condition == "__name__==\"__main__\"" || condition == "\"__main__\"==__name__"
}

/// The byte span of an expression.
trait RangeOf {
    fn as_ref_range(&self) -> (usize, usize);
}

impl RangeOf for Expr {
    fn as_ref_range(&self) -> (usize, usize) {
        let r = self.range();
        (r.start().to_usize(), r.end().to_usize())
    }
}

fn dotted(module: &str) -> Vec<String> {
    module
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| p.trim().to_string())
        .collect()
}

/// `x`, `self.x` or `a.b`: a name an assignment binds.
fn target_name(target: &Expr) -> Option<String> {
    match target {
        Expr::Name(name) => Some(name.id.as_str().to_string()),
        Expr::Attribute(attribute) => match attribute.value.as_ref() {
            Expr::Name(object) => Some(format!(
                "{}.{}",
                object.id.as_str(),
                attribute.attr.id.as_str()
            )),
            _ => None,
        },
        _ => None,
    }
}

/// The path an expression spells: names, attributes and calls
/// (`OpenAI()`, `a.b(c).d`); `None` for anything else.
fn path_of(expr: &Expr) -> Option<Path> {
    let mut parts: Vec<Part> = Vec::new();
    let mut current = expr;
    for _ in 0..64 {
        match current {
            Expr::Name(name) => {
                parts.push(Part::Name(name.id.as_str().to_string()));
                parts.reverse();
                return Some(parts);
            }
            Expr::Attribute(attribute) => {
                parts.push(Part::Name(attribute.attr.id.as_str().to_string()));
                current = &attribute.value;
            }
            Expr::Call(call) => {
                parts.push(Part::Call);
                current = &call.func;
            }
            Expr::Await(inner) => current = &inner.value,
            _ => return None,
        }
    }
    None
}

/// Whether any string literal sits in `expr` (`os.path.join(DIR, "m.pt")`).
fn holds_literal(expr: &Expr) -> bool {
    struct Finder {
        found: bool,
        seen: u32,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            self.seen += 1;
            if self.found || self.seen > 256 {
                return;
            }
            if matches!(
                expr,
                Expr::StringLiteral(_) | Expr::FString(_) | Expr::TString(_)
            ) {
                self.found = true;
                return;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        found: false,
        seen: 0,
    };
    finder.visit_expr(expr);
    finder.found
}

fn raw_call(
    call: &ast::ExprCall,
    lines: &Lines<'_>,
    bindings: &Bindings,
    ctx: Ctx,
    script: bool,
) -> Option<RawCall> {
    let path = path_of(&call.func)?;
    let resolved = bindings.resolve(&path);
    let mut args = Vec::new();
    for value in call.arguments.args.iter() {
        if !matches!(value, Expr::Starred(_)) {
            args.push(arg(None, value, bindings));
        }
    }
    for keyword in call.arguments.keywords.iter() {
        if let Some(name) = &keyword.arg {
            args.push(arg(
                Some(name.id.as_str().to_string()),
                &keyword.value,
                bindings,
            ));
        }
    }
    let (line, column) = lines.position(call.range.start().to_usize());
    Some(RawCall {
        path: resolved.path,
        written: super::resolve::render(&path),
        bound: resolved.bound,
        line,
        column,
        args,
        entry: !ctx.in_function || ctx.in_main || script,
    })
}

fn arg(name: Option<String>, value: &Expr, bindings: &Bindings) -> Arg {
    let literal = match value {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        Expr::Name(n) => bindings.constants.get(n.id.as_str()).cloned(),
        _ => None,
    };
    Arg {
        name,
        has_literal: literal.is_some() || holds_literal(value),
        literal,
    }
}

/// The value of a plain string literal.
pub(super) fn string_value(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_past_the_bounds_is_refused_before_parsing() {
        let deep = |open: &str, inner: &str, close: &str, n: usize| {
            format!("x = {}{inner}{}\n", open.repeat(n), close.repeat(n))
        };
        assert!(!too_deep(deep("(", "1", ")", 200).as_bytes()));
        assert!(too_deep(deep("(", "1", ")", 201).as_bytes()));
        assert!(!too_deep(deep("- ", "1", "", 1000).as_bytes()));
        assert!(too_deep(deep("- ", "1", "", 1001).as_bytes()));
        assert!(too_deep(deep("not ", "x", "", 1001).as_bytes()));
        assert!(too_deep(deep("lambda: ", "x", "", 1001).as_bytes()));
        assert!(too_deep(
            format!("x = 1{}\n", " if a else 1".repeat(1001)).as_bytes()
        ));
        // Flat code of any size is not deep: a long table of negative numbers,
        // a long chain of additions, many lines of conditionals.
        assert!(!too_deep(
            format!("W = [{}]\n", "-0.5, ".repeat(10_000)).as_bytes()
        ));
        assert!(!too_deep(
            format!("x = 1{}\n", " + 1".repeat(50_000)).as_bytes()
        ));
        assert!(too_deep(
            format!("x = 1{}\n", " + 1".repeat(50_001)).as_bytes()
        ));
        assert!(too_deep(
            format!("x = a{}\n", ".b".repeat(50_001)).as_bytes()
        ));
        assert!(!too_deep(
            format!("x = 1\n{}", "y = a.b + 1\n".repeat(50_000)).as_bytes()
        ));
        assert!(!too_deep("y = a if b else c\n".repeat(5000).as_bytes()));
    }

    #[test]
    fn what_the_bounds_let_through_parses_without_overflowing() {
        for code in [
            format!("x = {}1{}\n", "(".repeat(200), ")".repeat(200)),
            format!(
                "x = {}{}1{}\n",
                "(".repeat(200),
                "-".repeat(1000),
                ")".repeat(200)
            ),
            format!("x = {}1\n", "not ".repeat(1000)),
            format!("x = {}1\n", "lambda: ".repeat(1000)),
            format!("x = 1{}\n", " if a else 1".repeat(1000)),
            format!("x = 1{}\n", " + 1".repeat(50_000)),
            format!("x = a{}\n", ".b".repeat(50_000)),
            format!("x = f{}\n", "()".repeat(50_000)),
        ] {
            assert!(scan(code.as_bytes(), false).is_ok());
        }
    }
}
