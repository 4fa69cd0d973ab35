//! Dependency manifests: which libraries of the table a project depends on.
//! Each format is read with its own parser (PEP 508 requirements, TOML,
//! INI, YAML, JSON; `setup.py` with the Python grammar).

use super::{python, Dependency, Table};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manifest {
    Requirements,
    Pyproject,
    SetupCfg,
    SetupPy,
    Pipfile,
    Conda,
    PackageJson,
}

/// The manifest a (lower-case) file name is.
pub fn kind(lower: &str) -> Option<Manifest> {
    Some(match lower {
        "pyproject.toml" => Manifest::Pyproject,
        "setup.cfg" => Manifest::SetupCfg,
        "setup.py" => Manifest::SetupPy,
        "pipfile" => Manifest::Pipfile,
        "environment.yml" | "environment.yaml" | "conda.yml" | "conda.yaml" => Manifest::Conda,
        "package.json" => Manifest::PackageJson,
        _ if lower.ends_with(".txt") && lower.contains("requirements") => Manifest::Requirements,
        _ => return None,
    })
}

/// The dependencies on libraries of the table a manifest declares.
pub fn dependencies(kind: Manifest, bytes: &[u8], table: &Table) -> Vec<Dependency> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let names: Vec<(String, Option<u32>)> = match kind {
        Manifest::Requirements => requirements(text),
        Manifest::Pyproject => pyproject(text),
        Manifest::SetupCfg => setup_cfg(text),
        Manifest::SetupPy => setup_py(bytes),
        Manifest::Pipfile => pipfile(text),
        Manifest::Conda => conda(text),
        Manifest::PackageJson => package_json(text),
    };
    let mut out: Vec<Dependency> = Vec::new();
    for (package, line) in names {
        for library in table.libraries_of_package(&package) {
            let library = table.name(*library).to_string();
            if out.iter().any(|d| d.package == package) {
                continue;
            }
            let line = line.unwrap_or_else(|| line_of_text(text, &package));
            out.push(Dependency {
                library,
                package: package.clone(),
                line,
            });
        }
    }
    out.sort_by_key(|d| d.line);
    out
}

/// The name a manifest gives its project (`[project] name`, `"name"`).
pub fn project_name(kind: Manifest, bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let name = match kind {
        Manifest::Pyproject => {
            let doc = text.parse::<toml::Table>().ok()?;
            let project = doc.get("project").and_then(|p| p.get("name"));
            let poetry = doc
                .get("tool")
                .and_then(|t| t.get("poetry"))
                .and_then(|p| p.get("name"));
            project.or(poetry)?.as_str()?.to_string()
        }
        Manifest::PackageJson => {
            let doc: serde_json::Value = serde_json::from_str(text).ok()?;
            doc.get("name")?.as_str()?.to_string()
        }
        Manifest::SetupCfg => {
            let mut ini = configparser::ini::Ini::new_cs();
            ini.read(text.to_string()).ok()?;
            ini.get("metadata", "name")?
        }
        Manifest::SetupPy => setup_py_call(bytes)?.name?,
        Manifest::Requirements | Manifest::Pipfile | Manifest::Conda => return None,
    };
    let name = name.trim();
    (!name.is_empty() && name.len() <= 214).then(|| name.to_string())
}

/// The line a name first appears on, 1 when it does not.
fn line_of_text(text: &str, needle: &str) -> u32 {
    text.find(needle)
        .map(|at| text[..at].matches('\n').count() + 1)
        .and_then(|l| u32::try_from(l).ok())
        .unwrap_or(1)
}

/// The distribution a PEP 508 requirement names.
fn requirement_name(spec: &str) -> Option<String> {
    let spec = spec.trim();
    if spec.is_empty() {
        return None;
    }
    match pep508_rs::Requirement::<pep508_rs::VerbatimUrl>::from_str(spec) {
        Ok(r) => Some(r.name.to_string()),
        // pip's own syntax around a name (`name @ ./path`, a bare URL with
        // `#egg=name`) is not PEP 508: take the name it starts with.
        Err(_) => {
            if let Some((_, egg)) = spec.split_once("#egg=") {
                return Some(egg.split(['&', ' ']).next().unwrap_or(egg).to_string());
            }
            let name: String = spec
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            (!name.is_empty()).then_some(name)
        }
    }
}

fn requirements(text: &str) -> Vec<(String, Option<u32>)> {
    let mut out = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or(raw).trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let spec = if let Some(rest) = line
            .strip_prefix("-e ")
            .or_else(|| line.strip_prefix("--editable "))
        {
            rest.trim()
        } else if line.starts_with('-') {
            continue;
        } else {
            line
        };
        if let Some(name) = requirement_name(spec) {
            out.push((name, u32::try_from(index + 1).ok()));
        }
    }
    out
}

