//! Every read of a repository file goes through `src/tree` (the module that
//! keeps reads inside the repository, regular files only). This test holds
//! the line: outside `src/tree`, only the reads listed here, each of a file
//! that is not the repository's, may touch the file system directly.

use std::path::Path;

/// Direct reads allowed outside src/tree, each with why it is not a
/// repository file.
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "src/evaluate/cache.rs",
        "std::fs::read(",
        "the compiled-policy cache in the user's cache directory",
    ),
    (
        "src/evaluate/policy.rs",
        "std::fs::read_to_string(",
        "a --policy directory outside the repository",
    ),
    (
        "src/config.rs",
        "std::fs::read_to_string(",
        "a --config file outside the repository",
    ),
    (
        "src/github/env.rs",
        "std::fs::read_to_string(",
        "the event file GitHub Actions writes",
    ),
];

/// What reads a file's content, or opens it.
const READS: &[&str] = &[
    "fs::read(",
    "fs::read_to_string(",
    "File::open(",
    "OpenOptions::new()",
    "read_link(",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("list src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_tree_module_reads_repository_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(root)
            .expect("under the manifest dir")
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("src/tree/") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read a source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for read in READS {
                if code.contains(read) {
                    let allowed = ALLOWED
                        .iter()
                        .any(|(f, call, _)| *f == rel && code.contains(call));
                    // Writing the job summary or step outputs appends to GitHub's files.
                    let writes = *read == "OpenOptions::new()" && rel == "src/github/summary.rs";
                    if !allowed && !writes {
                        found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "read repository files through aimsgate::tree, not directly:\n{}",
        found.join("\n")
    );
    assert!(files.len() > 20, "the scan found the sources");
}
