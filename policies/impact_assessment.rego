# METADATA
# title: Impact assessment approved and complete
# description: >-
#   The system links an approved AI system impact assessment (approved_by,
#   approved_at) that covers the impacts on individuals, groups and society,
#   gives each impact a mitigation, and names who accepted every impact whose
#   residual risk is still high. Not required for minimal-risk systems.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.5 Assessing impacts of AI systems
#   - ref: https://artificialintelligenceact.eu/article/9/
#     description: EU AI Act Article 9, Risk management system
#   - ref: https://artificialintelligenceact.eu/article/27/
#     description: EU AI Act Article 27, Fundamental rights impact assessment
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MAP 5.1 likelihood and magnitude of impacts
# custom:
#   id: impact-assessment
#   severity: {high: error, limited: warning, minimal: "off"}
#   controls: [iso42001:A.5.2, iso42001:A.5.3, iso42001:A.5.4, iso42001:A.5.5, eu-ai-act:art-9, eu-ai-act:art-27, nist-ai-rmf:MAP-5.1]
#   remediation: |-
#     Link the impact assessment from the card (impact_assessment:
#     IMPACT_ASSESSMENT.md) and have it approved; `aimsgate init` writes one:
#
#       approved_by: AI Governance Board
#       approved_at: 2026-10-01
#       impacts:
#         - {scope: individuals, description: ..., severity: high,
#            mitigation: ..., residual: medium}
#         - {scope: groups, description: ..., mitigation: ..., residual: low}
#         - {scope: society, description: ..., mitigation: ...,
#            residual: high, accepted_by: Chief Risk Officer}
package aimsgate.rules.impact_assessment

import data.aimsgate.lib
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.record

applies if judged_tier != "minimal"

assessment := object.get(record, "impact_assessment", null)

assessment_blank if lib.blank(assessment)

required_scopes := ["individuals", "groups", "society"]

high_residuals := {"high", "very high", "very-high", "critical"}

deny contains {
	"msg": "impact_assessment is missing: link the system's AI impact assessment (impact_assessment: IMPACT_ASSESSMENT.md) or write its keys inline",
	"field": "impact_assessment",
} if {
	applies
	assessment_blank
}

# Still a path: the document could not be read. card-invalid reports why,
# from input.problems; only when no problem says so is it reported here.
deny contains {
	"msg": sprintf("impact_assessment %s was not read: the linked document is missing or does not parse", [json.marshal(assessment)]),
	"field": "impact_assessment",
} if {
	applies
	lib.text(assessment)
	not reported_as_problem
}

reported_as_problem if {
	some problem in lib.list(lib.get(input, "problems", []))
	field := lib.get(problem, "field", "")
	is_string(field)
	startswith(field, "impact_assessment")
}

deny contains {
	"msg": "impact_assessment must be the path of the impact assessment document or a mapping of its keys",
	"field": "impact_assessment",
} if {
	applies
	not assessment_blank
	not is_string(assessment)
	not is_object(assessment)
}

# The assessment itself, once read (grafted in place of its path).
read if {
	is_object(assessment)
	not assessment_blank
}

deny contains {
	"msg": "impact_assessment.approved_by is missing: name who approved the impact assessment (e.g. the AI governance board)",
	"field": "impact_assessment.approved_by",
} if {
	applies
	read
	not lib.text(object.get(assessment, "approved_by", null))
}

deny contains {
	"msg": "impact_assessment.approved_at is missing: give the date the impact assessment was approved (YYYY-MM-DD)",
	"field": "impact_assessment.approved_at",
} if {
	applies
	read
	lib.blank(object.get(assessment, "approved_at", null))
}

impacts := lib.get(assessment, "impacts", null)

impacts_blank if lib.blank(impacts)

impact_list := lib.list(impacts)

deny contains {
	"msg": "impact_assessment.impacts is missing: list the assessed impacts on individuals, groups and society, each with a mitigation",
	"field": "impact_assessment.impacts",
} if {
	applies
	read
	impacts_blank
}

deny contains {
	"msg": "impact_assessment.impacts must be a list of impacts ({scope, description, severity, mitigation, residual})",
	"field": "impact_assessment.impacts",
} if {
	applies
	not impacts_blank
	not is_array(impacts)
}

# One finding per scope no impact covers.
deny contains {
	"msg": sprintf("impact_assessment.impacts has no impact on %s: assess the impacts on individuals, groups and society (scope: %s)", [scope, scope]),
	"field": "impact_assessment.impacts",
} if {
	applies
	count(impact_list) > 0
	some scope in required_scopes
	not scope in covered_scopes
}

# scope: individuals, or a list of scopes.
# (Fields are read with `.` where a missing one simply fails the body, and
# with object.get under `not`: these run for every impact of every card.)
covered_scopes contains lower(trim_space(scope)) if {
	some impact in impact_list
	scope := impact.scope
	is_string(scope)
}

covered_scopes contains lower(trim_space(scope)) if {
	some impact in impact_list
	is_array(impact.scope)
	some scope in impact.scope
	is_string(scope)
}

deny contains {
	"msg": sprintf("impact_assessment.impacts.%d must be a mapping (scope, description, severity, mitigation, residual)", [i]),
	"field": sprintf("impact_assessment.impacts.%d", [i]),
} if {
	applies
	some i, impact in impact_list
	not is_object(impact)
}

deny contains {
	"msg": sprintf("impact_assessment.impacts.%d.mitigation is missing: say how the impact%s is mitigated", [i, on_scope(impact)]),
	"field": sprintf("impact_assessment.impacts.%d.mitigation", [i]),
} if {
	applies
	some i, impact in impact_list
	is_object(impact)
	not lib.texts(object.get(impact, "mitigation", null))
}

deny contains {
	"msg": sprintf("impact_assessment.impacts.%d.accepted_by is missing: the residual risk of the impact%s is %s, so name who accepted it", [i, on_scope(impact), residual]),
	"field": sprintf("impact_assessment.impacts.%d.accepted_by", [i]),
} if {
	applies
	some i, impact in impact_list
	residual := impact.residual
	is_string(residual)
	lower(trim_space(residual)) in high_residuals
	not lib.text(object.get(impact, "accepted_by", null))
}

on_scope(impact) := sprintf(" on %s", [impact.scope]) if lib.text(lib.get(impact, "scope", null))

on_scope(impact) := "" if not lib.text(lib.get(impact, "scope", null))
