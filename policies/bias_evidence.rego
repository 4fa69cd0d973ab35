# METADATA
# title: Bias evidence file read and consistent with the card
# description: >-
#   When fairness.evidence links the file the bias tests wrote, that file
#   exists inside the repository, parses, holds a non-empty results list
#   ({"results": [...]}), and agrees with the results written in the card
#   (fairness.results) when both are given: every result in the card has a
#   result in the file with the same attribute and metric (compared without
#   case) and the same value (numbers within 1e-9), and every result in the
#   file is in the card, with the same sample size (n) for every group. A
#   card that copies its numbers by hand cannot drift from the measurement. Not checked for minimal-risk systems.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.4 AI system verification and validation
# custom:
#   id: bias-evidence
#   severity: {high: error, limited: warning, minimal: "off"}
#   controls: [iso42001:A.6.2.4]
#   remediation: |-
#     Point fairness.evidence at the results file the bias tests write
#     (relative to the card), and copy its results into the card unchanged,
#     or leave fairness.results out so they are read from the file:
#
#       fairness:
#         protected_attributes: [sex]
#         evidence: eval/fairness.json   # {"results": [{"attribute": "sex", ...}]}
#         results:
#           - {attribute: sex, metric: demographic_parity_ratio, value: 0.91}
package aimsgate.rules.bias_evidence

import data.aimsgate.lib
import data.aimsgate.lib.fairness
import data.aimsgate.lib.judged_tier

applies if judged_tier != "minimal"

evidence := lib.get(fairness, "evidence", null)

# The file the evidence was read from, for messages.
evidence_file := file if {
	file := lib.get(lib.mapping(lib.get(lib.mapping(lib.get(input, "documents", {})), "fairness.evidence", {})), "file", null)
	lib.text(file)
}

default evidence_file := "the evidence file"

# Still a path: the file is missing, leaves the repository or does not
# parse (input.problems says which, and card-invalid reports it).
deny contains {
	"msg": sprintf("fairness.evidence %s could not be read: the file is missing, lies outside the repository or does not parse, so the bias results are not backed by evidence", [json.marshal(evidence)]),
	"field": "fairness.evidence",
} if {
	applies
	is_string(evidence)
}

deny contains {
	"msg": "fairness.evidence must be the path of the bias test results file, which holds {\"results\": [...]}",
	"field": "fairness.evidence",
} if {
	applies
	not is_null(evidence)
	not is_string(evidence)
	not is_object(evidence)
}

evidence_results := lib.get(evidence, "results", null)

evidence_results_blank if lib.blank(evidence_results)

deny contains {
	"msg": sprintf("fairness.evidence has no results: %s must hold {\"results\": [...]}, the bias test results", [evidence_file]),
	"field": "fairness.evidence.results",
} if {
	applies
	is_object(evidence)
	evidence_results_blank
}

deny contains {
	"msg": sprintf("fairness.evidence.results must be a list of bias test results (in %s)", [evidence_file]),
	"field": "fairness.evidence.results",
} if {
	applies
	is_object(evidence)
	not evidence_results_blank
	not is_array(evidence_results)
}

# ---------------------------------------------------------------------------
# Agreement of the card's results with the evidence file's

inline_results := lib.get(fairness, "results", null)

compared if {
	applies
	lib.nonempty_list(inline_results)
	lib.nonempty_list(evidence_results)
}

# key(result): [attribute, metric], trimmed and lower-cased; undefined for a
# result that names neither (bias-threshold reports a missing metric).
# Written with builtins rather than lib.get and lib.text: it runs for every
# result, and a function call costs several builtin calls.
key(result) := [attribute, metric] if {
	is_string(result.attribute)
	is_string(result.metric)
	attribute := lower(trim_space(result.attribute))
	metric := lower(trim_space(result.metric))
	attribute != ""
	metric != ""
}

agree(a, b) if {
	is_number(a)
	is_number(b)
	abs(a - b) <= 0.000000001
}

agree(a, b) if {
	not is_number(a)
	a == b
}

