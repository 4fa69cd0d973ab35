//! Call paths: what a callee resolves to through a file's imports and
//! assignments (`client.chat.completions.create` after `client = OpenAI()`
//! and `from openai import OpenAI`: `openai.OpenAI().chat.completions.create`).
//! Flow-insensitive and per file: good enough to tell an OpenAI client from
//! a dictionary, never a type checker.

use std::collections::HashMap;

/// One step of a path: a name, or a call of what comes before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Name(String),
    Call,
}

pub type Path = Vec<Part>;

/// What a name was bound to.
#[derive(Debug, Clone)]
enum Bound {
    /// An import: the module (and member) it names, already absolute.
    Module(Vec<String>),
    /// An assignment: the expression, as written.
    Expr(Path),
}

/// A resolved callee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// `openai.OpenAI().chat.completions.create`, or `?model.fit`.
    pub path: String,
    /// Whether the path starts at an import or a module of the repository
    /// (`.models.Net`); else at a name the file did not bind.
    pub bound: bool,
}

/// Deepest chain of assignments followed (`a = b()`, `b = c.d`, ...).
const MAX_CHAIN: usize = 8;

#[derive(Debug, Default)]
pub struct Bindings {
    names: HashMap<String, Bound>,
    /// Module-level string constants (`MODEL = "gpt-4o"`).
    pub constants: HashMap<String, String>,
}

impl Bindings {
    /// `name` (or `self.client`) now names `module` (`["openai", "OpenAI"]`).
    pub fn import(&mut self, name: &str, module: Vec<String>) {
        if !name.is_empty() && !module.is_empty() {
            self.names.insert(name.to_string(), Bound::Module(module));
        }
    }

    /// `name` (or `self.client`) was assigned `value`. The first assignment
    /// that resolves to something wins over later ones that do not, so a
    /// later `client = None` does not hide `client = OpenAI()`.
    pub fn assign(&mut self, name: &str, value: Path) {
        if name.is_empty() || value.is_empty() {
            return;
        }
        if let Some(Bound::Expr(old)) = self.names.get(name) {
            if self.resolve_path(old, 0).bound && !self.resolve_path(&value, 0).bound {
                return;
            }
        }
        if let Some(Bound::Module(_)) = self.names.get(name) {
            return;
        }
        // `x = x.y()` would bind x to itself.
        if matches!(value.first(), Some(Part::Name(n)) if n == name) {
            return;
        }
        self.names.insert(name.to_string(), Bound::Expr(value));
    }

    pub fn resolve(&self, path: &Path) -> Resolved {
        self.resolve_path(path, 0)
    }

    fn resolve_path(&self, path: &Path, depth: usize) -> Resolved {
        let unbound = || Resolved {
            path: format!("?{}", render(path)),
            bound: false,
        };
        let Some(Part::Name(root)) = path.first() else {
            return unbound();
        };
        if root.starts_with('.') {
            // A relative import: the repository's own module.
            return Resolved {
                path: render(path),
                bound: true,
            };
        }
        // `self.client` is bound as a whole, before `self`.
        let (taken, bound) = match path.get(1) {
            Some(Part::Name(attr)) => match self.names.get(&format!("{root}.{attr}")) {
                Some(b) => (2, Some(b)),
                None => (1, self.names.get(root)),
            },
            _ => (1, self.names.get(root)),
        };
        let rest = path.get(taken..).unwrap_or(&[]);
        match bound {
            Some(Bound::Module(module)) => {
                let mut full: Path = module.iter().map(|m| Part::Name(m.clone())).collect();
                full.extend(rest.iter().cloned());
                Resolved {
                    path: render(&full),
                    bound: true,
                }
            }
            Some(Bound::Expr(value)) if depth < MAX_CHAIN => {
                let head = self.resolve_path(value, depth + 1);
                if rest.is_empty() {
                    return head;
                }
                Resolved {
                    path: format!("{}{}", head.path, render_tail(rest)),
                    bound: head.bound,
                }
            }
            _ => unbound(),
        }
    }
}

/// `a.b().c`.
pub fn render(path: &[Part]) -> String {
    let mut out = String::new();
    for (i, part) in path.iter().enumerate() {
        match part {
            Part::Name(n) => {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(n);
            }
            Part::Call => out.push_str("()"),
        }
    }
    out
}

/// The parts after a resolved head: `.c`, `().d`.
fn render_tail(rest: &[Part]) -> String {
    let mut out = String::new();
    for part in rest {
        match part {
            Part::Name(n) => {
                out.push('.');
                out.push_str(n);
            }
            Part::Call => out.push_str("()"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(parts: &[&str]) -> Path {
        parts
            .iter()
            .map(|p| {
                if *p == "()" {
                    Part::Call
                } else {
                    Part::Name(p.to_string())
                }
            })
            .collect()
    }

    #[test]
    fn imports_and_assignments_resolve() {
        let mut b = Bindings::default();
        b.import("OpenAI", vec!["openai".into(), "OpenAI".into()]);
        b.assign("client", names(&["OpenAI", "()"]));
        let r = b.resolve(&names(&["client", "chat", "completions", "create"]));
        assert_eq!(r.path, "openai.OpenAI().chat.completions.create");
        assert!(r.bound);
        b.assign("self.model", names(&["client"]));
        let r = b.resolve(&names(&["self", "model", "embeddings", "create"]));
        assert_eq!(r.path, "openai.OpenAI().embeddings.create");
    }

    #[test]
    fn unbound_names_are_marked() {
        let b = Bindings::default();
        let r = b.resolve(&names(&["model", "fit"]));
        assert_eq!(r.path, "?model.fit");
        assert!(!r.bound);
    }

    #[test]
    fn cycles_end() {
        let mut b = Bindings::default();
        b.assign("a", names(&["b", "()"]));
        b.assign("b", names(&["a", "x"]));
        let r = b.resolve(&names(&["a", "y"]));
        assert!(r.path.ends_with(".y"), "{}", r.path);
    }

    #[test]
    fn a_later_unresolved_assignment_does_not_hide_a_client() {
        let mut b = Bindings::default();
        b.import("OpenAI", vec!["openai".into(), "OpenAI".into()]);
        b.assign("client", names(&["OpenAI", "()"]));
        b.assign("client", names(&["None"]));
        assert_eq!(
            b.resolve(&names(&["client", "x"])).path,
            "openai.OpenAI().x"
        );
    }
}
