# METADATA
# title: Bias evaluated for every protected attribute
# description: >-
#   A system that affects people lists the protected attributes it could
#   discriminate on (fairness.protected_attributes) and has a bias test
#   result for each, inline in fairness.results or in the fairness.evidence
#   file, and no result for an attribute it does not declare; or it
#   declares fairness.not_applicable with a justification in words and an
#   approver other than the system's owner. Not required for minimal-risk systems or when
#   risk.affects_people is false.
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/10/
#     description: EU AI Act Article 10, Data and data governance (bias examination)
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.5.4 and A.6.2.4 impacts on groups, verification and validation
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MEASURE 2.11 fairness and bias evaluated
# custom:
#   id: bias-evaluation
#   severity: {high: error, limited: warning, minimal: "off"}
#   controls: [iso42001:A.5.4, iso42001:A.6.2.4, eu-ai-act:art-10, nist-ai-rmf:MEASURE-2.11]
#   remediation: |-
#     Test the system for bias on each protected attribute and record the
#     results (or point fairness.evidence at a JSON file {"results": [...]}):
#
#       fairness:
#         protected_attributes: [sex, age_band]
#         results:
#           - {attribute: sex, metric: demographic_parity_ratio, value: 0.91,
#              threshold: 0.8, n: {female: 5120, male: 6011}}
#           - {attribute: age_band, metric: equal_opportunity_difference,
#              value: 0.04, threshold: 0.1, n: {18-25: 940, 26+: 10191}}
#
#     or, when no protected attribute is relevant:
#
#       fairness:
#         not_applicable:
#           justification: Scores machine telemetry; no data about people
#           approved_by: AI Governance Board
package aimsgate.rules.bias_evaluation

import data.aimsgate.lib
import data.aimsgate.lib.affects_people
import data.aimsgate.lib.fairness as fairness_mapping
import data.aimsgate.lib.fairness_results
import data.aimsgate.lib.fairness_results_path
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.record

applies if {
	judged_tier != "minimal"
	affects_people
}

fairness := object.get(record, "fairness", null)

fairness_blank if lib.blank(fairness)

deny contains {
	"msg": "fairness is missing: the system affects people, so list fairness.protected_attributes with a bias test result for each, or declare fairness.not_applicable with justification and approved_by",
	"field": "fairness",
} if {
	applies
	fairness_blank
}

deny contains {
	"msg": "fairness must be a mapping (protected_attributes and results or evidence, or not_applicable)",
	"field": "fairness",
} if {
	applies
	not fairness_blank
	not is_object(fairness)
}

# not_applicable: {justification, approved_by}
not_applicable := lib.get(fairness_mapping, "not_applicable", false)

declared_not_applicable if not_applicable != false

deny contains {
	"msg": "fairness.not_applicable must be a mapping with justification and approved_by",
	"field": "fairness.not_applicable",
} if {
	applies
	declared_not_applicable
	not is_object(not_applicable)
}

deny contains {
	"msg": sprintf("fairness.not_applicable.%s is missing: %s", [key, why]),
	"field": sprintf("fairness.not_applicable.%s", [key]),
} if {
	applies
	is_object(not_applicable)
	some key, why in not_applicable_asks
	lib.blank(lib.get(not_applicable, key, null))
}

not_applicable_asks := {
	"justification": "say why no protected attribute is relevant to this system",
	"approved_by": "name who approved skipping the bias evaluation",
}

# Skipping the bias evaluation is an exception, held to what a waiver is:
# a reason in words, approved by someone other than the system's owner.
deny contains {
	"msg": sprintf("fairness.not_applicable.justification %s is no justification: %s, in a sentence", [json.marshal(justification), not_applicable_asks.justification]),
	"field": "fairness.not_applicable.justification",
} if {
	applies
	justification := not_applicable.justification
	not lib.blank(justification)
	not substantive(justification)
}

# substantive(x): two words or more and eight letters or more (aimsgate
# holds waiver reasons to the same).
substantive(x) if {
	lib.prose(x)
	count(regex.find_n(`[A-Za-z0-9]`, x, -1)) >= 8
}

deny contains {
	"msg": sprintf("fairness.not_applicable.approved_by %s is not an approver: %s", [json.marshal(approver), not_applicable_asks.approved_by]),
	"field": "fairness.not_applicable.approved_by",
} if {
	applies
	approver := not_applicable.approved_by
	not lib.blank(approver)
	not lib.answer(approver)
}

deny contains {
	"msg": sprintf("fairness.not_applicable.approved_by %s is the system's owner: skipping the bias evaluation is approved by someone other than the team that builds the system", [json.marshal(not_applicable.approved_by)]),
	"field": "fairness.not_applicable.approved_by",
} if {
	applies
	lib.is_owner(not_applicable.approved_by)
}

