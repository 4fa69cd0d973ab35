package aimsgate.rules.bias_sample_size_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.bias_sample_size as rule

ratio := fx.record.fairness.results[0]

with_results(results) := fx.replacing("fairness", {"protected_attributes": ["sex"], "results": results})

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_small_group if {
	findings := rule.deny with input as with_results([object.union(ratio, {"n": {"female": 12, "male": 6011}})])
	findings == {{
		"msg": "fairness.results.0.n.female is 12, fewer than min_group_size 30: the metric for group female is unreliable; measure on more samples or merge small groups",
		"field": "fairness.results.0.n.female",
	}}
}

test_exactly_the_minimum_passes if {
	count(rule.deny) == 0 with input as with_results([object.union(ratio, {"n": {"female": 30, "male": 30}})])
}

test_min_group_size_param if {
	fx.fields(rule.deny) == {"fairness.results.0.n.female", "fairness.results.0.n.male", "fairness.results.1.n.18-25"} with input as fx.input_high with input.params.min_group_size as 10000
	count(rule.deny) == 0 with input as with_results([object.union(ratio, {"n": {"female": 12, "male": 12}})]) with input.params.min_group_size as 10
}

test_default_min_group_size_without_params if {
	fx.fields(rule.deny) == {"fairness.results.0.n.male"} with input as object.remove(with_results([object.union(ratio, {"n": {"female": 30, "male": 29}})]), ["params"])
}

test_results_from_evidence if {
	inp := fx.replacing("fairness", {"protected_attributes": ["sex"], "evidence": {"results": [object.union(ratio, {"n": {"female": 5, "male": 6011}})]}})
	fx.fields(rule.deny) == {"fairness.evidence.results.0.n.female"} with input as inp
}

test_count_not_a_number if {
	fx.msgs(rule.deny) == {"fairness.results.0.n.female must be a number (the samples measured for group female)"} with input as with_results([object.union(ratio, {"n": {"female": "many", "male": 6011}})])
}

test_groups_without_n if {
	findings := rule.deny with input as with_results([object.remove(ratio, ["n"])])
	findings == {{
		"msg": "fairness.results.0.n is missing: give the number of samples of each group (n: {female: ..., male: ...})",
		"field": "fairness.results.0.n",
	}}
}

test_group_missing_from_n if {
	findings := rule.deny with input as with_results([json.remove(ratio, ["n/male"])])
	findings == {{
		"msg": "fairness.results.0.n.male is missing: give the number of samples of group male",
		"field": "fairness.results.0.n.male",
	}}
}

test_no_groups_no_n_passes_below_high if {
	count(rule.deny) == 0 with input as fx.to_tier(with_results([object.remove(ratio, ["n", "groups"])]), "limited")
}

# At high tier, a result must say how many samples it rests on.
test_high_risk_result_without_n if {
	findings := rule.deny with input as with_results([object.remove(ratio, ["n", "groups"])])
	findings == {{
		"msg": "fairness.results.0.n is missing: give the number of samples of each group (n: {group: samples, ...})",
		"field": "fairness.results.0.n",
	}}
}

# One input per check, each failing it.
failing := [
	with_results([object.union(ratio, {"n": {"female": 12, "male": 6011}})]),
	with_results([object.union(ratio, {"n": {"female": "many", "male": 6011}})]),
	with_results([object.remove(ratio, ["n"])]),
	with_results([json.remove(ratio, ["n/male"])]),
]

test_failing_inputs_fail_at_high_limited_and_prohibited if {
	every t in ["high", "limited", "prohibited"] {
		every inp in failing {
			count(rule.deny) == 1 with input as fx.to_tier(inp, t)
		}
	}
}

test_off_for_minimal if {
	every inp in failing {
		count(rule.deny) == 0 with input as fx.to_tier(inp, "minimal")
	}
}
