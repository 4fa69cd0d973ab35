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

# impact(scope): a complete impact on scope.
impact(scope) := {"scope": scope, "description": "Some harm to people", "severity": "medium", "mitigation": "Reviewed by an analyst", "residual": "low"}

test_scope_case_and_list_of_one if {
	count(rule.deny) == 0 with input as with_impacts([impact("Individuals"), impact(["groups"]), impact(" society")])
}

test_scope_list_counts_for_no_scope if {
	findings := rule.deny with input as with_impacts([impact(["individuals", "groups"]), impact("society")])
	findings == {
		{
			"msg": "impact_assessment.impacts has no impact on individuals of its own (one impact lists it with other scopes: give each scope its own description and mitigation): assess the impacts on individuals, groups and society (scope: individuals)",
			"field": "impact_assessment.impacts",
		},
		{
			"msg": "impact_assessment.impacts has no impact on groups of its own (one impact lists it with other scopes: give each scope its own description and mitigation): assess the impacts on individuals, groups and society (scope: groups)",
			"field": "impact_assessment.impacts",
		},
	}
}

test_environment_scope_alone_does_not_cover if {
	count(rule.deny) == 3 with input as with_impacts([impact("environment")])
}

test_impact_not_a_mapping if {
	fx.fields(rule.deny) == {"impact_assessment.impacts.3"} with input as with_impacts(array.concat(ia.impacts, ["oops"]))
}

test_missing_mitigation if {
	findings := rule.deny with input as fx.without(["impact_assessment/impacts/1/mitigation"])
	findings == {{
		"msg": "impact_assessment.impacts.1.mitigation is missing: say how the harm is mitigated (impact on groups)",
		"field": "impact_assessment.impacts.1.mitigation",
	}}
}

test_each_impact_key_is_required if {
	fx.fields(rule.deny) == {"impact_assessment.impacts.0.scope", "impact_assessment.impacts"} with input as fx.without(["impact_assessment/impacts/0/scope"])
	every key in ["description", "severity", "mitigation", "residual"] {
		fx.fields(rule.deny) == {sprintf("impact_assessment.impacts.0.%s", [key])} with input as fx.without([sprintf("impact_assessment/impacts/0/%s", [key])])
	}
}

test_missing_keys_without_scope if {
	fx.msgs(rule.deny) == {
		"impact_assessment.impacts.3.scope is missing: say who is affected (individuals, groups or society)",
		"impact_assessment.impacts.3.severity is missing: rate how severe the harm is (low, medium, high or unacceptable)",
		"impact_assessment.impacts.3.mitigation is missing: say how the harm is mitigated",
		"impact_assessment.impacts.3.residual is missing: rate the risk that remains after mitigation (low, medium, high or unacceptable)",
	} with input as with_impacts(array.concat(ia.impacts, [{"description": "Some harm to people"}]))
}

test_one_word_answers_are_not_answers if {
	findings := rule.deny with input as with_impacts([object.union(impact("individuals"), {"description": "Harm.", "mitigation": ["Mitigated"]}), impact("groups"), impact("society")])
	findings == {
		{
			"msg": "impact_assessment.impacts.0.description \"Harm.\" is not an answer: describe the harm in a sentence or more (impact on individuals)",
			"field": "impact_assessment.impacts.0.description",
		},
		{
			"msg": "impact_assessment.impacts.0.mitigation [\"Mitigated\"] is not an answer: say how the harm is mitigated (impact on individuals)",
			"field": "impact_assessment.impacts.0.mitigation",
		},
	}
}

test_none_is_no_mitigation if {
	fx.fields(rule.deny) == {"impact_assessment.impacts.0.mitigation"} with input as with_impacts([object.union(impact("individuals"), {"mitigation": "None."}), impact("groups"), impact("society")])
}

test_mitigation_list_of_sentences if {
	count(rule.deny) == 0 with input as with_impacts([object.union(impact("individuals"), {"mitigation": ["Analyst review", {"description": "Appeals within 14 days"}]}), impact("groups"), impact("society")])
}

test_ratings if {
	findings := rule.deny with input as with_impacts([object.union(impact("individuals"), {"severity": "bad", "residual": 3}), impact("groups"), impact("society")])
	findings == {
		{
			"msg": "impact_assessment.impacts.0.severity \"bad\" is not a rating: write low, medium, high or unacceptable (impact on individuals)",
			"field": "impact_assessment.impacts.0.severity",
		},
		{
			"msg": "impact_assessment.impacts.0.residual 3 is not a rating: write low, medium, high or unacceptable (impact on individuals)",
			"field": "impact_assessment.impacts.0.residual",
		},
	}
	count(rule.deny) == 0 with input as with_impacts([object.union(impact("individuals"), {"severity": "Very High", "residual": "MEDIUM"}), impact("groups"), impact("society")])
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

test_unacceptable_residual_in_any_case_needs_accepted_by if {
	every residual in ["unacceptable", "Unacceptable", "UNACCEPTABLE", "very_high"] {
		fx.fields(rule.deny) == {"impact_assessment.impacts.0.accepted_by"} with input as with_impacts([object.union(impact("individuals"), {"residual": residual}), impact("groups"), impact("society")])
	}
}

test_lower_residual_needs_no_accepted_by if {
	count(rule.deny) == 0 with input as fx.with_record({"impact_assessment": {"impacts": [ia.impacts[0], ia.impacts[1], object.remove(object.union(ia.impacts[2], {"residual": "medium"}), ["accepted_by"])]}})
}

test_acceptance_by_nobody_is_none if {
	every acceptor in ["n/a", "me", "None"] {
		fx.fields(rule.deny) == {"impact_assessment.impacts.0.accepted_by"} with input as with_impacts([object.union(impact("individuals"), {"residual": "high", "accepted_by": acceptor}), impact("groups"), impact("society")])
	}
}

test_owner_accepts_no_risk_of_their_own if {
	findings := rule.deny with input as with_impacts([object.union(impact("individuals"), {"residual": "high", "accepted_by": "risk ml team "}), impact("groups"), impact("society")])
	findings == {{
		"msg": "impact_assessment.impacts.0.accepted_by \"risk ml team \" is the system's owner: a residual risk is accepted by someone accountable for the risk, not the team that builds the system",
		"field": "impact_assessment.impacts.0.accepted_by",
	}}
}

test_owner_approves_no_assessment_of_their_own if {
	findings := rule.deny with input as with_ia({"approved_by": "Risk ML Team"})
	findings == {{
		"msg": "impact_assessment.approved_by \"Risk ML Team\" is the system's owner: the impact assessment is approved by someone other than the team that builds the system (ISO/IEC 42001 A.5.2)",
		"field": "impact_assessment.approved_by",
	}}
	fx.fields(rule.deny) == {"impact_assessment.approved_by"} with input as fx.patched({"record": {"owner": "Risk ML Team", "impact_assessment": {"approved_by": "Risk ML Team"}}})
}

test_approval_by_nobody_is_none if {
	fx.msgs(rule.deny) == {"impact_assessment.approved_by \"nobody\" is not an approver: name who approved the impact assessment (e.g. the AI governance board)"} with input as with_ia({"approved_by": "nobody"})
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
	fx.without(["impact_assessment/impacts/0/severity"]),
	with_ia({"approved_by": "Risk ML Team"}),
	with_impacts([ia.impacts[0], ia.impacts[1], impact(["society", "groups"])]),
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
