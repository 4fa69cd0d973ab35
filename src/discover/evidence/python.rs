//! Python source (and notebooks' code cells) read with tree-sitter's Python
//! grammar: imports, assignments and calls, for [`super::Scan`].

use super::resolve::{Bindings, Part, Path};
use super::{Arg, RawCall, Scan, Unread};
use tree_sitter::{Node, Parser};

/// Most syntax nodes visited in one file: a bound on work, whatever the input.
const MAX_NODES: usize = 4_000_000;

/// Reads `source`; `script`: the file runs as a program (a notebook, a
/// `__main__.py`), so every call in it is the program's own.
pub fn scan(source: &[u8], script: bool, budget: std::time::Duration) -> Result<Scan, Unread> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|_| Unread::Parser)?;
    let tree = super::parse_bounded(&mut parser, source, budget)?;
    let mut walker = Walker {
        source,
        scan: Scan {
            script,
            ..Scan::default()
        },
        calls: Vec::new(),
        classes: Vec::new(),
    };
    walker.walk(tree.root_node())?;
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
    let main_guard = scan.script;
    for (node, ctx) in calls {
        if let Some(call) = raw_call(node, source, &scan.bindings, ctx, main_guard) {
            // `importlib.import_module("litellm")` imports as surely as `import litellm`.
            if matches!(
                call.path.as_str(),
                "importlib.import_module" | "?__import__"
            ) {
                if let Some(module) = call.args.first().and_then(|a| a.literal.clone()) {
                    scan.imports.push((module, call.line));
                }
            }
            scan.calls.push(call);
        }
    }
    Ok(scan)
}

#[derive(Debug, Clone, Copy, Default)]
struct Ctx {
    in_function: bool,
    in_main: bool,
}

