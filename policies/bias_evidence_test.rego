package aimsgate.rules.bias_evidence_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.bias_evidence as rule

results := fx.record.fairness.results

ratio := results[0]

difference := results[1]

# with_fairness(inline, evidence): the valid input with fairness.results and
# the grafted fairness.evidence replaced, read from eval/fairness.json.
with_fairness(inline, evidence) := object.union(
	fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "results": inline, "evidence": evidence}),
	{"documents": {"fairness.evidence": {"file": "examples/fraud-detector/eval/fairness.json", "sections": []}}},
)

# with_evidence(inline, evidence_results): both lists of results given.
with_evidence(inline, evidence_results) := with_fairness(inline, {"results": evidence_results})

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
	count(rule.deny) == 0 with input as with_evidence(results, results)
}

test_order_and_case_do_not_matter if {
	shuffled := [object.union(difference, {"metric": "Equal_Opportunity_Difference ", "attribute": "Age_Band"}), ratio]
	count(rule.deny) == 0 with input as with_evidence(results, shuffled)
}

test_evidence_alone_passes if {
	count(rule.deny) == 0 with input as with_fairness(null, {"results": results})
	count(rule.deny) == 0 with input as with_fairness([], {"results": results})
}

test_no_evidence_passes if {
	count(rule.deny) == 0 with input as fx.without(["fairness/evidence"])
	count(rule.deny) == 0 with input as with_fairness(results, null)
	count(rule.deny) == 0 with input as fx.replacing("fairness", "tested")
}

test_unread_evidence if {
	inp := object.union(with_fairness(results, "eval/fairness.json"), {"problems": [{"file": "examples/fraud-detector/MODEL_CARD.md", "line": 30, "field": "fairness.evidence", "message": "fairness.evidence: eval/fairness.json does not exist"}]})
	findings := rule.deny with input as inp
	findings == {{
		"msg": "fairness.evidence \"eval/fairness.json\" could not be read: the file is missing, lies outside the repository or does not parse, so the bias results are not backed by evidence",
		"field": "fairness.evidence",
	}}
}

test_unread_blank_evidence if {
	fx.fields(rule.deny) == {"fairness.evidence"} with input as with_fairness(results, " ")
}

test_evidence_wrong_type if {
	every evidence in [[ratio], 3, true] {
		inp := with_fairness(results, evidence)
		fx.msgs(rule.deny) == {"fairness.evidence must be the path of the bias test results file, which holds {\"results\": [...]}"} with input as inp
	}
}

test_evidence_without_results if {
	every evidence in [{}, {"results": null}, {"results": []}, {"generated_by": "train.py"}] {
		inp := with_fairness(results, evidence)
		findings := rule.deny with input as inp
		findings == {{
			"msg": "fairness.evidence has no results: examples/fraud-detector/eval/fairness.json must hold {\"results\": [...]}, the bias test results",
			"field": "fairness.evidence.results",
		}}
	}
}

test_evidence_file_named_when_known if {
	inp := object.remove(with_fairness(results, {}), ["documents"])
	fx.msgs(rule.deny) == {"fairness.evidence has no results: the evidence file must hold {\"results\": [...]}, the bias test results"} with input as inp
}

test_evidence_results_wrong_type if {
	findings := rule.deny with input as with_fairness(results, {"results": {"sex": 0.91}})
	findings == {{
		"msg": "fairness.evidence.results must be a list of bias test results (in examples/fraud-detector/eval/fairness.json)",
		"field": "fairness.evidence.results",
	}}
}

test_value_disagrees if {
	findings := rule.deny with input as with_evidence(results, [object.union(ratio, {"value": 0.92}), difference])
	findings == {{
		"msg": "fairness.results.0.value 0.91 (demographic_parity_ratio for sex) disagrees with examples/fraud-detector/eval/fairness.json, which has 0.92: copy the measured value from the evidence",
		"field": "fairness.results.0.value",
	}}
}

test_values_agree_within_tolerance if {
	count(rule.deny) == 0 with input as with_evidence(results, [object.union(ratio, {"value": 0.9100000000001}), difference])
	fx.fields(rule.deny) == {"fairness.results.0.value"} with input as with_evidence(results, [object.union(ratio, {"value": 0.9101}), difference])
}

test_several_evidence_values_one_agreeing if {
	count(rule.deny) == 0 with input as with_evidence(results, [object.union(ratio, {"value": 0.5}), ratio, difference])
}

test_several_evidence_values_none_agreeing if {
	inp := with_evidence(results, [object.union(ratio, {"value": 0.95}), object.union(ratio, {"value": 0.5}), difference])
	fx.msgs(rule.deny) == {"fairness.results.0.value 0.91 (demographic_parity_ratio for sex) disagrees with examples/fraud-detector/eval/fairness.json, which has 0.5 or 0.95: copy the measured value from the evidence"} with input as inp
}

