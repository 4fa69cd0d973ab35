package aimsgate.rules.human_oversight_controls_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.human_oversight_controls as rule

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_mode_none if {
	findings := rule.deny with input as fx.with_record({"human_oversight": {"mode": "none"}})
	findings == {{
		"msg": "human_oversight.mode is none: a high-risk system must be overseen by a human (in-the-loop, on-the-loop or in-command)",
		"field": "human_oversight.mode",
	}}
}

test_can_override_false if {
	findings := rule.deny with input as fx.with_record({"human_oversight": {"can_override": false}})
	findings == {{
		"msg": "human_oversight.can_override must be true for a high-risk system: the overseer can disregard, override or reverse its output",
		"field": "human_oversight.can_override",
	}}
}

test_can_stop_missing if {
	findings := rule.deny with input as fx.without(["human_oversight/can_stop"])
	findings == {{
		"msg": "human_oversight.can_stop must be true for a high-risk system: the overseer can interrupt it and bring it to a safe stop",
		"field": "human_oversight.can_stop",
	}}
}

test_can_stop_string_true_is_not_true if {
	fx.fields(rule.deny) == {"human_oversight.can_stop"} with input as fx.with_record({"human_oversight": {"can_stop": "true"}})
}

test_stop_mechanism_missing if {
	findings := rule.deny with input as fx.without(["human_oversight/stop_mechanism"])
	findings == {{
		"msg": "human_oversight.stop_mechanism is missing or says there is none: say how the system is stopped (e.g. a feature flag or kill switch)",
		"field": "human_oversight.stop_mechanism",
	}}
}

test_automation_bias_mitigation_blank if {
	fx.fields(rule.deny) == {"human_oversight.automation_bias_mitigation"} with input as fx.with_record({"human_oversight": {"automation_bias_mitigation": " "}})
}

# One finding for the missing block, not one per control at the same line.
test_missing_oversight_is_one_finding if {
	every inp in [fx.without(["human_oversight"]), fx.replacing("human_oversight", "yes"), fx.replacing("human_oversight", {})] {
		findings := rule.deny with input as inp
		findings == {{
			"msg": "human_oversight is missing: a high-risk system's oversight also needs can_override: true, can_stop: true, a stop_mechanism and an automation_bias_mitigation",
			"field": "human_oversight",
		}}
	}
}

test_off_below_high if {
	every t in ["limited", "minimal"] {
		count(rule.deny) == 0 with input as fx.at_tier_without(t, ["human_oversight"])
		count(rule.deny) == 0 with input as fx.at_tier_with(t, {"human_oversight": {"mode": "none"}})
	}
}

test_applies_to_prohibited_and_missing_tier if {
	fx.fields(rule.deny) == {"human_oversight"} with input as fx.at_tier_without("prohibited", ["human_oversight"])
	fx.fields(rule.deny) == {"human_oversight"} with input as object.remove(fx.without(["human_oversight", "risk"]), ["tier"])
}

test_a_stop_mechanism_or_mitigation_of_none_is_missing if {
	fx.fields(rule.deny) == {"human_oversight.stop_mechanism"} with input as fx.with_record({"human_oversight": {"stop_mechanism": "None"}})
	fx.fields(rule.deny) == {"human_oversight.automation_bias_mitigation"} with input as fx.with_record({"human_oversight": {"automation_bias_mitigation": "n/a"}})
}