fn toml_strings(value: Option<&toml::Value>) -> Vec<String> {
    match value {
        Some(toml::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn toml_keys(value: Option<&toml::Value>) -> Vec<String> {
    match value {
        Some(toml::Value::Table(t)) => t.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

fn pyproject(text: &str) -> Vec<(String, Option<u32>)> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut specs: Vec<String> = Vec::new();
    let project = doc.get("project");
    specs.extend(toml_strings(project.and_then(|p| p.get("dependencies"))));
    if let Some(toml::Value::Table(extras)) = project.and_then(|p| p.get("optional-dependencies")) {
        for list in extras.values() {
            specs.extend(toml_strings(Some(list)));
        }
    }
    if let Some(toml::Value::Table(groups)) = doc.get("dependency-groups") {
        for list in groups.values() {
            specs.extend(toml_strings(Some(list)));
        }
    }
    let mut names: Vec<String> = specs.iter().filter_map(|s| requirement_name(s)).collect();
    let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
    names.extend(toml_keys(poetry.and_then(|p| p.get("dependencies"))));
    names.extend(toml_keys(poetry.and_then(|p| p.get("dev-dependencies"))));
    if let Some(toml::Value::Table(groups)) = poetry.and_then(|p| p.get("group")) {
        for group in groups.values() {
            names.extend(toml_keys(group.get("dependencies")));
        }
    }
    names.into_iter().map(|n| (n, None)).collect()
}

fn pipfile(text: &str) -> Vec<(String, Option<u32>)> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    toml_keys(doc.get("packages"))
        .into_iter()
        .chain(toml_keys(doc.get("dev-packages")))
        .map(|n| (n, None))
        .collect()
}

fn setup_cfg(text: &str) -> Vec<(String, Option<u32>)> {
    let mut ini = configparser::ini::Ini::new_cs();
    ini.set_multiline(true);
    if ini.read(text.to_string()).is_err() {
        return Vec::new();
    }
    let mut specs: Vec<String> = Vec::new();
    for (section, keys) in ini.get_map_ref() {
        let wanted: Vec<&Option<String>> = match section.as_str() {
            "options" => keys
                .iter()
                .filter(|(k, _)| k.as_str() == "install_requires")
                .map(|(_, v)| v)
                .collect(),
            "options.extras_require" => keys.values().collect(),
            _ => continue,
        };
        for value in wanted.into_iter().flatten() {
            specs.extend(value.lines().map(str::to_string));
        }
    }
    specs
        .iter()
        .filter_map(|s| requirement_name(s.split(';').next().unwrap_or(s)))
        .map(|n| (n, None))
        .collect()
}

/// What a `setup.py` says in its calls: the project's `name=`, and the
/// requirement strings of `install_requires=`, `extras_require=` (or a
/// name assigned the list they use), each with its line.
#[derive(Default)]
struct SetupCall {
    name: Option<String>,
    requirements: Vec<(String, u32)>,
}

fn setup_py_call(bytes: &[u8]) -> Option<SetupCall> {
    python::on_big_stack(|| read_setup_call(bytes)).flatten()
}

fn read_setup_call(bytes: &[u8]) -> Option<SetupCall> {
    use ruff_python_ast::visitor::{self, Visitor};
    use ruff_python_ast::{Expr, Stmt};
    use ruff_text_size::Ranged;

    #[derive(Default)]
    struct Reader<'a> {
        name: Option<String>,
        /// Values of the requirement keywords, and the names they use.
        values: Vec<&'a Expr>,
        named: Vec<String>,
        assigned: Vec<(String, &'a Expr)>,
    }
    impl<'a> Visitor<'a> for Reader<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::Assign(assign) = stmt {
                for target in &assign.targets {
                    if let Expr::Name(n) = target {
                        self.assigned
                            .push((n.id.as_str().to_string(), &assign.value));
                    }
                }
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                for keyword in call.arguments.keywords.iter() {
                    let Some(arg) = &keyword.arg else { continue };
                    match arg.id.as_str() {
                        "name" if self.name.is_none() => {
                            self.name = python::string_value(&keyword.value);
                        }
                        "install_requires" | "extras_require" | "requires" | "tests_require" => {
                            match &keyword.value {
                                Expr::Name(n) => self.named.push(n.id.as_str().to_string()),
                                other => self.values.push(other),
                            }
                        }
                        _ => {}
                    }
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    struct Strings<'a> {
        found: Vec<&'a ruff_python_ast::ExprStringLiteral>,
    }
    impl<'a> Visitor<'a> for Strings<'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::StringLiteral(s) = expr {
                self.found.push(s);
            }
            visitor::walk_expr(self, expr);
        }
    }

    let (text, parsed) = python::parse(bytes).ok()?;
    let mut reader = Reader::default();
    reader.visit_body(&parsed.syntax().body);
    let mut values = reader.values.clone();
    for (name, value) in &reader.assigned {
        if reader.named.contains(name) {
            values.push(value);
        }
    }
    let lines = python::Lines::new(text);
    let mut strings = Strings { found: Vec::new() };
    for value in values {
        strings.visit_expr(value);
    }
    let requirements = strings
        .found
        .iter()
        .map(|s| {
            let line = lines.position(s.range().start().to_usize()).0;
            (s.value.to_str().to_string(), line)
        })
        .collect();
    Some(SetupCall {
        name: reader.name,
        requirements,
    })
}

fn setup_py(bytes: &[u8]) -> Vec<(String, Option<u32>)> {
    let Some(call) = setup_py_call(bytes) else {
        return Vec::new();
    };
    call.requirements
        .iter()
        .filter_map(|(spec, line)| {
            let name = requirement_name(spec.split(';').next().unwrap_or(spec))?;
            Some((name, Some(*line)))
        })
        .collect()
}

fn conda(text: &str) -> Vec<(String, Option<u32>)> {
    use yaml_rust2::{Yaml, YamlLoader};
    // Environments are small; a big or aliased file is not one.
    if text.len() > 1 << 20 || text.contains('*') && text.contains('&') {
        return Vec::new();
    }
    let Ok(docs) = YamlLoader::load_from_str(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let conda_name = |spec: &str| -> Option<String> {
        let spec = spec.rsplit("::").next().unwrap_or(spec);
        let name: String = spec
            .chars()
            .take_while(|c| !matches!(c, '=' | '<' | '>' | '!' | ' ' | '['))
            .collect();
        (!name.is_empty()).then_some(name)
    };
    for doc in docs {
        let Yaml::Array(deps) = &doc["dependencies"] else {
            continue;
        };
        for dep in deps {
            match dep {
                Yaml::String(spec) => out.extend(conda_name(spec).map(|n| (n, None))),
                Yaml::Hash(h) => {
                    for (_, v) in h {
                        if let Yaml::Array(pip) = v {
                            for p in pip {
                                if let Some(spec) = p.as_str() {
                                    out.extend(requirement_name(spec).map(|n| (n, None)));
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn package_json(text: &str) -> Vec<(String, Option<u32>)> {
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
        if let Some(serde_json::Value::Object(deps)) = doc.get(key) {
            for name in deps.keys() {
                let line = line_of_text(text, &format!("\"{name}\""));
                out.push((name.clone(), Some(line)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packages(kind: Manifest, text: &str) -> Vec<String> {
        let table = super::super::table::compile(&[]).expect("table");
        dependencies(kind, text.as_bytes(), &table)
            .into_iter()
            .map(|d| format!("{}@{}", d.package, d.line))
            .collect()
    }

    #[test]
    fn requirements_files() {
        let text = "# pinned\nrequests==2.0\nopenai>=1.0 ; python_version > '3.8'\n-r other.txt\ntorch @ https://x/torch.whl\n-e git+https://github.com/x/y#egg=anthropic\n";
        assert_eq!(
            packages(Manifest::Requirements, text),
            ["openai@3", "torch@5", "anthropic@6"]
        );
    }

    #[test]
    fn pyproject_and_poetry() {
        let text = "[project]\nname = \"x\"\ndependencies = [\"numpy\", \"scikit-learn>=1\"]\n[project.optional-dependencies]\nllm = [\"litellm\"]\n[tool.poetry.dependencies]\nlangchain-openai = \"^0.1\"\n";
        assert_eq!(
            packages(Manifest::Pyproject, text),
            ["scikit-learn@3", "litellm@5", "langchain-openai@7"]
        );
    }

    #[test]
    fn setup_files() {
        let cfg =
            "[metadata]\nname = x\n[options]\ninstall_requires =\n    torch>=2\n    requests\n";
        assert_eq!(packages(Manifest::SetupCfg, cfg), ["torch@5"]);
        let py = "from setuptools import setup\nREQS = ['xgboost', 'flask']\nsetup(name='x', install_requires=REQS, extras_require={'llm': ['openai>=1']})\n";
        assert_eq!(packages(Manifest::SetupPy, py), ["xgboost@2", "openai@3"]);
    }

    #[test]
    fn project_names() {
        assert_eq!(
            project_name(Manifest::Pyproject, b"[project]\nname = \"paper-qa\"\n").as_deref(),
            Some("paper-qa")
        );
        assert_eq!(
            project_name(
                Manifest::SetupPy,
                b"from setuptools import setup\nsetup(name='fairseq', version='1')\n"
            )
            .as_deref(),
            Some("fairseq")
        );
        assert_eq!(
            project_name(Manifest::PackageJson, b"{\"name\": \"@acme/bot\"}").as_deref(),
            Some("@acme/bot")
        );
        assert_eq!(project_name(Manifest::Requirements, b"torch\n"), None);
    }

    #[test]
    fn conda_pipfile_and_package_json() {
        let env = "name: x\ndependencies:\n  - python=3.11\n  - pytorch::pytorch=2.1\n  - pip:\n    - transformers==4\n";
        assert_eq!(
            packages(Manifest::Conda, env),
            ["pytorch@4", "transformers@6"]
        );
        let pipfile = "[packages]\nanthropic = \"*\"\n[dev-packages]\npytest = \"*\"\n";
        assert_eq!(packages(Manifest::Pipfile, pipfile), ["anthropic@2"]);
        let pkg = "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"@anthropic-ai/sdk\": \"^0.30\",\n    \"express\": \"4\"\n  }\n}\n";
        assert_eq!(
            packages(Manifest::PackageJson, pkg),
            ["@anthropic-ai/sdk@4"]
        );
    }
}
