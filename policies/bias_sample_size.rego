# METADATA
# title: Bias results rest on enough samples
# description: >-
#   Every group of every bias test result was measured on at least
#   min_group_size samples (param, default 30), so a fairness metric is not
#   read from noise. Groups are the keys of a result's n (sample counts) and
#   of its groups (per-group rates). A high-risk system gives n for every
#   result: a metric whose sample sizes are unknown is as unreliable as one
#   read from a handful. Not checked for minimal-risk systems.
# related_resources:
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MEASURE 2.11 fairness and bias evaluated
# custom:
#   id: bias-sample-size
#   severity: {high: error, limited: warning, minimal: "off"}
#   controls: [nist-ai-rmf:MEASURE-2.11]
#   remediation: |-
#     Give the number of samples behind each group and measure on enough of
#     them (collect more data, or merge small groups):
#
#       - {attribute: sex, metric: demographic_parity_ratio, value: 0.91,
#          groups: {female: 0.12, male: 0.13}, n: {female: 5120, male: 6011}}
package aimsgate.rules.bias_sample_size

import data.aimsgate.lib
import data.aimsgate.lib.fairness_results
import data.aimsgate.lib.fairness_results_path
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.min_group_size

applies if judged_tier != "minimal"

minimum := min_group_size

# [index, n, n as a mapping, groups as a mapping] of each result, read once
# per system rather than once per deny rule.
results := [[i, n, lib.mapping(n), groups] |
	some i, result in fairness_results
	n := lib.get(result, "n", null)
	groups := lib.mapping(lib.get(result, "groups", null))
]

deny contains {
	"msg": sprintf("%s.%d.n.%s is %v, fewer than min_group_size %v: the metric for group %s is unreliable; measure on more samples or merge small groups", [fairness_results_path, i, group, size, minimum, group]),
	"field": sprintf("%s.%d.n.%s", [fairness_results_path, i, group]),
} if {
	applies
	some [i, _, sizes, _] in results
	some group, size in sizes
	is_number(size)
	size < minimum
}

deny contains {
	"msg": sprintf("%s.%d.n.%s must be a number (the samples measured for group %s)", [fairness_results_path, i, group, group]),
	"field": sprintf("%s.%d.n.%s", [fairness_results_path, i, group]),
} if {
	applies
	some [i, _, sizes, _] in results
	some group, size in sizes
	not is_number(size)
}

deny contains {
	"msg": sprintf("%s.%d.n is missing: give the number of samples of each group (n: {%s})", [fairness_results_path, i, group_template(groups)]),
	"field": sprintf("%s.%d.n", [fairness_results_path, i]),
} if {
	applies
	some [i, n, _, groups] in results
	sizes_required(groups)
	lib.blank(n)
}

sizes_required(groups) if count(groups) > 0

sizes_required(_) if judged_tier == "high"

group_template(groups) := concat(", ", [sprintf("%s: ...", [g]) | some g, _ in groups]) if count(groups) > 0

group_template(groups) := "group: samples, ..." if count(groups) == 0

deny contains {
	"msg": sprintf("%s.%d.n.%s is missing: give the number of samples of group %s", [fairness_results_path, i, group, group]),
	"field": sprintf("%s.%d.n.%s", [fairness_results_path, i, group]),
} if {
	applies
	some [i, n, _, groups] in results
	is_object(n)
	count(n) > 0
	some group, _ in groups
	object.get(n, group, null) == null
}
