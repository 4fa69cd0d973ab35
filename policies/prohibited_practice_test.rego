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

uses(primary) := json.patch(fx.at_tier("minimal"), [{"op": "replace", "path": "/record/intended_use/primary", "value": primary}])

test_article_5_uses_fail_whatever_the_tier if {
	fx.msgs(rule.deny) == {"intended_use.primary \"rank citizens by a social score\" is social scoring (Art. 5(1)(c)), which the EU AI Act forbids whatever risk.tier says"} with input as uses(["Rank citizens by a social score"])
	fx.fields(rule.deny) == {"intended_use.primary"} with input as uses(["Emotion recognition of employees in meetings"])
	fx.fields(rule.deny) == {"intended_use.primary"} with input as uses(["Scrape facial images from social media"])
	fx.fields(rule.deny) == {"intended_use.primary"} with input as uses(["Predict whether a person will commit a crime"])
	fx.fields(rule.deny) == {"intended_use.primary"} with input as uses(["Infer political opinion from photos"])
	fx.fields(rule.deny) == {"intended_use.primary"} with input as uses(["Subliminal cues in the checkout"])
	fx.fields(rule.deny) == {"intended_use.primary"} with input as uses(["Detect the emotions of students in class"])
}

test_out_of_scope_and_ordinary_uses_pass if {
	inp := json.patch(uses(["Quarantine bulk email"]), [{"op": "replace", "path": "/record/intended_use/out_of_scope", "value": ["Social scoring", "Emotion recognition of employees"]}])
	count(rule.deny) == 0 with input as inp
}