# Otherwise: protected attributes and a result for each.
# A valid not_applicable is an exception: reported as a waived finding whose
# approval is a claim until verified (SPEC 10), so every output counts it.
deny contains {
	"msg": "bias evaluation skipped: fairness.not_applicable declares no protected attribute relevant to this system",
	"field": "fairness.not_applicable",
	"accepted": {
		"by": not_applicable.approved_by,
		"reason": sprintf("not applicable: %s", [not_applicable.justification]),
		"field": "fairness.not_applicable",
	},
} if {
	applies
	is_object(not_applicable)
	lib.answer(object.get(not_applicable, "approved_by", null))
	not lib.is_owner(not_applicable.approved_by)
	substantive(object.get(not_applicable, "justification", null))
}

evaluated if {
	applies
	is_object(fairness)
	not fairness_blank
	not declared_not_applicable
}

attributes := lib.get(fairness, "protected_attributes", null)

attributes_blank if lib.blank(attributes)

attribute_list := lib.list(attributes)

deny contains {
	"msg": "fairness.protected_attributes is missing: list the protected attributes (e.g. sex, age_band) the system was tested for, or declare fairness.not_applicable with justification and approved_by",
	"field": "fairness.protected_attributes",
} if {
	evaluated
	attributes_blank
}

deny contains {
	"msg": "fairness.protected_attributes must be a list of attribute names",
	"field": "fairness.protected_attributes",
} if {
	evaluated
	not attributes_blank
	not is_array(attributes)
	not is_string(attributes)
}

deny contains {
	"msg": sprintf("fairness.protected_attributes.%d must be an attribute name", [i]),
	"field": sprintf("fairness.protected_attributes.%d", [i]),
} if {
	evaluated
	some i, attribute in attribute_list
	not lib.text(attribute)
}

# protected_attributes: sex (a single name) or [sex, age_band]
attribute_names contains attributes if lib.text(attributes)

attribute_names contains attribute if {
	some attribute in attribute_list
	lib.text(attribute)
}

tested contains lower(trim_space(attribute)) if {
	some result in fairness_results
	attribute := result.attribute
	is_string(attribute)
	trim_space(attribute) != ""
}

inline_results := lib.get(fairness, "results", null)

deny contains {
	"msg": "fairness.results must be a list of bias test results",
	"field": "fairness.results",
} if {
	evaluated
	not lib.blank(inline_results)
	not is_array(inline_results)
}

deny contains {
	"msg": sprintf("%s has no result for protected attribute %s: add a bias test result with attribute: %s", [fairness_results_path, attribute, attribute]),
	"field": fairness_results_path,
} if {
	evaluated
	not unread_evidence
	some attribute in attribute_names
	not lower(trim_space(attribute)) in tested
}

# fairness.evidence is still a path: the file was not read. card-invalid
# reports why, from input.problems; only when no problem says so is it
# reported here. Inline results, when given, are still checked.
unread_evidence if {
	lib.text(lib.get(fairness, "evidence", null))
	not lib.nonempty_list(inline_results)
}

deny contains {
	"msg": sprintf("fairness.evidence %s was not read: the linked file is missing or does not parse", [json.marshal(fairness.evidence)]),
	"field": "fairness.evidence",
} if {
	evaluated
	unread_evidence
	not evidence_reported_as_problem
}

evidence_reported_as_problem if {
	some problem in lib.list(lib.get(input, "problems", []))
	field := lib.get(problem, "field", "")
	is_string(field)
	startswith(field, "fairness.evidence")
}

# A result for an attribute the card does not declare: either the list of
# protected attributes is incomplete, or the result tests something else.
deny contains {
	"msg": sprintf("%s.%d.attribute %s is not among fairness.protected_attributes: declare it as a protected attribute, or correct the result's attribute", [fairness_results_path, i, json.marshal(attribute)]),
	"field": sprintf("%s.%d.attribute", [fairness_results_path, i]),
} if {
	evaluated
	count(attribute_names) > 0
	some i, result in fairness_results
	attribute := result.attribute
	is_string(attribute)
	trim_space(attribute) != ""
	not lower(trim_space(attribute)) in declared
}

declared := {lower(trim_space(name)) | some name in attribute_names}

deny contains {
	"msg": sprintf("%s.%d.attribute is missing: name the protected attribute the result was measured on (one of %s)", [fairness_results_path, i, concat(", ", sort(declared))]),
	"field": sprintf("%s.%d", [fairness_results_path, i]),
} if {
	evaluated
	count(attribute_names) > 0
	some i, result in fairness_results
	is_object(result)
	not lib.text(object.get(result, "attribute", null))
}