struct Walker<'s, 't> {
    source: &'s [u8],
    scan: Scan,
    calls: Vec<(Node<'t>, Ctx)>,
    /// The bases of each class defined, as written.
    classes: Vec<Vec<Path>>,
}

impl<'s, 't> Walker<'s, 't> {
    fn text(&self, node: Node<'_>) -> &'s str {
        node.utf8_text(self.source).unwrap_or("")
    }

    fn walk(&mut self, root: Node<'t>) -> Result<(), Unread> {
        let mut stack: Vec<(Node<'t>, Ctx)> = vec![(root, Ctx::default())];
        let mut visited = 0usize;
        while let Some((node, ctx)) = stack.pop() {
            visited += 1;
            if visited > MAX_NODES {
                return Err(Unread::TooComplex);
            }
            let mut inner = ctx;
            match node.kind() {
                "import_statement" => self.import(node),
                "import_from_statement" => self.import_from(node),
                "assignment" => self.assignment(node, ctx),
                "with_item" => self.with_item(node),
                "call" => self.calls.push((node, ctx)),
                "function_definition" | "lambda" => inner.in_function = true,
                "class_definition" => {
                    if let Some(list) = node.child_by_field_name("superclasses") {
                        let mut cursor = list.walk();
                        let bases: Vec<Path> = list
                            .named_children(&mut cursor)
                            .filter_map(|b| path_of(b, self.source))
                            .collect();
                        if !bases.is_empty() {
                            self.classes.push(bases);
                        }
                    }
                }
                "if_statement" if !ctx.in_function && is_main_guard(self, node) => {
                    self.scan.script = true;
                    if let Some(body) = node.child_by_field_name("consequence") {
                        stack.push((
                            body,
                            Ctx {
                                in_main: true,
                                ..ctx
                            },
                        ));
                    }
                    if let Some(condition) = node.child_by_field_name("condition") {
                        stack.push((condition, ctx));
                    }
                    let mut cursor = node.walk();
                    for child in node.children_by_field_name("alternative", &mut cursor) {
                        stack.push((child, ctx));
                    }
                    continue;
                }
                _ => {}
            }
            let mut cursor = node.walk();
            let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
            for child in children.into_iter().rev() {
                stack.push((child, inner));
            }
        }
        Ok(())
    }

    fn import(&mut self, node: Node<'t>) {
        let mut cursor = node.walk();
        for child in node.children_by_field_name("name", &mut cursor) {
            let line = line_of(child);
            match child.kind() {
                "dotted_name" => {
                    let module = self.text(child);
                    let first = module.split('.').next().unwrap_or(module);
                    self.scan.bindings.import(first, vec![first.to_string()]);
                    self.scan.imports.push((module.to_string(), line));
                }
                "aliased_import" => {
                    let module = child
                        .child_by_field_name("name")
                        .map(|n| self.text(n))
                        .unwrap_or("");
                    let alias = child
                        .child_by_field_name("alias")
                        .map(|n| self.text(n))
                        .unwrap_or("");
                    self.scan.bindings.import(alias, dotted(module));
                    self.scan.imports.push((module.to_string(), line));
                }
                _ => {}
            }
        }
    }

    fn import_from(&mut self, node: Node<'t>) {
        let Some(module_node) = node.child_by_field_name("module_name") else {
            return;
        };
        let module = self.text(module_node).to_string();
        let relative = module_node.kind() == "relative_import";
        let line = line_of(node);
        if !relative {
            self.scan.imports.push((module.clone(), line));
        }
        let base: Vec<String> = if relative {
            // The repository's own module: `.models` stays `.models`.
            vec![module.clone()]
        } else {
            dotted(&module)
        };
        let mut cursor = node.walk();
        for child in node.children_by_field_name("name", &mut cursor) {
            let (name, alias) = match child.kind() {
                "dotted_name" => (self.text(child), self.text(child)),
                "aliased_import" => (
                    child
                        .child_by_field_name("name")
                        .map(|n| self.text(n))
                        .unwrap_or(""),
                    child
                        .child_by_field_name("alias")
                        .map(|n| self.text(n))
                        .unwrap_or(""),
                ),
                _ => continue,
            };
            let mut full = base.clone();
            full.extend(dotted(name));
            if !relative {
                // `from openai import types` imports the module `openai.types`.
                self.scan.imports.push((full.join("."), line));
            }
            self.scan.bindings.import(alias, full);
        }
    }

    fn assignment(&mut self, node: Node<'t>, ctx: Ctx) {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        let Some(name) = target_name(self.source, left) else {
            return;
        };
        if right.kind() == "string" && !ctx.in_function {
            if let Some(value) = string_value(right, self.source) {
                self.scan.bindings.constants.insert(name.clone(), value);
            }
            return;
        }
        if let Some(path) = path_of(right, self.source) {
            self.scan.bindings.assign(&name, path);
        }
    }

    fn with_item(&mut self, node: Node<'t>) {
        let Some(value) = node.child_by_field_name("value") else {
            return;
        };
        if value.kind() != "as_pattern" {
            return;
        }
        let (Some(expr), Some(alias)) = (value.named_child(0), value.child_by_field_name("alias"))
        else {
            return;
        };
        let alias = alias.named_child(0).unwrap_or(alias);
        if let (Some(name), Some(path)) =
            (target_name(self.source, alias), path_of(expr, self.source))
        {
            self.scan.bindings.assign(&name, path);
        }
    }
}

fn is_main_guard(walker: &Walker<'_, '_>, node: Node<'_>) -> bool {
    let Some(condition) = node.child_by_field_name("condition") else {
        return false;
    };
    let text: String = walker
        .text(condition)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\'' { '"' } else { c })
        .collect();
    text == "__name__==\"__main__\"" || text == "\"__main__\"==__name__"
}

fn dotted(module: &str) -> Vec<String> {
    module
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| p.trim().to_string())
        .collect()
}

pub(super) fn line_of(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row)
        .unwrap_or(u32::MAX - 1)
        .saturating_add(1)
}

