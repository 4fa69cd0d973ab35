//! The one module that reads repository files (`aimsgate::tree`), against
//! random trees of symlinks: chains, loops, `..`, absolute targets, links
//! out of the root. Whatever path is asked for, nothing outside the root is
//! ever read, and what is read is a regular file inside it.

#![cfg(unix)]

use aimsgate::load::format::Limits;
use aimsgate::tree::Tree;
use proptest::prelude::*;
use std::os::unix::fs::symlink;

/// Names inside the root a link or a request may use.
const NAMES: &[&str] = &["a", "b", "d/c", "d/e/f", "card.md", "d", "d/e", "loop"];

/// Targets a symlink may point at: inside, above, absolute, itself,
/// missing. `OUTSIDE` stands for the absolute path of a directory beside the root.
fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(NAMES).prop_map(str::to_string),
        proptest::sample::select(NAMES).prop_map(|n| format!("../{n}")),
        proptest::sample::select(NAMES).prop_map(|n| format!("../../{n}")),
        Just("../outside/secret.md".to_string()),
        Just("../../outside/secret.md".to_string()),
        Just("OUTSIDE/secret.md".to_string()),
        Just("OUTSIDE".to_string()),
        Just("/etc/passwd".to_string()),
        Just(".".to_string()),
        Just("..".to_string()),
        Just("loop".to_string()),
        Just("missing".to_string()),
    ]
}

/// A request: a name, with `..`, `.` or an absolute path mixed in.
fn request() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        proptest::sample::select(NAMES).prop_map(str::to_string),
        Just("..".to_string()),
        Just(".".to_string()),
        Just("outside".to_string()),
        Just("secret.md".to_string()),
    ];
    (proptest::collection::vec(part, 1..5), any::<bool>()).prop_map(|(parts, absolute)| {
        let path = parts.join("/");
        if absolute {
            format!("/{path}")
        } else {
            path
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn nothing_outside_the_root_is_ever_read(
        links in proptest::collection::vec((proptest::sample::select(NAMES), target()), 0..6),
        requests in proptest::collection::vec(request(), 1..6),
    ) {
        let top = tempfile::tempdir().expect("temp dir");
        let root = top.path().join("repo");
        let outside = top.path().join("outside");
        std::fs::create_dir_all(root.join("d/e")).expect("dirs");
        std::fs::create_dir_all(&outside).expect("dirs");
        std::fs::write(outside.join("secret.md"), "SECRET").expect("secret");
        std::fs::write(root.join("card.md"), "INSIDE card").expect("card");
        std::fs::write(root.join("d/c"), "INSIDE c").expect("c");

        // Turn some names into symlinks to random targets.
        for (name, target) in &links {
            let path = root.join(name);
            if path.is_dir() && !path.is_symlink() {
                let _ = std::fs::remove_dir_all(&path);
            } else {
                let _ = std::fs::remove_file(&path);
            }
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let target = target.replace("OUTSIDE", &outside.to_string_lossy());
            let _ = symlink(&target, &path);
        }

        let tree = Tree::work(&root).expect("open the tree");
        let limits = Limits::default();
        for rel in &requests {
            if let Ok(text) = tree.read_text(rel, &limits) {
                prop_assert!(text.starts_with("INSIDE"), "{rel} read {text:?}");
            }
            if let Some(head) = tree.head(rel, 64) {
                prop_assert!(head.starts_with(b"INSIDE"), "{rel} head {head:?}");
            }
            for from in ["", "d", "d/e"] {
                if let Ok(resolved) = tree.resolve(from, rel) {
                    prop_assert!(!resolved.starts_with('/') && !resolved.split('/').any(|c| c == ".."),
                        "{from} + {rel} resolved to {resolved}");
                    let text = tree.read_text(&resolved, &limits);
                    prop_assert!(text.as_deref().map_or(true, |t| t.starts_with("INSIDE")),
                        "{resolved} read {text:?}");
                }
            }
        }
    }
}
