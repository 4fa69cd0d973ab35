//! The enumerated fields of a record, in the one spelling the policies
//! compare: `tier: High`, `mode: Human-in-the-loop` and `scope: groups of
//! people` mean what `high`, `in-the-loop` and `groups` mean. Values that
//! match no spelling are left as written, for the rules to report.

use super::node::{Kind, Node};

/// (accepted spelling, canonical value), compared after [`fold`].
const TIERS: &[(&str, &str)] = &[
    ("high", "high"),
    ("high-risk", "high"),
    ("limited", "limited"),
    ("limited-risk", "limited"),
    ("minimal", "minimal"),
    ("minimal-risk", "minimal"),
    ("prohibited", "prohibited"),
    ("unacceptable", "prohibited"),
    ("unacceptable-risk", "prohibited"),
];

const MODES: &[(&str, &str)] = &[
    ("in-the-loop", "in-the-loop"),
    ("human-in-the-loop", "in-the-loop"),
    ("hitl", "in-the-loop"),
    ("on-the-loop", "on-the-loop"),
    ("human-on-the-loop", "on-the-loop"),
    ("hotl", "on-the-loop"),
    ("in-command", "in-command"),
    ("human-in-command", "in-command"),
    ("none", "none"),
];

const SCOPES: &[(&str, &str)] = &[
    ("individuals", "individuals"),
    ("individual", "individuals"),
    ("people", "individuals"),
    ("groups", "groups"),
    ("group", "groups"),
    ("groups-of-people", "groups"),
    ("society", "society"),
    ("societal", "society"),
];

const LEVELS: &[(&str, &str)] = &[
    ("low", "low"),
    ("medium", "medium"),
    ("moderate", "medium"),
    ("high", "high"),
    ("very-high", "very-high"),
    ("critical", "critical"),
    ("unacceptable", "unacceptable"),
];

/// Lower case, trimmed, with spaces and underscores as hyphens.
fn fold(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn canonical(node: &mut Node, table: &[(&str, &str)]) {
    if let Kind::String(text) = &mut node.kind {
        let folded = fold(text);
        if let Some((_, value)) = table.iter().find(|(spelling, _)| *spelling == folded) {
            *text = (*value).to_string();
        }
    }
}

/// Puts the record's enumerated fields in their canonical spelling.
pub fn normalise(record: &mut Node) {
    if let Some(tier) = record.get_mut("risk").and_then(|r| r.get_mut("tier")) {
        canonical(tier, TIERS);
    }
    if let Some(mode) = record
        .get_mut("human_oversight")
        .and_then(|h| h.get_mut("mode"))
    {
        canonical(mode, MODES);
    }
    if let Some(lifecycle) = record.get_mut("lifecycle") {
        if let Kind::String(text) = &mut lifecycle.kind {
            *text = fold(text);
        }
    }
    let impacts = record
        .get_mut("impact_assessment")
        .and_then(|ia| ia.get_mut("impacts"));
    if let Some(Node {
        kind: Kind::Array(impacts),
        ..
    }) = impacts
    {
        for impact in impacts {
            if let Some(scope) = impact.get_mut("scope") {
                match &mut scope.kind {
                    Kind::Array(scopes) => scopes.iter_mut().for_each(|s| canonical(s, SCOPES)),
                    _ => canonical(scope, SCOPES),
                }
            }
            for key in ["severity", "residual"] {
                if let Some(level) = impact.get_mut(key) {
                    canonical(level, LEVELS);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::Pos;
    use std::sync::Arc;

    fn string(s: &str) -> Node {
        Node::string(s, Pos::new(&Arc::from("c"), 1, 1))
    }

    #[test]
    fn spellings_fold_to_one_value() {
        for (written, expected, table) in [
            ("High", "high", TIERS),
            (" HIGH-RISK ", "high", TIERS),
            ("Unacceptable risk", "prohibited", TIERS),
            ("In-the-loop", "in-the-loop", MODES),
            ("Human in the loop", "in-the-loop", MODES),
            ("groups of people", "groups", SCOPES),
            ("Individuals", "individuals", SCOPES),
            ("Moderate", "medium", LEVELS),
            ("severe", "severe", LEVELS),
            ("hgih", "hgih", TIERS),
        ] {
            let mut node = string(written);
            canonical(&mut node, table);
            assert_eq!(node.as_str(), Some(expected), "{written}");
        }
    }
}
