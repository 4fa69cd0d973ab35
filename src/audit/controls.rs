//! What the audit report knows about controls and rules beyond their metadata:
//! ISO/IEC 42001 Annex A control titles, and the record fields each built-in
//! rule reads (where the evidence for a control it serves is written).

/// ISO/IEC 42001:2023 Annex A reference controls, by id.
const ISO42001_ANNEX_A: &[(&str, &str)] = &[
    ("A.2.2", "AI policy"),
    ("A.2.3", "Alignment with other organizational policies"),
    ("A.2.4", "Review of the AI policy"),
    ("A.3.2", "AI roles and responsibilities"),
    ("A.3.3", "Reporting of concerns"),
    ("A.4.2", "Resource documentation"),
    ("A.4.3", "Data resources"),
    ("A.4.4", "Tooling resources"),
    ("A.4.5", "System and computing resources"),
    ("A.4.6", "Human resources"),
    ("A.5.2", "AI system impact assessment process"),
    ("A.5.3", "Documentation of AI system impact assessments"),
    (
        "A.5.4",
        "Assessing AI system impact on individuals or groups of individuals",
    ),
    ("A.5.5", "Assessing societal impacts of AI systems"),
    (
        "A.6.1.2",
        "Objectives for responsible development of AI system",
    ),
    (
        "A.6.1.3",
        "Processes for responsible AI system design and development",
    ),
    ("A.6.2.2", "AI system requirements and specification"),
    (
        "A.6.2.3",
        "Documentation of AI system design and development",
    ),
    ("A.6.2.4", "AI system verification and validation"),
    ("A.6.2.5", "AI system deployment"),
    ("A.6.2.6", "AI system operation and monitoring"),
    ("A.6.2.7", "AI system technical documentation"),
    ("A.6.2.8", "AI system recording of event logs"),
    ("A.7.2", "Data for development and enhancement of AI system"),
    ("A.7.3", "Acquisition of data"),
    ("A.7.4", "Quality of data for AI systems"),
    ("A.7.5", "Data provenance"),
    ("A.7.6", "Data preparation"),
    ("A.8.2", "System documentation and information for users"),
    ("A.8.3", "External reporting"),
    ("A.8.4", "Communication of incidents"),
    ("A.8.5", "Information for interested parties"),
    ("A.9.2", "Processes for responsible use of AI systems"),
    ("A.9.3", "Objectives for responsible use of AI system"),
    ("A.9.4", "Intended use of the AI system"),
    ("A.10.2", "Allocating responsibilities"),
    ("A.10.3", "Suppliers"),
    ("A.10.4", "Customers"),
];

pub const ISO_PREFIX: &str = "iso42001:";

/// Every ISO/IEC 42001 Annex A control, by full id: a Statement of
/// Applicability may mark any of them, implemented by a rule or not.
pub fn annex_a() -> impl Iterator<Item = String> {
    ISO42001_ANNEX_A
        .iter()
        .map(|(id, _)| format!("{ISO_PREFIX}{id}"))
}

/// The title of a control: ISO/IEC 42001 Annex A titles are known; other
/// frameworks' ids are their own title.
pub fn title(control: &str) -> String {
    control
        .strip_prefix(ISO_PREFIX)
        .and_then(|id| ISO42001_ANNEX_A.iter().find(|(k, _)| *k == id))
        .map_or_else(String::new, |(_, t)| (*t).to_string())
}

/// Orders controls as the standard does: framework, then A.2 < A.5.4 < A.10.3.
pub fn sort_key(control: &str) -> (String, Vec<u32>, String) {
    let (framework, id) = control.split_once(':').unwrap_or(("", control));
    let numbers: Vec<u32> = id
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(['.', '-'])
        .map_while(|p| p.parse().ok())
        .collect();
    let framework_rank = if framework == "iso42001" {
        String::new()
    } else {
        framework.to_string()
    };
    (framework_rank, numbers, id.to_string())
}

/// The record fields a built-in rule reads; its evidence is written there.
/// Rules not listed (custom ones, and those about the card as a whole) point
/// at the card.
pub fn fields(rule: &str) -> &'static [&'static str] {
    match rule {
        "owner" => &["owner"],
        "risk-classification" => &["risk"],
        "prohibited-practice" => &["risk.tier"],
        "intended-use" => &["intended_use"],
        "limitations" => &["limitations"],
        "impact-assessment" => &["impact_assessment"],
        "impact-assessment-review" => &[
            "impact_assessment.approved_at",
            "impact_assessment.next_review",
        ],
        "bias-evaluation" | "bias-threshold" | "bias-sample-size" => &["fairness"],
        "bias-evidence" => &["fairness.evidence"],
        "human-oversight" | "human-oversight-controls" => &["human_oversight"],
        "datasheet" | "personal-data" => &["datasets"],
        "evaluation" => &["evaluation"],
        "monitoring" => &["monitoring"],
        "supplier" => &["suppliers", "base_model"],
        "transparency" => &["transparency"],
        "waiver" => &["waivers"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_order() {
        assert_eq!(
            title("iso42001:A.5.4"),
            "Assessing AI system impact on individuals or groups of individuals"
        );
        assert_eq!(title("eu-ai-act:art-50"), "");
        let mut ids = vec![
            "iso42001:A.10.3",
            "iso42001:A.5.2",
            "eu-ai-act:art-5",
            "iso42001:A.6.2.4",
        ];
        ids.sort_by_key(|c| sort_key(c));
        assert_eq!(
            ids,
            [
                "iso42001:A.5.2",
                "iso42001:A.6.2.4",
                "iso42001:A.10.3",
                "eu-ai-act:art-5"
            ]
        );
    }
}
