package aimsgate.rules.impact_assessment_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.impact_assessment as rule

ia := fx.record.impact_assessment

# with_ia(patch): the valid input with patch merged into the impact assessment.
with_ia(patch) := fx.with_record({"impact_assessment": patch})

# with_impacts(impacts): the valid input with the impacts replaced.
with_impacts(impacts) := with_ia({"impacts": impacts})

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_valid_limited_passes if {
	count(rule.deny) == 0 with input as fx.at_tier("limited")
}

test_missing if {
	findings := rule.deny with input as fx.without(["impact_assessment"])
	findings == {{
		"msg": "impact_assessment is missing: link the system's AI impact assessment (impact_assessment: IMPACT_ASSESSMENT.md) or write its keys inline",
		"field": "impact_assessment",
	}}
}

test_blank_path_is_missing if {
	fx.fields(rule.deny) == {"impact_assessment"} with input as fx.with_record({"impact_assessment": ""})
}

test_empty_mapping_is_missing if {
	fx.msgs(rule.deny) == {"impact_assessment is missing: link the system's AI impact assessment (impact_assessment: IMPACT_ASSESSMENT.md) or write its keys inline"} with input as fx.without(["impact_assessment/approved_by", "impact_assessment/approved_at", "impact_assessment/next_review", "impact_assessment/impacts"])
}

test_unread_path_reported_by_card_invalid if {
	count(rule.deny) == 0 with input as fx.patched({
		"record": {"impact_assessment": "IMPACT_ASSESSMENT.md"},
		"problems": [{"file": "examples/fraud-detector/MODEL_CARD.md", "line": 9, "field": "impact_assessment", "message": "IMPACT_ASSESSMENT.md does not exist"}],
	})
}

test_unread_path_without_problem if {
	findings := rule.deny with input as fx.with_record({"impact_assessment": "IMPACT_ASSESSMENT.md"})
	findings == {{
		"msg": "impact_assessment \"IMPACT_ASSESSMENT.md\" was not read: the linked document is missing or does not parse",
		"field": "impact_assessment",
	}}
}

test_wrong_type if {
	fx.fields(rule.deny) == {"impact_assessment"} with input as fx.with_record({"impact_assessment": ["a"]})
}

test_missing_approved_by if {
	findings := rule.deny with input as fx.without(["impact_assessment/approved_by"])
	findings == {{
		"msg": "impact_assessment.approved_by is missing: name who approved the impact assessment (e.g. the AI governance board)",
		"field": "impact_assessment.approved_by",
	}}
}

test_missing_approved_at if {
	fx.fields(rule.deny) == {"impact_assessment.approved_at"} with input as fx.without(["impact_assessment/approved_at"])
}

test_blank_approved_at if {
	fx.fields(rule.deny) == {"impact_assessment.approved_at"} with input as with_ia({"approved_at": " "})
}

test_missing_impacts if {
	findings := rule.deny with input as fx.without(["impact_assessment/impacts"])
	findings == {{
		"msg": "impact_assessment.impacts is missing: list the assessed impacts on individuals, groups and society, each with a mitigation",
		"field": "impact_assessment.impacts",
	}}
}

test_empty_impacts if {
	fx.fields(rule.deny) == {"impact_assessment.impacts"} with input as with_impacts([])
	count(rule.deny) == 1 with input as with_impacts([])
}

test_impacts_wrong_type if {
	fx.msgs(rule.deny) == {"impact_assessment.impacts must be a list of impacts ({scope, description, severity, mitigation, residual})"} with input as with_impacts({"individuals": "x"})
}

test_missing_scope_one_finding_each if {
	findings := rule.deny with input as with_impacts([ia.impacts[0]])
	findings == {
		{
			"msg": "impact_assessment.impacts has no impact on groups: assess the impacts on individuals, groups and society (scope: groups)",
			"field": "impact_assessment.impacts",
		},
		{
			"msg": "impact_assessment.impacts has no impact on society: assess the impacts on individuals, groups and society (scope: society)",
			"field": "impact_assessment.impacts",
		},
	}
}

test_scope_list_and_case if {
	count(rule.deny) == 0 with input as with_impacts([{"scope": ["Individuals", "groups"], "mitigation": "m"}, {"scope": " society", "mitigation": "m"}])
}

test_environment_scope_alone_does_not_cover if {
	count(rule.deny) == 3 with input as with_impacts([{"scope": "environment", "mitigation": "m"}])
}

test_impact_not_a_mapping if {
	fx.fields(rule.deny) == {"impact_assessment.impacts.3"} with input as with_impacts(array.concat(ia.impacts, ["oops"]))
}

test_missing_mitigation if {
	findings := rule.deny with input as fx.without(["impact_assessment/impacts/1/mitigation"])
	findings == {{
		"msg": "impact_assessment.impacts.1.mitigation is missing: say how the impact on groups is mitigated",
		"field": "impact_assessment.impacts.1.mitigation",
	}}
}

test_missing_mitigation_without_scope if {
	fx.msgs(rule.deny) == {"impact_assessment.impacts.3.mitigation is missing: say how the impact is mitigated"} with input as with_impacts(array.concat(ia.impacts, [{"description": "x"}]))
}

test_high_residual_needs_accepted_by if {
	findings := rule.deny with input as fx.without(["impact_assessment/impacts/2/accepted_by"])
	findings == {{
		"msg": "impact_assessment.impacts.2.accepted_by is missing: the residual risk of the impact on society is high, so name who accepted it",
		"field": "impact_assessment.impacts.2.accepted_by",
	}}
}

test_critical_residual_needs_accepted_by if {
	fx.fields(rule.deny) == {"impact_assessment.impacts.0.accepted_by"} with input as with_impacts(array.concat([object.union(ia.impacts[0], {"residual": "Critical"})], array.slice(ia.impacts, 1, 3)))
}

test_lower_residual_needs_no_accepted_by if {
	count(rule.deny) == 0 with input as fx.without(["impact_assessment/impacts/2/accepted_by", "impact_assessment/impacts/2/residual"])
}

# One input per check, each failing it.
failing := [
	fx.without(["impact_assessment"]),
	fx.with_record({"impact_assessment": "IMPACT_ASSESSMENT.md"}),
	fx.with_record({"impact_assessment": ["a"]}),
	fx.without(["impact_assessment/approved_by"]),
	fx.without(["impact_assessment/approved_at"]),
	fx.without(["impact_assessment/impacts"]),
	with_impacts({"individuals": "x"}),
	with_impacts([ia.impacts[0], ia.impacts[1]]),
	with_impacts(array.concat(ia.impacts, ["oops"])),
	fx.without(["impact_assessment/impacts/1/mitigation"]),
	fx.without(["impact_assessment/impacts/2/accepted_by"]),
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
	fx.fields(rule.deny) == {"impact_assessment"} with input as object.remove(fx.without(["impact_assessment", "risk"]), ["tier"])
}
