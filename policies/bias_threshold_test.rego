package aimsgate.rules.bias_threshold_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.bias_threshold as rule

ratio := fx.record.fairness.results[0]

difference := fx.record.fairness.results[1]

# with_results(results): the valid input with fairness.results replaced.
with_results(results) := fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "results": results})

# with_evidence(results): the valid input with the results in the grafted evidence file.
with_evidence(results) := fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "evidence": {"results": results}})

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_ratio_below_threshold if {
	findings := rule.deny with input as with_results([object.union(ratio, {"value": 0.72}), difference])
	findings == {{
		"msg": "fairness.results.0.value 0.72 (demographic_parity_ratio for sex) is below the minimum ratio 0.8: reduce the disparity, or record mitigation and risk_accepted_by for this result",
		"field": "fairness.results.0.value",
	}}
}

test_ratio_at_threshold_passes if {
	count(rule.deny) == 0 with input as with_results([object.union(ratio, {"value": 0.8})])
}

test_difference_above_threshold if {
	findings := rule.deny with input as with_results([ratio, object.union(difference, {"value": 0.15})])
	findings == {{
		"msg": "fairness.results.1.value 0.15 (equal_opportunity_difference for age_band) is above the maximum difference 0.1: reduce the disparity, or record mitigation and risk_accepted_by for this result",
		"field": "fairness.results.1.value",
	}}
}

test_negative_difference_compared_in_absolute_value if {
	fx.msgs(rule.deny) == {"fairness.results.0.value -0.15 (equal_opportunity_difference for age_band) is beyond the maximum difference (in absolute value) 0.1: reduce the disparity, or record mitigation and risk_accepted_by for this result"} with input as with_results([object.union(difference, {"value": -0.15})])
	count(rule.deny) == 0 with input as with_results([object.union(difference, {"value": -0.05})])
}

test_difference_at_threshold_passes if {
	count(rule.deny) == 0 with input as with_results([object.union(difference, {"value": 0.1})])
}

test_own_threshold_tightens_never_loosens if {
	fx.msgs(rule.deny) == {
		"fairness.results.0.threshold 0.7 is looser than the configured minimum ratio 0.8 ([params] bias_ratio_min): a card may tighten a threshold, never loosen it; 0.8 applies",
		"fairness.results.0.value 0.75 (demographic_parity_ratio for sex) is below the minimum ratio 0.8: reduce the disparity, or record mitigation and risk_accepted_by for this result",
	} with input as with_results([object.union(ratio, {"value": 0.75, "threshold": 0.7})])
	fx.fields(rule.deny) == {"fairness.results.0.threshold"} with input as with_results([object.union(ratio, {"value": 0.91, "threshold": 0})])
	fx.fields(rule.deny) == {"fairness.results.0.threshold"} with input as with_results([object.union(difference, {"threshold": -0.5})])
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([object.union(ratio, {"value": 0.85, "threshold": 0.9})])
}

test_default_ratio_threshold_from_params if {
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([object.union(object.remove(ratio, ["threshold"]), {"value": 0.85})]) with input.params.bias_ratio_min as 0.9
	count(rule.deny) == 0 with input as with_results([object.union(object.remove(ratio, ["threshold"]), {"value": 0.85})])
}

test_default_ratio_threshold_without_params if {
	inp := object.remove(with_results([object.union(object.remove(ratio, ["threshold"]), {"value": 0.79})]), ["params"])
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as inp
	count(rule.deny) == 0 with input as object.remove(with_results([object.remove(ratio, ["threshold"])]), ["params"])
}

test_default_difference_threshold_from_params if {
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([object.union(object.remove(difference, ["threshold"]), {"value": 0.06})]) with input.params.bias_difference_max as 0.05
	count(rule.deny) == 0 with input as with_results([object.union(object.remove(difference, ["threshold"]), {"value": 0.06})])
}

test_default_difference_threshold_without_params if {
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as object.remove(with_results([object.union(object.remove(difference, ["threshold"]), {"value": 0.11})]), ["params"])
}

test_non_number_param_falls_back_to_default if {
	count(rule.deny) == 0 with input as with_results([object.remove(ratio, ["threshold"])]) with input.params.bias_ratio_min as "0.95"
}

test_disparate_impact_is_a_ratio if {
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([{"attribute": "sex", "metric": "Disparate_Impact", "value": 0.7}])
}

test_an_organisations_own_metric_is_declared_in_params if {
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([{"attribute": "sex", "metric": "tpr_diff", "value": 0.2}]) with input.params.bias_metrics as {"tpr_diff": "difference"}
}

