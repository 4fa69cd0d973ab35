# METADATA
# title: Bias results within their thresholds
# description: >-
#   Every bias test result meets its threshold: ratio metrics (names with
#   "ratio", or disparate_impact) at least the threshold (default the
#   bias_ratio_min param, 0.8), difference metrics (names with "diff") at most
#   the threshold in absolute value (default bias_difference_max, 0.1). A
#   result that misses it passes only with a mitigation and the name of who
#   accepted the remaining risk (risk_accepted_by). Not checked for
#   minimal-risk systems.
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

# metric_kind(name): for a lower-cased metric name, "ratio" (higher is
# fairer, 1 is parity) or "difference" (closer to 0 is fairer); undefined
# for other metrics.
metric_kind(name) := "ratio" if contains(name, "ratio")

metric_kind(name) := "ratio" if contains(name, "disparate_impact")

metric_kind(name) := "difference" if {
	not contains(name, "ratio")
	not contains(name, "disparate_impact")
	contains(name, "diff")
}

# [index, result, kind, value] of every result whose metric has a kind,
# read once per system rather than once per rule.
kinded := [[i, result, kind, object.get(result, "value", null)] |
	some i, result in fairness_results
	is_string(result.metric)
	kind := metric_kind(lower(result.metric))
]

# threshold(result, kind): the result's own threshold, else the param default.
threshold(result, kind) := result.threshold if is_number(object.get(result, "threshold", null))

threshold(result, "ratio") := bias_ratio_min if not is_number(object.get(result, "threshold", null))

threshold(result, "difference") := bias_difference_max if not is_number(object.get(result, "threshold", null))

breach("ratio", value, limit) if value < limit

breach("difference", value, limit) if abs(value) > limit

# The result's attribute and metric, for messages: "demographic_parity_ratio for sex".
measured(result) := sprintf("%s for %s", [result.metric, result.attribute]) if lib.text(lib.get(result, "attribute", null))

measured(result) := result.metric if not lib.text(lib.get(result, "attribute", null))

# A breach is accepted when it has both a mitigation and an approver.
acceptance := ["mitigation", "risk_accepted_by"]

missing_acceptance(result) := [key | some key in acceptance; not lib.texts(object.get(result, key, null))]

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
