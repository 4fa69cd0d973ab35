# METADATA
# title: Bias results within their thresholds
# description: >-
#   Every bias test result meets its threshold: ratio metrics at least the
#   bias_ratio_min param (0.8), difference metrics at most bias_difference_max
#   (0.1) in absolute value. A card's own threshold may tighten these, never
#   loosen them (a looser one is a finding and the configured limit
#   applies). Metrics are fairlearn's and AIF360's names with their
#   direction (more in [params] bias_metrics); an unknown metric is a
#   finding, and a ratio lies between 0 and 1. A result that misses its
#   threshold passes only with a mitigation and the name of who accepted the
#   remaining risk (risk_accepted_by). Not checked for minimal-risk systems.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.5.4 Assessing AI system impact on individuals or groups
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MANAGE 1.3 responses to high-priority risks
# custom:
#   id: bias-threshold
#   severity: {high: error, limited: warning, minimal: "off"}
#   controls: [iso42001:A.5.4, nist-ai-rmf:MANAGE-1.3]
#   remediation: |-
#     Reduce the disparity (rebalance or reweight the data, adjust decision
#     thresholds) and record the new result; or, if the gap is accepted,
#     record how it is mitigated and who accepted the risk:
#
#       - {attribute: sex, metric: demographic_parity_ratio, value: 0.74,
#          threshold: 0.8, mitigation: Manual review of declined female applicants,
#          risk_accepted_by: Chief Risk Officer}
package aimsgate.rules.bias_threshold

import data.aimsgate.lib
import data.aimsgate.lib.bias_difference_max
import data.aimsgate.lib.bias_ratio_min
import data.aimsgate.lib.fairness_results
import data.aimsgate.lib.fairness_results_path
import data.aimsgate.lib.judged_tier

applies if judged_tier != "minimal"

# [index, result, kind, value] of every result whose metric has a kind,
# read once per system rather than once per rule.
kinded := [[i, result, kind, object.get(result, "value", null)] |
	some i, result in fairness_results
	is_string(result.metric)
	kind := lib.metric_kind(lower(trim_space(result.metric)))
]

# The configured limit of a kind of metric: a card may tighten it, never loosen it.
configured("ratio") := bias_ratio_min

configured("difference") := bias_difference_max

# threshold(result, kind): the stricter of the result's own threshold and
# the configured one.
threshold(result, "ratio") := max([result.threshold, bias_ratio_min]) if is_number(object.get(result, "threshold", null))

threshold(result, "difference") := min([abs(result.threshold), bias_difference_max]) if is_number(object.get(result, "threshold", null))

threshold(result, kind) := configured(kind) if not is_number(object.get(result, "threshold", null))

looser("ratio", own) if own < bias_ratio_min

looser("difference", own) if abs(own) > bias_difference_max

deny contains {
	"msg": sprintf("%s.%d.threshold %v is looser than the configured %s %v ([params] %s): a card may tighten a threshold, never loosen it; %v applies", [
		fairness_results_path, i, result.threshold, limit_name(kind), configured(kind), param_name(kind), configured(kind),
	]),
	"field": sprintf("%s.%d.threshold", [fairness_results_path, i]),
} if {
	applies
	some [i, result, kind, _] in kinded
	is_number(object.get(result, "threshold", null))
	looser(kind, result.threshold)
}

limit_name("ratio") := "minimum ratio"

limit_name("difference") := "maximum difference"

param_name("ratio") := "bias_ratio_min"

param_name("difference") := "bias_difference_max"

deny contains {
	"msg": sprintf("%s.%d.metric %q is not a fairness metric the gate knows: use a fairlearn or AIF360 name (%s), or declare it with its direction in [params] bias_metrics", [
		fairness_results_path, i, result.metric, concat(", ", sort([n | some n, _ in lib.known_metrics])),
	]),
	"field": sprintf("%s.%d.metric", [fairness_results_path, i]),
} if {
	applies
	some i, result in fairness_results
	is_string(result.metric)
	not lib.metric_kind(lower(trim_space(result.metric)))
}