test_unknown_metrics_are_findings if {
	fx.fields(rule.deny) == {"fairness.results.0.metric"} with input as with_results([{"attribute": "sex", "metric": "accuracy", "value": 0.2, "threshold": 0.9}])
	fx.fields(rule.deny) == {"fairness.results.0.metric"} with input as with_results([{"attribute": "sex", "metric": "tpr_diff", "value": 0.2}])
	count(rule.deny) == 0 with input as with_results([object.union(ratio, {"metric": " Disparate_Impact "})])
}

test_a_ratio_lies_between_0_and_1 if {
	fx.msgs(rule.deny) == {"fairness.results.0.value 1.3 is not a ratio: demographic_parity_ratio lies between 0 and 1"} with input as with_results([object.union(ratio, {"value": 1.3})])
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([object.union(ratio, {"value": -0.1})])
}

# An accepted breach is reported as an accepted exception: waived, and
# counted as waived in every output, the acceptor a claim until verified.
test_breach_accepted_with_mitigation_and_approver if {
	findings := rule.deny with input as with_results([object.union(ratio, {"value": 0.7, "mitigation": "Manual review", "risk_accepted_by": "CRO"})])
	findings == {{
		"msg": "fairness.results.0.value 0.7 (demographic_parity_ratio for sex) is below the minimum ratio 0.8: the risk is accepted",
		"field": "fairness.results.0.value",
		"accepted": {"by": "CRO", "reason": "mitigation: Manual review", "field": "fairness.results.0.risk_accepted_by"},
	}}
}

test_accepted_breach_lists_are_joined if {
	findings := rule.deny with input as with_results([object.union(ratio, {"value": 0.7, "mitigation": ["Review", "Cap"], "risk_accepted_by": ["CRO", "DPO"]})])
	some f in findings
	f.accepted.by == "CRO; DPO"
	f.accepted.reason == "mitigation: Review; Cap"
}

test_breach_with_mitigation_only if {
	fx.msgs(rule.deny) == {"fairness.results.0.value 0.7 (demographic_parity_ratio for sex) is below the minimum ratio 0.8: reduce the disparity, or record risk_accepted_by for this result"} with input as with_results([object.union(ratio, {"value": 0.7, "mitigation": "Manual review"})])
}

test_breach_with_approver_only if {
	fx.msgs(rule.deny) == {"fairness.results.0.value 0.7 (demographic_parity_ratio for sex) is below the minimum ratio 0.8: reduce the disparity, or record mitigation for this result"} with input as with_results([object.union(ratio, {"value": 0.7, "risk_accepted_by": "CRO", "mitigation": ""})])
}

test_results_from_evidence if {
	findings := rule.deny with input as with_evidence([ratio, object.union(difference, {"value": 0.3})])
	findings == {{
		"msg": "fairness.evidence.results.1.value 0.3 (equal_opportunity_difference for age_band) is above the maximum difference 0.1: reduce the disparity, or record mitigation and risk_accepted_by for this result",
		"field": "fairness.evidence.results.1.value",
	}}
}

test_inline_results_win_over_evidence if {
	inp := fx.with_record({"fairness": {"evidence": {"results": [object.union(ratio, {"value": 0.1})]}}})
	count(rule.deny) == 0 with input as inp
}

test_missing_value if {
	findings := rule.deny with input as with_results([object.remove(ratio, ["value"])])
	findings == {{
		"msg": "fairness.results.0.value is missing: give the measured demographic_parity_ratio for sex as a number so it can be checked against its threshold",
		"field": "fairness.results.0.value",
	}}
}

test_value_not_a_number if {
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([object.union(ratio, {"value": "0.9"})])
}

test_missing_metric if {
	findings := rule.deny with input as with_results([object.remove(ratio, ["metric"])])
	findings == {{
		"msg": "fairness.results.0.metric is missing: name the fairness metric (e.g. demographic_parity_ratio) so its value can be checked against a threshold",
		"field": "fairness.results.0.metric",
	}}
}

# One input per check, each failing it.
failing := [
	with_results([object.union(ratio, {"value": 0.1})]),
	with_results([object.remove(ratio, ["value"])]),
	with_results([object.remove(ratio, ["metric"])]),
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

test_an_acceptance_by_nobody_is_none if {
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([object.union(ratio, {"value": 0.7, "mitigation": "none", "risk_accepted_by": "CRO"})])
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_results([object.union(ratio, {"value": 0.7, "mitigation": "Manual review", "risk_accepted_by": "me"})])
	findings := rule.deny with input as with_results([object.union(ratio, {"value": 0.7, "mitigation": "Manual review", "risk_accepted_by": "n/a"})])
	count([f | some f in findings; f.accepted]) == 0
}
