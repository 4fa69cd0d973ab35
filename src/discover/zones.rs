//! Code that is not an AI system of the repository's own by default:
//! examples, tests, docs and benchmarks (known by directory and file
//! names), copies of other projects, and a framework's library code. Each
//! is one note per directory; `[discovery] include` makes it a system,
//! `exclude` drops the note.

use serde::Serialize;

/// Why discovery passed over a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    /// A hidden directory (`.name`).
    Hidden,
    /// A vendored directory by name (`vendor`, `third_party`, `node_modules`).
    Vendored,
    /// A copy of another project nested in this one: its own licence and
    /// manifest, a git submodule, or a known package's name.
    Copy,
    Examples,
    Tests,
    Docs,
    Benchmarks,
    /// A framework's library code: packages that define models for others.
    Framework,
    /// Source that could not be read (too big, not parsed in time).
    Unread,
}

impl Zone {
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Hidden => "hidden",
            Zone::Vendored => "vendored",
            Zone::Copy => "copy",
            Zone::Examples => "examples",
            Zone::Tests => "tests",
            Zone::Docs => "docs",
            Zone::Benchmarks => "benchmarks",
            Zone::Framework => "framework",
            Zone::Unread => "unread",
        }
    }
}

/// Directories of other people's code, passed over by the walk.
pub const VENDORED: &[&str] = &[
    "vendor",
    "vendored",
    "third_party",
    "third-party",
    "thirdparty",
    "external",
    "extern",
    "node_modules",
    "bower_components",
    "site-packages",
    "venv",
    "__pycache__",
];

fn zone_of_dir(name: &str) -> Option<Zone> {
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "examples" | "example" | "demos" | "demo" | "tutorials" | "tutorial" | "cookbook"
        | "cookbooks" | "quickstart" | "quickstarts" => Zone::Examples,
        "tests" | "test" | "testing" | "__tests__" | "__mocks__" | "fixtures" | "e2e"
        | "testdata" | "test_data" => Zone::Tests,
        "docs" | "doc" | "documentation" | "docs_src" => Zone::Docs,
        "benchmarks" | "benchmark" | "bench" | "benches" => Zone::Benchmarks,
        _ => return None,
    })
}

/// Test files by name, wherever they are.
fn is_test_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".py") {
        let stem = &lower[..lower.len() - 3];
        return stem.starts_with("test_")
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem == "conftest";
    }
    let Some((stem, ext)) = lower.rsplit_once('.') else {
        return false;
    };
    matches!(ext, "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs")
        && (stem.ends_with(".test") || stem.ends_with(".spec"))
}

/// The quiet zone `rel` is in, by its path: the directory that makes it
/// one (`examples`, `src/app/tests`; a test file's own directory) and why.
pub fn quiet_zone(rel: &str) -> Option<(String, Zone)> {
    let parts: Vec<&str> = rel.split('/').collect();
    let (name, dirs) = parts.split_last()?;
    for (i, dir) in dirs.iter().enumerate() {
        if let Some(zone) = zone_of_dir(dir) {
            return Some((parts[..=i].join("/"), zone));
        }
    }
    is_test_file(name).then(|| (crate::tree::parent_dir(rel), Zone::Tests))
}

/// Files that mark a directory as another project's copy.
pub fn is_licence(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or(&upper);
    matches!(stem, "LICENSE" | "LICENCE" | "COPYING")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_by_directory_and_file_name() {
        assert_eq!(
            quiet_zone("examples/text_to_image/train.py"),
            Some(("examples".into(), Zone::Examples))
        );
        assert_eq!(
            quiet_zone("src/app/tests/unit/x.py"),
            Some(("src/app/tests".into(), Zone::Tests))
        );
        assert_eq!(
            quiet_zone("docs/tutorials/intro.ipynb"),
            Some(("docs".into(), Zone::Docs))
        );
        assert_eq!(
            quiet_zone("src/test_model.py"),
            Some(("src".into(), Zone::Tests))
        );
        assert_eq!(
            quiet_zone("web/app.spec.ts"),
            Some(("web".into(), Zone::Tests))
        );
        assert_eq!(quiet_zone("src/train.py"), None);
        assert_eq!(quiet_zone("latest/model.py"), None);
        assert_eq!(quiet_zone("testimony/model.py"), None);
    }

    #[test]
    fn licences() {
        assert!(is_licence("LICENSE"));
        assert!(is_licence("License.txt"));
        assert!(is_licence("COPYING"));
        assert!(!is_licence("licenses.py"));
    }
}
