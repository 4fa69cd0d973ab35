//! Position mapping: `LineIndex::position` on arbitrary text and offsets, and
//! `Node::locate` with arbitrary record paths on a parsed tree.
#![no_main]

use aimsgate::load::format::Limits;
use aimsgate::load::node::LineIndex;
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    text: &'a str,
    offsets: Vec<usize>,
    paths: Vec<&'a str>,
}

fuzz_target!(|input: Input<'_>| {
    let index = LineIndex::new(input.text);
    // LF and, as YAML counts them, lone CRs.
    let lines = input.text.matches('\n').count() + input.text.matches('\r').count() + 1;
    let mut last = (0u32, 0u32);
    let mut offsets = input.offsets.clone();
    offsets.sort_unstable();
    for &offset in &offsets {
        let (line, column) = index.position(offset);
        assert!(line >= 1 && column >= 1);
        assert!(line as usize <= lines);
        // Positions never go backwards as offsets grow.
        assert!((line, column) >= last || offset > input.text.len());
        last = (line, column);
    }
    let file: Arc<str> = Arc::from("card.yaml");
    if let Ok(node) = aimsgate::load::yaml::parse_yaml(input.text, &file, &Limits::default()) {
        for path in &input.paths {
            let (pos, _) = node.locate(path);
            assert!(pos.line >= 1 && pos.line as usize <= lines + 1);
        }
    }
});