deny contains {
	"msg": sprintf("%s.%d.value %v is not a ratio: %s lies between 0 and 1", [fairness_results_path, i, value, result.metric]),
	"field": sprintf("%s.%d.value", [fairness_results_path, i]),
} if {
	applies
	some [i, result, "ratio", value] in kinded
	is_number(value)
	not between_0_and_1(value)
}

between_0_and_1(v) if {
	v >= 0
	v <= 1
}

breach("ratio", value, limit) if value < limit

breach("difference", value, limit) if abs(value) > limit

# The result's attribute and metric, for messages: "demographic_parity_ratio for sex".
measured(result) := sprintf("%s for %s", [result.metric, result.attribute]) if lib.text(lib.get(result, "attribute", null))

measured(result) := result.metric if not lib.text(lib.get(result, "attribute", null))

# A breach is accepted when it has both a mitigation and an approver.
acceptance := ["mitigation", "risk_accepted_by"]

missing_acceptance(result) := [key | some key in acceptance; not lib.answer(object.get(result, key, null))]

deny contains {
	"msg": sprintf("%s.%d.value %v (%s) is %s %v: reduce the disparity, or record %s for this result", [
		fairness_results_path, i, value, measured(result), comparison(kind, value), limit,
		concat(" and ", missing_acceptance(result)),
	]),
	"field": sprintf("%s.%d.value", [fairness_results_path, i]),
} if {
	applies
	some [i, result, kind, value] in kinded
	is_number(value)
	limit := threshold(result, kind)
	breach(kind, value, limit)
	count(missing_acceptance(result)) > 0
}

# A breach with a mitigation and a risk acceptance is an exception: reported
# waived, the acceptance a claim until verified (SPEC 10).
deny contains {
	"msg": sprintf("%s.%d.value %v (%s) is %s %v: the risk is accepted", [
		fairness_results_path, i, value, measured(result), comparison(kind, value), limit,
	]),
	"field": sprintf("%s.%d.value", [fairness_results_path, i]),
	"accepted": {
		"by": words(result.risk_accepted_by),
		"reason": sprintf("mitigation: %s", [words(result.mitigation)]),
		"field": sprintf("%s.%d.risk_accepted_by", [fairness_results_path, i]),
	},
} if {
	applies
	some [i, result, kind, value] in kinded
	is_number(value)
	limit := threshold(result, kind)
	breach(kind, value, limit)
	count(missing_acceptance(result)) == 0
}

# words(x): a text, or the texts of a list joined, for messages.
words(x) := x if is_string(x)

words(x) := concat("; ", [w | some item in x; w := item_words(item)]) if is_array(x)

item_words(item) := item if is_string(item)

item_words(item) := json.marshal(item) if not is_string(item)

comparison("ratio", value) := "below the minimum ratio"

comparison("difference", value) := "above the maximum difference" if value >= 0

comparison("difference", value) := "beyond the maximum difference (in absolute value)" if value < 0

# Results that cannot be checked.
deny contains {
	"msg": sprintf("%s.%d.value is missing: give the measured %s as a number so it can be checked against its threshold", [fairness_results_path, i, measured(result)]),
	"field": sprintf("%s.%d.value", [fairness_results_path, i]),
} if {
	applies
	some [i, result, _, value] in kinded
	not is_number(value)
}

deny contains {
	"msg": sprintf("%s.%d.metric is missing: name the fairness metric (e.g. demographic_parity_ratio) so its value can be checked against a threshold", [fairness_results_path, i]),
	"field": sprintf("%s.%d.metric", [fairness_results_path, i]),
} if {
	applies
	some i, result in fairness_results
	is_object(result)
	not lib.text(object.get(result, "metric", null))
}
