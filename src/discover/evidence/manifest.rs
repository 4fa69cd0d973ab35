//! Dependency manifests: which libraries of the table a project depends on.
//! Each format is read with its own parser (PEP 508 requirements, TOML,
//! INI, YAML, JSON; `setup.py` with the Python grammar).

use super::{python, Dependency, Table};
use std::str::FromStr;
use std::time::Duration;

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
pub fn dependencies(
    kind: Manifest,
    bytes: &[u8],
    table: &Table,
    budget: Duration,
) -> Vec<Dependency> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let names: Vec<(String, Option<u32>)> = match kind {
        Manifest::Requirements => requirements(text),
        Manifest::Pyproject => pyproject(text),
        Manifest::SetupCfg => setup_cfg(text),
        Manifest::SetupPy => setup_py(bytes, budget),
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
        Manifest::SetupPy => {
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            let tree = super::parse_bounded(&mut parser, bytes, Duration::from_millis(500)).ok()?;
            let mut stack = vec![tree.root_node()];
            let mut found = None;
            let mut seen = 0;
            while let Some(node) = stack.pop() {
                seen += 1;
                if seen > 200_000 {
                    break;
                }
                if node.kind() == "keyword_argument"
                    && node
                        .child_by_field_name("name")
                        .and_then(|n| n.utf8_text(bytes).ok())
                        == Some("name")
                {
                    found = node
                        .child_by_field_name("value")
                        .and_then(|v| python::string_value(v, bytes));
                    if found.is_some() {
                        break;
                    }
                }
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
            found?
        }
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

fn setup_py(bytes: &[u8], budget: Duration) -> Vec<(String, Option<u32>)> {
    let mut parser = tree_sitter::Parser::new();
    if parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .is_err()
    {
        return Vec::new();
    }
    let Ok(tree) = super::parse_bounded(&mut parser, bytes, budget) else {
        return Vec::new();
    };
    // String literals in the values of install_requires / extras_require,
    // and in lists assigned to a name those keywords use.
    let mut out = Vec::new();
    let mut stack = vec![tree.root_node()];
    let mut lists: Vec<tree_sitter::Node<'_>> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    let mut assignments: Vec<(String, tree_sitter::Node<'_>)> = Vec::new();
    let mut seen = 0usize;
    while let Some(node) = stack.pop() {
        seen += 1;
        if seen > 1_000_000 {
            break;
        }
        match node.kind() {
            "keyword_argument" => {
                let name = node
                    .child_by_field_name("name")
                    .and_then(|n| n.utf8_text(bytes).ok())
                    .unwrap_or("");
                if matches!(
                    name,
                    "install_requires" | "extras_require" | "requires" | "tests_require"
                ) {
                    if let Some(value) = node.child_by_field_name("value") {
                        if value.kind() == "identifier" {
                            named.push(value.utf8_text(bytes).unwrap_or("").to_string());
                        } else {
                            lists.push(value);
                        }
                    }
                }
            }
            "assignment" => {
                if let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    if left.kind() == "identifier" {
                        assignments.push((left.utf8_text(bytes).unwrap_or("").to_string(), right));
                    }
                }
            }
            _ => {}
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    for (name, value) in assignments {
        if named.contains(&name) {
            lists.push(value);
        }
    }
    for list in lists {
        let mut stack = vec![list];
        while let Some(node) = stack.pop() {
            if node.kind() == "string" {
                if let Some(value) = python::string_value(node, bytes) {
                    if let Some(name) = requirement_name(value.split(';').next().unwrap_or(&value))
                    {
                        out.push((name, Some(python::line_of(node))));
                    }
                }
                continue;
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
    }
    out
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
        dependencies(kind, text.as_bytes(), &table, Duration::from_secs(1))
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
