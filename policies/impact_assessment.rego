# METADATA
# title: Impact assessment approved and complete
# description: >-
#   The system links an approved AI system impact assessment (approved_by,
#   approved_at) that covers the impacts on individuals, groups and society,
#   each in an impact of its own with a description, severity, mitigation and
#   residual (ratings low, medium, high or unacceptable; a one-word
#   description or mitigation is no answer), and names who accepted every
#   impact whose residual risk is still high or unacceptable. The approver
#   and the acceptors are not the system's owner. Not required for
#   minimal-risk systems.
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
#     IMPACT_ASSESSMENT.md) and have it approved by someone other than the
#     system's owner; `aimsgate init` writes one. Give each scope an impact
#     of its own, say in a sentence what the harm is and how it is mitigated,
#     and name who accepted every residual risk rated high or unacceptable:
#
#       approved_by: AI Governance Board
#       approved_at: 2026-10-01
#       impacts:
#         - {scope: individuals, description: A legitimate payment is held,
#            severity: high, mitigation: An analyst decides every hold,
#            residual: medium}
#         - {scope: groups, description: Young customers are flagged more,
#            severity: medium, mitigation: Monthly flag-rate ratio check,
#            residual: low}
#         - {scope: society, description: Customers pushed towards cash,
#            severity: medium, mitigation: Review rate capped at 2%,
#            residual: high, accepted_by: Chief Risk Officer}
package aimsgate.rules.impact_assessment

import data.aimsgate.lib
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.record

applies if judged_tier != "minimal"

assessment := object.get(record, "impact_assessment", null)

assessment_blank if lib.blank(assessment)

required_scopes := ["individuals", "groups", "society"]

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

# One finding per scope no impact of its own covers.
deny contains {
	"msg": sprintf("impact_assessment.impacts has no impact on %s%s: assess the impacts on individuals, groups and society (scope: %s)", [scope, only_listed(scope), scope]),
	"field": "impact_assessment.impacts",
} if {
	applies
	count(impact_list) > 0
	some scope in required_scopes
	not scope in covered_scopes
}

# An impact counts for the scope it names: scope: individuals, or a list of
# one. One impact listing several scopes under one description and one
# mitigation has not assessed each of them.
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
	count(impact.scope) == 1
	scope := impact.scope[0]
	is_string(scope)
}

listed_scopes contains lower(trim_space(scope)) if {
	some impact in impact_list
	is_array(impact.scope)
	count(impact.scope) > 1
	some scope in impact.scope
	is_string(scope)
}

only_listed(scope) := " of its own (one impact lists it with other scopes: give each scope its own description and mitigation)" if scope in listed_scopes

only_listed(scope) := "" if not scope in listed_scopes

deny contains {
	"msg": sprintf("impact_assessment.impacts.%d must be a mapping (scope, description, severity, mitigation, residual)", [i]),
	"field": sprintf("impact_assessment.impacts.%d", [i]),
} if {
	applies
	some i, impact in impact_list
	not is_object(impact)
}

# What each impact must say, and what it asks for.
impact_keys := {
	"scope": "say who is affected (individuals, groups or society)",
	"description": "describe the harm in a sentence or more",
	"severity": "rate how severe the harm is (low, medium, high or unacceptable)",
	"mitigation": "say how the harm is mitigated",
	"residual": "rate the risk that remains after mitigation (low, medium, high or unacceptable)",
}

deny contains {
	"msg": sprintf("impact_assessment.impacts.%d.%s is missing: %s%s", [i, key, ask, for_scope(impact)]),
	"field": sprintf("impact_assessment.impacts.%d.%s", [i, key]),
} if {
	applies
	some i, impact in impact_list
	is_object(impact)
	some key, ask in impact_keys
	lib.blank(object.get(impact, key, null))
}

# A one-word description or mitigation ("Mitigated", "Yes", "Handled") says
# that something was thought of, not what.
deny contains {
	"msg": sprintf("impact_assessment.impacts.%d.%s %s is not an answer: %s%s", [i, key, json.marshal(value), impact_keys[key], for_scope(impact)]),
	"field": sprintf("impact_assessment.impacts.%d.%s", [i, key]),
} if {
	applies
	some i, impact in impact_list
	is_object(impact)
	some key in ["description", "mitigation"]
	value := impact[key]
	not lib.blank(value)
	not lib.prose(value)
}

levels := {"low", "medium", "high", "very-high", "critical", "unacceptable"}

high_levels := {"high", "very-high", "critical", "unacceptable"}

# level(x): a rating folded as aimsgate folds it (lower case, spaces and
# underscores as hyphens), so plain OPA judges "Very High" as aimsgate does.
level(x) := replace(replace(lower(trim_space(x)), " ", "-"), "_", "-")

deny contains {
	"msg": sprintf("impact_assessment.impacts.%d.%s %s is not a rating: write low, medium, high or unacceptable%s", [i, key, json.marshal(value), for_scope(impact)]),
	"field": sprintf("impact_assessment.impacts.%d.%s", [i, key]),
} if {
	applies
	some i, impact in impact_list
	is_object(impact)
	some key in ["severity", "residual"]
	value := impact[key]
	not lib.blank(value)
	not rating(value)
}

rating(x) if {
	is_string(x)
	level(x) in levels
}

deny contains {
	"msg": sprintf("impact_assessment.impacts.%d.accepted_by is missing: the residual risk of the impact%s is %s, so name who accepted it", [i, on_scope(impact), residual]),
	"field": sprintf("impact_assessment.impacts.%d.accepted_by", [i]),
} if {
	applies
	some i, impact in impact_list
	residual := impact.residual
	is_string(residual)
	level(residual) in high_levels
	not lib.answer(object.get(impact, "accepted_by", null))
}

deny contains {
	"msg": sprintf("impact_assessment.impacts.%d.accepted_by %s is the system's owner: a residual risk is accepted by someone accountable for the risk, not the team that builds the system", [i, json.marshal(impact.accepted_by)]),
	"field": sprintf("impact_assessment.impacts.%d.accepted_by", [i]),
} if {
	applies
	some i, impact in impact_list
	lib.is_owner(impact.accepted_by)
}

deny contains {
	"msg": sprintf("impact_assessment.approved_by %s is not an approver: name who approved the impact assessment (e.g. the AI governance board)", [json.marshal(approver)]),
	"field": "impact_assessment.approved_by",
} if {
	applies
	approver := assessment.approved_by
	lib.text(approver)
	not lib.answer(approver)
}

deny contains {
	"msg": sprintf("impact_assessment.approved_by %s is the system's owner: the impact assessment is approved by someone other than the team that builds the system (ISO/IEC 42001 A.5.2)", [json.marshal(assessment.approved_by)]),
	"field": "impact_assessment.approved_by",
} if {
	applies
	lib.is_owner(assessment.approved_by)
}

for_scope(impact) := sprintf(" (impact on %s)", [impact.scope]) if lib.text(lib.get(impact, "scope", null))

for_scope(impact) := "" if not lib.text(lib.get(impact, "scope", null))

on_scope(impact) := sprintf(" on %s", [impact.scope]) if lib.text(lib.get(impact, "scope", null))

on_scope(impact) := "" if not lib.text(lib.get(impact, "scope", null))
