package aimsgate.rules.bias_evaluation_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.bias_evaluation as rule

results := fx.record.fairness.results

# with_fairness(fairness): the valid input with record.fairness replaced.
with_fairness(fairness) := fx.replacing("fairness", fairness)

not_applicable := {"justification": "Scores machine telemetry; no data about people", "approved_by": "AI Governance Board"}

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_results_from_evidence_pass if {
	count(rule.deny) == 0 with input as with_fairness({
		"protected_attributes": ["sex", "age_band"],
		"evidence": {"results": results},
	})
}

# A valid not_applicable is reported once, as an accepted exception (waived
# by aimsgate, its approval a claim), never as a plain pass.
test_not_applicable_is_an_accepted_exception if {
	findings := rule.deny with input as with_fairness({"not_applicable": not_applicable})
	count(findings) == 1
	some f in findings
	f.field == "fairness.not_applicable"
	f.accepted.by == not_applicable.approved_by
	f.accepted.field == "fairness.not_applicable"
}

test_missing_fairness if {
	findings := rule.deny with input as fx.without(["fairness"])
	findings == {{
		"msg": "fairness is missing: the system affects people, so list fairness.protected_attributes with a bias test result for each, or declare fairness.not_applicable with justification and approved_by",
		"field": "fairness",
	}}
}

test_fairness_wrong_type if {
	fx.fields(rule.deny) == {"fairness"} with input as fx.with_record({"fairness": "tested"})
}

test_missing_protected_attributes if {
	findings := rule.deny with input as fx.without(["fairness/protected_attributes"])
	findings == {{
		"msg": "fairness.protected_attributes is missing: list the protected attributes (e.g. sex, age_band) the system was tested for, or declare fairness.not_applicable with justification and approved_by",
		"field": "fairness.protected_attributes",
	}}
}

test_protected_attributes_wrong_type if {
	fx.fields(rule.deny) == {"fairness.protected_attributes"} with input as fx.with_record({"fairness": {"protected_attributes": {"sex": true}}})
}

test_protected_attribute_not_a_name if {
	fx.fields(rule.deny) == {"fairness.protected_attributes.1"} with input as with_fairness({"protected_attributes": ["sex", 3], "results": [results[0]]})
}

test_single_attribute_string if {
	count(rule.deny) == 0 with input as with_fairness({"protected_attributes": "Sex", "results": [results[0]]})
}

test_result_for_an_undeclared_attribute if {
	findings := rule.deny with input as fx.with_record({"fairness": {"protected_attributes": ["sex"]}})
	findings == {{
		"msg": "fairness.results.1.attribute \"age_band\" is not among fairness.protected_attributes: declare it as a protected attribute, or correct the result's attribute",
		"field": "fairness.results.1.attribute",
	}}
}

test_result_for_an_undeclared_attribute_in_the_evidence if {
	fx.fields(rule.deny) == {"fairness.evidence.results.1.attribute"} with input as with_fairness({"protected_attributes": ["sex"], "evidence": {"results": results}})
}

test_attributes_compare_without_case if {
	count(rule.deny) == 0 with input as fx.with_record({"fairness": {"protected_attributes": ["Sex", " AGE_BAND"]}})
}

test_result_without_attribute if {
	findings := rule.deny with input as with_fairness({"protected_attributes": ["sex", "age_band"], "results": array.concat(results, [object.remove(results[0], ["attribute"])])})
	findings == {{
		"msg": "fairness.results.2.attribute is missing: name the protected attribute the result was measured on (one of age_band, sex)",
		"field": "fairness.results.2",
	}}
}

test_not_applicable_needs_a_justification_in_words if {
	every justification in ["x", ".", "n/a", "None", "Telemetry"] {
		fx.fields(rule.deny) == {"fairness.not_applicable.justification"} with input as with_fairness({"not_applicable": {"justification": justification, "approved_by": "AI Governance Board"}})
	}
}

test_not_applicable_needs_an_approver_other_than_the_owner if {
	findings := rule.deny with input as with_fairness({"not_applicable": {"justification": not_applicable.justification, "approved_by": "Risk ML Team"}})
	findings == {{
		"msg": "fairness.not_applicable.approved_by \"Risk ML Team\" is the system's owner: skipping the bias evaluation is approved by someone other than the team that builds the system",
		"field": "fairness.not_applicable.approved_by",
	}}
	fx.msgs(rule.deny) == {"fairness.not_applicable.approved_by \"me\" is not an approver: name who approved skipping the bias evaluation"} with input as with_fairness({"not_applicable": {"justification": not_applicable.justification, "approved_by": "me"}})
}

test_attribute_without_result if {
	findings := rule.deny with input as fx.with_record({"fairness": {"results": [results[0]]}})
	findings == {{
		"msg": "fairness.results has no result for protected attribute age_band: add a bias test result with attribute: age_band",
		"field": "fairness.results",
	}}
}

test_no_results_one_finding_per_attribute if {
	count(rule.deny) == 2 with input as fx.without(["fairness/results"])
}

