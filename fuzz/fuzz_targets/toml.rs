//! The toml loader on arbitrary text: an error or a tree, never a panic, a hang
//! or unbounded memory (small limits make breaches reachable).
#![no_main]

use aimsgate::load::format::Limits;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file: Arc<str> = Arc::from("card.toml");
    let _ = aimsgate::load::toml::parse_toml(text, &file, &Limits::default());
    let small = Limits {
        max_file_bytes: 4096,
        max_depth: 8,
        max_nodes: 256,
    };
    let _ = aimsgate::load::toml::parse_toml(text, &file, &small);
});
