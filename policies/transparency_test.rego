package aimsgate.rules.transparency_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.transparency as rule

limited := fx.at_tier("limited")

test_valid_limited_passes if {
	count(rule.deny) == 0 with input as limited
}

test_missing if {
	findings := rule.deny with input as fx.at_tier_without("limited", ["transparency"])
	findings == {{
		"msg": "transparency is missing: a limited-risk system must say how people are told they are interacting with AI or AI-generated content (transparency.disclosure)",
		"field": "transparency",
	}}
}

test_wrong_type if {
	fx.msgs(rule.deny) == {"transparency must be a mapping with disclosure"} with input as fx.at_tier_with("limited", {"transparency": true})
}

test_missing_disclosure if {
	findings := rule.deny with input as fx.at_tier_with("limited", {"transparency": {"disclosure": null, "notes": "x"}})
	findings == {{
		"msg": "transparency.disclosure is missing: say how people are told they are interacting with AI or AI-generated content",
		"field": "transparency.disclosure",
	}}
}

test_blank_disclosure if {
	fx.fields(rule.deny) == {"transparency.disclosure"} with input as fx.at_tier_with("limited", {"transparency": {"disclosure": "  "}})
}

# One input per check, each failing it at limited tier.
failing := [
	fx.at_tier_without("limited", ["transparency"]),
	fx.at_tier_with("limited", {"transparency": true}),
	fx.at_tier_with("limited", {"transparency": {"disclosure": " "}}),
]

test_failing_inputs_fail_at_limited if {
	every inp in failing {
		count(rule.deny) == 1 with input as inp
	}
}

test_off_for_other_tiers if {
	every t in ["high", "minimal", "prohibited"] {
		every inp in failing {
			count(rule.deny) == 0 with input as fx.to_tier(inp, t)
		}
	}
}

test_off_when_tier_missing if {
	# judged as high
	count(rule.deny) == 0 with input as object.remove(fx.without(["transparency", "risk"]), ["tier"])
}

test_limited_from_record_without_input_tier if {
	fx.fields(rule.deny) == {"transparency"} with input as object.remove(fx.at_tier_without("limited", ["transparency"]), ["tier"])
}
