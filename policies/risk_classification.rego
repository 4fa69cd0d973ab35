# METADATA
# title: Risk tier classified
# description: >-
#   The card declares the system's EU AI Act risk tier (prohibited, high,
#   limited or minimal) with a rationale, and a high-risk system names its
#   Annex III area or states that it falls under Annex I. Every other rule's
#   severity depends on the tier; a system without one is judged as high-risk.
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/6/
#     description: EU AI Act Article 6, Classification rules for high-risk AI systems
#   - ref: https://artificialintelligenceact.eu/annex/3/
#     description: EU AI Act Annex III, High-risk AI systems referred to in Article 6(2)
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.5.2 AI system impact assessment process
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MAP 1.1 intended purposes and context
# custom:
#   id: risk-classification
#   severity: error
#   controls: [iso42001:A.5.2, eu-ai-act:art-6, nist-ai-rmf:MAP-1.1]
#   remediation: |-
#     Classify the system and say why; a high-risk system also names its
#     Annex III area (or sets annex_i: true for a product safety component):
#
#       risk:
#         tier: high        # prohibited | high | limited | minimal
#         rationale: Credit decisions about people (EU AI Act Annex III 5(b))
#         annex_iii_area: essential-services
package aimsgate.rules.risk_classification

import data.aimsgate.lib
import data.aimsgate.lib.declared_tier
import data.aimsgate.lib.record
import data.aimsgate.lib.risk as risk_mapping
import data.aimsgate.lib.valid_tiers

risk := object.get(record, "risk", null)

tier := declared_tier

tiers_text := "prohibited, high, limited or minimal"

deny contains {
	"msg": sprintf("risk.tier is missing: classify the system as %s; until then it is judged as high-risk", [tiers_text]),
	"field": "risk.tier",
} if {
	is_null(tier)
	not has_wrong_type_risk
}

deny contains {
	"msg": sprintf("risk must be a mapping with tier and rationale, not %s; the system is judged as high-risk", [type_name(risk)]),
	"field": "risk",
} if {
	has_wrong_type_risk
}

has_wrong_type_risk if {
	not is_null(risk)
	not is_object(risk)
}

deny contains {
	"msg": sprintf("risk.tier %s is not a risk tier: write one of %s (lower case); the system is judged as high-risk", [json.marshal(tier), tiers_text]),
	"field": "risk.tier",
} if {
	not is_null(tier)
	not tier in valid_tiers
}

deny contains {
	"msg": "risk.rationale is missing: say why the system has its risk tier (e.g. the EU AI Act Annex III point it falls under, or why none applies)",
	"field": "risk.rationale",
} if {
	not has_wrong_type_risk
	not lib.texts(object.get(risk_mapping, "rationale", null))
}

deny contains {
	"msg": "risk.annex_iii_area is missing: a high-risk system names its EU AI Act Annex III area (e.g. essential-services, employment), or sets risk.annex_i: true when it is a product safety component under Annex I",
	"field": "risk.annex_iii_area",
} if {
	tier == "high"
	not lib.text(object.get(risk_mapping, "annex_iii_area", null))
	object.get(risk_mapping, "annex_i", false) != true
}
