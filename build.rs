//! Embeds the built-in policy pack (`policies/**/*.rego`) into the binary.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=policies");
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("policies"), &mut files);
    files.sort();
    let mut out = String::from("pub static BUILTIN_POLICIES: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&root)
            .expect("policy files are below the manifest")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("write to a String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_policies.rs");
    std::fs::write(dest, out).expect("write builtin_policies.rs");

    // The compiled-policy cache is keyed by the regorus that compiled it.
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let regorus = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"regorus\""))
        .and_then(|p| p.lines().find(|l| l.starts_with("version = ")))
        .unwrap_or("unknown")
        .trim_start_matches("version = ")
        .trim_matches('"')
        .to_string();
    println!("cargo:rustc-env=AIMSGATE_REGORUS_VERSION={regorus}");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rego") {
            files.push(path);
        }
    }
}