test_attribute_without_result_in_evidence if {
	findings := rule.deny with input as with_fairness({
		"protected_attributes": ["sex", "age_band", "ethnicity"],
		"evidence": {"results": results},
	})
	findings == {{
		"msg": "fairness.evidence.results has no result for protected attribute ethnicity: add a bias test result with attribute: ethnicity",
		"field": "fairness.evidence.results",
	}}
}

test_results_wrong_type if {
	fx.fields(rule.deny) == {"fairness.results"} with input as fx.with_record({"fairness": {"results": {"sex": 0.9}}})
	count(rule.deny) == 3 with input as fx.with_record({"fairness": {"results": {"sex": 0.9}}})
}

test_unread_evidence_reported_by_card_invalid if {
	count(rule.deny) == 0 with input as fx.patched({
		"record": {"fairness": {"protected_attributes": ["sex"], "results": null, "evidence": "eval/fairness.json"}},
		"problems": [{"file": "a/MODEL_CARD.md", "line": 20, "field": "fairness.evidence", "message": "eval/fairness.json does not exist"}],
	})
}

test_unread_evidence_without_problem if {
	findings := rule.deny with input as with_fairness({"protected_attributes": ["sex"], "evidence": "eval/fairness.json"})
	findings == {{
		"msg": "fairness.evidence \"eval/fairness.json\" was not read: the linked file is missing or does not parse",
		"field": "fairness.evidence",
	}}
}

test_unread_evidence_with_inline_results if {
	count(rule.deny) == 0 with input as fx.with_record({"fairness": {"evidence": "eval/fairness.json"}})
}

test_not_applicable_without_approver if {
	findings := rule.deny with input as with_fairness({"not_applicable": {"justification": "No people"}})
	findings == {{
		"msg": "fairness.not_applicable.approved_by is missing: name who approved skipping the bias evaluation",
		"field": "fairness.not_applicable.approved_by",
	}}
}

test_not_applicable_without_justification if {
	fx.fields(rule.deny) == {"fairness.not_applicable.justification"} with input as with_fairness({"not_applicable": {"approved_by": "Board", "justification": " "}})
}

test_not_applicable_true if {
	fx.fields(rule.deny) == {"fairness.not_applicable"} with input as with_fairness({"not_applicable": true})
}

test_not_applicable_false_is_not_declared if {
	fx.fields(rule.deny) == {"fairness.protected_attributes"} with input as with_fairness({"not_applicable": false})
}

test_off_when_not_affecting_people if {
	count(rule.deny) == 0 with input as fx.to_tier(fx.without(["fairness"]), "limited") with input.record.risk.affects_people as false
}

# A high-risk system affects people whatever its card says.
test_high_risk_cannot_opt_out_by_affects_people if {
	fx.fields(rule.deny) == {"fairness"} with input as fx.without(["fairness"]) with input.record.risk.affects_people as false
}

test_affects_people_defaults_to_true if {
	fx.fields(rule.deny) == {"fairness"} with input as fx.without(["fairness", "risk/affects_people"])
	fx.fields(rule.deny) == {"fairness"} with input as fx.without(["fairness", "risk"])
	fx.fields(rule.deny) == {"fairness"} with input as fx.without(["fairness"]) with input.record.risk.affects_people as null
}

# One input per check, each failing it.
failing := [
	fx.without(["fairness"]),
	fx.with_record({"fairness": "tested"}),
	with_fairness({"not_applicable": true}),
	with_fairness({"not_applicable": {"justification": "No people"}}),
	with_fairness({"not_applicable": {"justification": "x", "approved_by": "AI Governance Board"}}),
	with_fairness({"not_applicable": {"justification": not_applicable.justification, "approved_by": "Risk ML Team"}}),
	fx.with_record({"fairness": {"protected_attributes": ["sex"]}}),
	fx.without(["fairness/protected_attributes"]),
	with_fairness({"protected_attributes": {"sex": true}, "results": results}),
	with_fairness({"protected_attributes": ["sex", "age_band", 3], "results": results}),
	fx.with_record({"fairness": {"results": {"sex": 0.9}, "protected_attributes": []}}),
	fx.with_record({"fairness": {"results": [results[0]]}}),
	with_fairness({"protected_attributes": ["sex"], "evidence": "eval/fairness.json"}),
]

test_failing_inputs_fail_at_high_limited_and_prohibited if {
	every t in ["high", "limited", "prohibited"] {
		every inp in failing {
			count(rule.deny) > 0 with input as fx.to_tier(inp, t)
		}
	}
}

test_off_for_minimal if {
	every inp in failing {
		count(rule.deny) == 0 with input as fx.to_tier(inp, "minimal")
	}
}

test_off_when_not_affecting_people_for_every_check if {
	every inp in failing {
		count(rule.deny) == 0 with input as object.union(fx.to_tier(inp, "limited"), {"record": {"risk": {"affects_people": false}}})
	}
}