/// `x`, `self.x` or `a.b`: a name an assignment binds.
fn target_name(source: &[u8], node: Node<'_>) -> Option<String> {
    match node.kind() {
        "identifier" => node.utf8_text(source).ok().map(str::to_string),
        "attribute" => {
            let object = node.child_by_field_name("object")?;
            let attribute = node.child_by_field_name("attribute")?;
            if object.kind() != "identifier" {
                return None;
            }
            Some(format!(
                "{}.{}",
                object.utf8_text(source).ok()?,
                attribute.utf8_text(source).ok()?
            ))
        }
        _ => None,
    }
}

/// The path an expression spells: names, attributes and calls
/// (`OpenAI()`, `a.b(c).d`); `None` for anything else.
fn path_of(node: Node<'_>, source: &[u8]) -> Option<Path> {
    let mut parts: Vec<Part> = Vec::new();
    let mut current = node;
    for _ in 0..64 {
        match current.kind() {
            "identifier" => {
                parts.push(Part::Name(current.utf8_text(source).ok()?.to_string()));
                parts.reverse();
                return Some(parts);
            }
            "attribute" => {
                let attribute = current.child_by_field_name("attribute")?;
                parts.push(Part::Name(attribute.utf8_text(source).ok()?.to_string()));
                current = current.child_by_field_name("object")?;
            }
            "call" => {
                parts.push(Part::Call);
                current = current.child_by_field_name("function")?;
            }
            "await" | "parenthesized_expression" => current = current.named_child(0)?,
            _ => return None,
        }
    }
    None
}

/// The value of a plain string literal (no interpolation).
pub(super) fn string_value(node: Node<'_>, source: &[u8]) -> Option<String> {
    match node.kind() {
        "string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "string_content" => out.push_str(child.utf8_text(source).ok()?),
                    "interpolation" => return None,
                    _ => {}
                }
            }
            Some(out)
        }
        "concatenated_string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                out.push_str(&string_value(child, source)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// Whether any string literal sits in `node` (`os.path.join(DIR, "m.pt")`).
fn holds_literal(node: Node<'_>) -> bool {
    let mut stack = vec![node];
    let mut seen = 0;
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > 256 {
            return false;
        }
        if n.kind() == "string" {
            return true;
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    false
}

fn raw_call(
    node: Node<'_>,
    source: &[u8],
    bindings: &Bindings,
    ctx: Ctx,
    script: bool,
) -> Option<RawCall> {
    let function = node.child_by_field_name("function")?;
    let path = path_of(function, source)?;
    let resolved = bindings.resolve(&path);
    let mut args = Vec::new();
    if let Some(list) = node.child_by_field_name("arguments") {
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            match child.kind() {
                "keyword_argument" => {
                    let name = child
                        .child_by_field_name("name")
                        .and_then(|n| n.utf8_text(source).ok())
                        .map(str::to_string);
                    let value = child.child_by_field_name("value");
                    args.push(arg(name, value, source, bindings));
                }
                "list_splat" | "dictionary_splat" | "comment" => {}
                _ => args.push(arg(None, Some(child), source, bindings)),
            }
        }
    }
    let (line, column) = super::position(node, source);
    Some(RawCall {
        path: resolved.path,
        bound: resolved.bound,
        line,
        column,
        args,
        entry: !ctx.in_function || ctx.in_main || script,
    })
}

fn arg(name: Option<String>, value: Option<Node<'_>>, source: &[u8], bindings: &Bindings) -> Arg {
    let Some(value) = value else {
        return Arg {
            name,
            literal: None,
            has_literal: false,
        };
    };
    let literal = string_value(value, source).or_else(|| {
        (value.kind() == "identifier")
            .then(|| value.utf8_text(source).ok())
            .flatten()
            .and_then(|n| bindings.constants.get(n).cloned())
    });
    Arg {
        name,
        has_literal: literal.is_some() || holds_literal(value),
        literal,
    }
}
