//! JavaScript and TypeScript read with tree-sitter's grammars: `import`,
//! `require`, assignments, `new` and calls, for [`super::Scan`].

use super::resolve::{Bindings, Part, Path};
use super::{Arg, RawCall, Scan, Unread};
use tree_sitter::{Node, Parser};

const MAX_NODES: usize = 4_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    JavaScript,
    TypeScript,
    Tsx,
}

pub fn scan(source: &[u8], dialect: Dialect, budget: std::time::Duration) -> Result<Scan, Unread> {
    let language: tree_sitter::Language = match dialect {
        Dialect::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Dialect::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Dialect::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    };
    let mut parser = Parser::new();
    parser.set_language(&language).map_err(|_| Unread::Parser)?;
    let tree = super::parse_bounded(&mut parser, source, budget)?;
    let mut scan = Scan::default();
    let mut calls: Vec<(Node<'_>, bool)> = Vec::new();
    let mut stack: Vec<(Node<'_>, bool)> = vec![(tree.root_node(), false)];
    let mut visited = 0usize;
    while let Some((node, in_function)) = stack.pop() {
        visited += 1;
        if visited > MAX_NODES {
            return Err(Unread::TooComplex);
        }
        let mut inner = in_function;
        match node.kind() {
            "import_statement" => import(node, source, &mut scan),
            "variable_declarator" => declarator(node, source, &mut scan, in_function),
            "assignment_expression" => {
                if let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    if let (Some(name), Some(path)) =
                        (target_name(left, source), path_of(right, source))
                    {
                        scan.bindings.assign(&name, path);
                    }
                }
            }
            "public_field_definition" | "field_definition" => {
                let name = node
                    .child_by_field_name("name")
                    .or_else(|| node.child_by_field_name("property"))
                    .and_then(|n| n.utf8_text(source).ok());
                if let (Some(name), Some(value)) = (name, node.child_by_field_name("value")) {
                    if let Some(path) = path_of(value, source) {
                        scan.bindings.assign(&format!("this.{name}"), path);
                    }
                }
            }
            "call_expression" | "new_expression" => calls.push((node, in_function)),
            "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration" => inner = true,
            _ => {}
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for child in children.into_iter().rev() {
            stack.push((child, inner));
        }
    }
    for (node, in_function) in calls {
        if let Some(call) = raw_call(node, source, &scan.bindings, in_function) {
            scan.calls.push(call);
        }
    }
    Ok(scan)
}

fn line_of(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row)
        .unwrap_or(u32::MAX - 1)
        .saturating_add(1)
}

fn text<'s>(node: Node<'_>, source: &'s [u8]) -> &'s str {
    node.utf8_text(source).unwrap_or("")
}

/// The module a string literal names (`"openai"`).
fn module_of(node: Node<'_>, source: &[u8]) -> Option<String> {
    string_value(node, source).filter(|m| !m.is_empty())
}

fn import(node: Node<'_>, source: &[u8], scan: &mut Scan) {
    let Some(module) = node
        .child_by_field_name("source")
        .and_then(|s| module_of(s, source))
    else {
        return;
    };
    scan.imports.push((module.clone(), line_of(node)));
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            "import_clause" => {
                let mut inner = child.walk();
                for part in child.named_children(&mut inner) {
                    match part.kind() {
                        "identifier" => scan
                            .bindings
                            .import(text(part, source), vec![module.clone(), "default".into()]),
                        "namespace_import" => {
                            if let Some(id) = part.named_child(0) {
                                scan.bindings.import(text(id, source), vec![module.clone()]);
                            }
                        }
                        "named_imports" => {
                            let mut specs = part.walk();
                            for spec in part.named_children(&mut specs) {
                                if spec.kind() != "import_specifier" {
                                    continue;
                                }
                                let Some(name) = spec.child_by_field_name("name") else {
                                    continue;
                                };
                                let name = string_value(name, source)
                                    .unwrap_or_else(|| text(name, source).to_string());
                                let alias = spec
                                    .child_by_field_name("alias")
                                    .map_or(name.clone(), |a| text(a, source).to_string());
                                scan.bindings.import(&alias, vec![module.clone(), name]);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "import_require_clause" => {
                if let Some(id) = child.named_child(0).filter(|n| n.kind() == "identifier") {
                    scan.bindings.import(text(id, source), vec![module.clone()]);
                }
            }
            _ => {}
        }
    }
}

/// `require("m")`, `await import("m")`: the module, when `node` is one.
fn required_module(node: Node<'_>, source: &[u8]) -> Option<String> {
    let node = if node.kind() == "await_expression" {
        node.named_child(0)?
    } else {
        node
    };
    if node.kind() != "call_expression" {
        return None;
    }
    let function = node.child_by_field_name("function")?;
    let callee = text(function, source);
    if callee != "require" && callee != "import" {
        return None;
    }
    let arguments = node.child_by_field_name("arguments")?;
    module_of(arguments.named_child(0)?, source)
}

fn declarator(node: Node<'_>, source: &[u8], scan: &mut Scan, in_function: bool) {
    let (Some(name), Some(value)) = (
        node.child_by_field_name("name"),
        node.child_by_field_name("value"),
    ) else {
        return;
    };
    if let Some(module) = required_module(value, source) {
        scan.imports.push((module.clone(), line_of(node)));
        match name.kind() {
            "identifier" => scan.bindings.import(text(name, source), vec![module]),
            "object_pattern" => {
                let mut cursor = name.walk();
                for part in name.named_children(&mut cursor) {
                    match part.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let n = text(part, source);
                            scan.bindings.import(n, vec![module.clone(), n.to_string()]);
                        }
                        "pair_pattern" => {
                            let key = part.child_by_field_name("key").map(|k| text(k, source));
                            let alias = part.child_by_field_name("value").map(|v| text(v, source));
                            if let (Some(key), Some(alias)) = (key, alias) {
                                scan.bindings
                                    .import(alias, vec![module.clone(), key.to_string()]);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        return;
    }
    if name.kind() != "identifier" {
        return;
    }
    let name = text(name, source);
    if !in_function {
        if let Some(value) = string_value(value, source) {
            scan.bindings.constants.insert(name.to_string(), value);
            return;
        }
    }
    if let Some(path) = path_of(value, source) {
        scan.bindings.assign(name, path);
    }
}

fn target_name(node: Node<'_>, source: &[u8]) -> Option<String> {
    match node.kind() {
        "identifier" => Some(text(node, source).to_string()),
        "member_expression" => {
            let object = node.child_by_field_name("object")?;
            let property = node.child_by_field_name("property")?;
            if !matches!(object.kind(), "identifier" | "this") {
                return None;
            }
            Some(format!(
                "{}.{}",
                text(object, source),
                text(property, source)
            ))
        }
        _ => None,
    }
}

fn path_of(node: Node<'_>, source: &[u8]) -> Option<Path> {
    let mut parts: Vec<Part> = Vec::new();
    let mut current = node;
    for _ in 0..64 {
        match current.kind() {
            "identifier" | "this" => {
                parts.push(Part::Name(text(current, source).to_string()));
                parts.reverse();
                return Some(parts);
            }
            "member_expression" => {
                let property = current.child_by_field_name("property")?;
                parts.push(Part::Name(text(property, source).to_string()));
                current = current.child_by_field_name("object")?;
            }
            "call_expression" => {
                if let Some(module) = required_module(current, source) {
                    parts.push(Part::Name(module));
                    parts.reverse();
                    return Some(parts);
                }
                parts.push(Part::Call);
                current = current.child_by_field_name("function")?;
            }
            "new_expression" => {
                parts.push(Part::Call);
                current = current.child_by_field_name("constructor")?;
            }
            "await_expression"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression" => current = current.named_child(0)?,
            _ => return None,
        }
    }
    None
}

/// The value of a string literal or a template without substitutions.
fn string_value(node: Node<'_>, source: &[u8]) -> Option<String> {
    match node.kind() {
        "string" | "template_string" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "string_fragment" | "escape_sequence" => out.push_str(text(child, source)),
                    "template_substitution" => return None,
                    _ => {}
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn holds_literal(node: Node<'_>) -> bool {
    let mut stack = vec![node];
    let mut seen = 0;
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > 256 {
            return false;
        }
        if matches!(n.kind(), "string" | "template_string") {
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
    in_function: bool,
) -> Option<RawCall> {
    let callee = match node.kind() {
        "new_expression" => node.child_by_field_name("constructor")?,
        _ => node.child_by_field_name("function")?,
    };
    if matches!(text(callee, source), "require" | "import") {
        return None;
    }
    let path = path_of(callee, source)?;
    let resolved = bindings.resolve(&path);
    let mut args = Vec::new();
    if let Some(list) = node.child_by_field_name("arguments") {
        let mut cursor = list.walk();
        for child in list.named_children(&mut cursor) {
            if child.kind() == "object" {
                // `create({model: "gpt-4o", ...})`: properties are keywords.
                let mut props = child.walk();
                for prop in child.named_children(&mut props) {
                    match prop.kind() {
                        "pair" => {
                            let key = prop.child_by_field_name("key").map(|k| {
                                string_value(k, source)
                                    .unwrap_or_else(|| text(k, source).to_string())
                            });
                            args.push(arg(
                                key,
                                prop.child_by_field_name("value"),
                                source,
                                bindings,
                            ));
                        }
                        "shorthand_property_identifier" => {
                            let key = text(prop, source).to_string();
                            let literal = bindings.constants.get(&key).cloned();
                            args.push(Arg {
                                name: Some(key),
                                has_literal: literal.is_some(),
                                literal,
                            });
                        }
                        _ => {}
                    }
                }
                args.push(Arg {
                    name: None,
                    literal: None,
                    has_literal: holds_literal(child),
                });
            } else if child.kind() != "comment" {
                args.push(arg(None, Some(child), source, bindings));
            }
        }
    }
    let (line, column) = super::position(node, source);
    Some(RawCall {
        path: resolved.path,
        written: super::resolve::render(&path),
        bound: resolved.bound,
        line,
        column,
        args,
        entry: !in_function,
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
            .then(|| bindings.constants.get(text(value, source)).cloned())
            .flatten()
    });
    Arg {
        name,
        has_literal: literal.is_some() || holds_literal(value),
        literal,
    }
}