# [index, key, result, value] of every result that has a key, in the card
# and in the evidence file: keys are computed once per system here, not
# once per comparison. (The key is bound in the body: regorus fails a set
# rule whose head value is undefined for one element.)
keyed(results) := [[i, k, result, object.get(result, "value", null)] |
	some i, result in lib.list(results)
	k := key(result)
]

inline_keyed := keyed(inline_results)

evidence_keyed := keyed(evidence_results)

evidence_keys := {k | some [_, k, _, _] in evidence_keyed}

inline_keys := {k | some [_, k, _, _] in inline_keyed}

# "demographic_parity_ratio for sex", as written in the card.
measured(result) := sprintf("%s for %s", [result.metric, result.attribute])

deny contains {
	"msg": sprintf("fairness.results.%d (%s) is not in %s: record only results the bias tests produced, or regenerate the evidence", [i, measured(result), evidence_file]),
	"field": sprintf("fairness.results.%d", [i]),
} if {
	compared
	some [i, k, result, _] in inline_keyed
	not k in evidence_keys
}

deny contains {
	"msg": sprintf("fairness.results.%d.value %s (%s) disagrees with %s, which has %s: copy the measured value from the evidence", [
		i, shown(value), measured(result), evidence_file,
		concat(" or ", sort({shown(ev) | some [_, ek, _, ev] in evidence_keyed; ek == k})),
	]),
	"field": sprintf("fairness.results.%d.value", [i]),
} if {
	compared
	some [i, k, result, value] in inline_keyed
	k in evidence_keys
	not [k, value] in evidence_pairs
	not has_agreeing(k, value)
}

# evidence_pairs: the evidence's exact (key, value) pairs: a value found here
# agrees, so has_agreeing (a scan with a tolerance) runs only on a mismatch.
evidence_pairs := {[k, value] | some [_, k, _, value] in evidence_keyed}

has_agreeing(k, v) if {
	some [_, ek, _, ev] in evidence_keyed
	ek == k
	agree(ev, v)
}

# shown(x): a value for messages.
shown(x) := sprintf("%v", [x]) if is_number(x)

shown(x) := json.marshal(x) if is_string(x)

shown(x) := "no value" if is_null(x)

shown(x) := "a non-number" if {
	not is_number(x)
	not is_string(x)
	not is_null(x)
}

deny contains {
	"msg": sprintf("fairness.results has no %s, which %s holds (fairness.evidence.results.%d): add it to the card", [measured(result), evidence_file, j]),
	"field": "fairness.results",
} if {
	compared
	some [j, k, result, _] in evidence_keyed
	not k in inline_keys
}

# Sample sizes: the card's n for a result agrees with the file's, group by
# group, so a card cannot raise a group above min_group_size by hand.
deny contains {
	"msg": sprintf("fairness.results.%d.n.%s %s (%s) disagrees with %s, which has %s: copy the sample sizes from the evidence", [i, group, shown(size), measured(result), evidence_file, shown(object.get(measured_sizes, group, null))]),
	"field": sprintf("fairness.results.%d.n.%s", [i, group]),
} if {
	some [i, result, sizes, measured_sizes] in size_pairs
	some group, size in sizes
	not agree(size, object.get(measured_sizes, group, null))
}

deny contains {
	"msg": sprintf("fairness.results.%d.n has no group %s, which %s measured on %s samples: copy the sample sizes from the evidence", [i, group, evidence_file, shown(size)]),
	"field": sprintf("fairness.results.%d.n", [i]),
} if {
	some [i, _, sizes, measured_sizes] in size_pairs
	some group, size in measured_sizes
	not group in object.keys(sizes)
}

# [index, result, card n, file n] for each card result whose n and whose
# file result's n are both mappings.
size_pairs := [[i, result, sizes, measured_sizes] |
	compared
	some [i, k, result, _] in inline_keyed
	sizes := result.n
	is_object(sizes)
	some [_, ek, measured_result, _] in evidence_keyed
	ek == k
	measured_sizes := measured_result.n
	is_object(measured_sizes)
]
