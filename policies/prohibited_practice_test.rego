package aimsgate.rules.prohibited_practice_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.prohibited_practice as rule

test_other_tiers_pass if {
	every t in ["high", "limited", "minimal"] {
		count(rule.deny) == 0 with input as fx.at_tier(t)
	}
}

test_missing_tier_passes if {
	count(rule.deny) == 0 with input as fx.without(["risk"])
}

test_prohibited_tier if {
	findings := rule.deny with input as fx.at_tier("prohibited")
	findings == {{
		"msg": "risk.tier is prohibited: the EU AI Act (Article 5) forbids placing this AI practice on the market or putting it into service",
		"field": "risk.tier",
	}}
}

test_prohibited_in_record_only if {
	# plain OPA / conftest: no input.tier
	count(rule.deny) == 1 with input as object.remove(fx.at_tier("prohibited"), ["tier"])
}

test_prohibited_in_input_tier_only if {
	count(rule.deny) == 1 with input as fx.patched({"tier": "prohibited"})
}