test_values_that_are_not_numbers if {
	# the same text agrees; a text and a number do not
	count(rule.deny) == 0 with input as with_evidence([object.union(ratio, {"value": "n/a"})], [object.union(ratio, {"value": "n/a"})])
	fx.msgs(rule.deny) == {"fairness.results.0.value \"0.91\" (demographic_parity_ratio for sex) disagrees with examples/fraud-detector/eval/fairness.json, which has 0.91: copy the measured value from the evidence"} with input as with_evidence([object.union(ratio, {"value": "0.91"})], [ratio])
	fx.msgs(rule.deny) == {"fairness.results.0.value no value (demographic_parity_ratio for sex) disagrees with examples/fraud-detector/eval/fairness.json, which has a non-number: copy the measured value from the evidence"} with input as with_evidence([object.remove(ratio, ["value"])], [object.union(ratio, {"value": [0.91]})])
}

test_inline_result_not_in_evidence if {
	findings := rule.deny with input as with_evidence(results, [ratio, object.union(difference, {"metric": "equalized_odds_difference"})])
	findings == {
		{
			"msg": "fairness.results.1 (equal_opportunity_difference for age_band) is not in examples/fraud-detector/eval/fairness.json: record only results the bias tests produced, or regenerate the evidence",
			"field": "fairness.results.1",
		},
		{
			"msg": "fairness.results has no equalized_odds_difference for age_band, which examples/fraud-detector/eval/fairness.json holds (fairness.evidence.results.1): add it to the card",
			"field": "fairness.results",
		},
	}
}

test_evidence_result_not_in_card if {
	findings := rule.deny with input as with_evidence([ratio], results)
	findings == {{
		"msg": "fairness.results has no equal_opportunity_difference for age_band, which examples/fraud-detector/eval/fairness.json holds (fairness.evidence.results.1): add it to the card",
		"field": "fairness.results",
	}}
}

test_results_without_attribute_or_metric_are_not_compared if {
	odd := [{"metric": "x_ratio", "value": 1}, {"attribute": "sex", "metric": 3}, "sex", null]
	count(rule.deny) == 0 with input as with_evidence(array.concat(results, odd), results)
	count(rule.deny) == 0 with input as with_evidence(results, array.concat(odd, results))
}

test_empty_evidence_results_not_compared if {
	count(rule.deny) == 1 with input as with_evidence(results, [])
}

test_card_sample_sizes_agree_with_the_evidence if {
	raised := object.union(ratio, {"n": {"female": 5120, "male": 6011}})
	measured := object.union(ratio, {"n": {"female": 12, "male": 6011}})
	findings := rule.deny with input as with_evidence([raised, difference], [measured, difference])
	findings == {{
		"msg": "fairness.results.0.n.female 5120 (demographic_parity_ratio for sex) disagrees with examples/fraud-detector/eval/fairness.json, which has 12: copy the sample sizes from the evidence",
		"field": "fairness.results.0.n.female",
	}}
}

test_card_sample_sizes_cover_the_evidence_groups if {
	measured := object.union(ratio, {"n": {"female": 5120, "male": 6011, "other": 14}})
	findings := rule.deny with input as with_evidence(results, [measured, difference])
	findings == {{
		"msg": "fairness.results.0.n has no group other, which examples/fraud-detector/eval/fairness.json measured on 14 samples: copy the sample sizes from the evidence",
		"field": "fairness.results.0.n",
	}}
	fewer := object.union(object.remove(ratio, ["n"]), {"n": {"female": 5120}})
	fx.fields(rule.deny) == {"fairness.results.0.n.male"} with input as with_evidence(results, [fewer, difference])
}

test_sample_sizes_without_n_on_one_side_are_not_compared if {
	count(rule.deny) == 0 with input as with_evidence(results, [object.remove(ratio, ["n"]), difference])
}

# One input per check, each failing it.
failing := [
	with_evidence([object.union(ratio, {"n": {"female": 5120, "male": 6011}}), difference], [object.union(ratio, {"n": {"female": 12, "male": 6011}}), difference]),
	with_fairness(results, "eval/fairness.json"),
	with_fairness(results, [ratio]),
	with_fairness(results, {"results": []}),
	with_fairness(results, {"results": "sex: 0.91"}),
	with_evidence(results, [object.union(ratio, {"value": 0.7}), difference]),
	with_evidence(results, [ratio]),
	with_evidence([ratio], results),
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

test_missing_tier_judged_high if {
	fx.fields(rule.deny) == {"fairness.evidence"} with input as object.remove(json.remove(with_fairness(results, "eval/fairness.json"), ["record/risk"]), ["tier"])
}
