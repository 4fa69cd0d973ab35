package aimsgate.rules.human_oversight_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.human_oversight as rule

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_every_mode_passes if {
	every mode in ["in-the-loop", "on-the-loop", "in-command", "none"] {
		count(rule.deny) == 0 with input as fx.with_record({"human_oversight": {"mode": mode}})
	}
}

test_missing if {
	findings := rule.deny with input as fx.without(["human_oversight"])
	findings == {{
		"msg": "human_oversight is missing: declare human_oversight.mode (in-the-loop, on-the-loop, in-command or none) and human_oversight.overseer",
		"field": "human_oversight",
	}}
}

test_wrong_type if {
	fx.msgs(rule.deny) == {"human_oversight must be a mapping with mode and overseer"} with input as fx.with_record({"human_oversight": "analysts review"})
}

test_missing_mode if {
	findings := rule.deny with input as fx.without(["human_oversight/mode"])
	findings == {{
		"msg": "human_oversight.mode is missing: say how humans oversee the system (in-the-loop, on-the-loop, in-command or none)",
		"field": "human_oversight.mode",
	}}
}

test_invalid_mode if {
	findings := rule.deny with input as fx.with_record({"human_oversight": {"mode": "human-in-the-loop"}})
	findings == {{
		"msg": "human_oversight.mode \"human-in-the-loop\" is not an oversight mode: write one of in-the-loop, on-the-loop, in-command or none",
		"field": "human_oversight.mode",
	}}
}

test_missing_overseer if {
	findings := rule.deny with input as fx.without(["human_oversight/overseer"])
	findings == {{
		"msg": "human_oversight.overseer is missing or names no one: name the role or team that oversees the system's outputs",
		"field": "human_oversight.overseer",
	}}
}

test_blank_overseer if {
	fx.fields(rule.deny) == {"human_oversight.overseer"} with input as fx.with_record({"human_oversight": {"overseer": ""}})
}

test_applies_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		fx.fields(rule.deny) == {"human_oversight.mode", "human_oversight.overseer"} with input as fx.at_tier_without(t, ["human_oversight/mode", "human_oversight/overseer"])
	}
}

test_an_overseer_named_none_is_no_overseer if {
	every nobody in ["none", "Nobody", "N/A", "no one.", "-"] {
		fx.fields(rule.deny) == {"human_oversight.overseer"} with input as fx.with_record({"human_oversight": {"overseer": nobody}})
	}
	count(rule.deny) == 0 with input as fx.with_record({"human_oversight": {"overseer": "Nonetheless team"}})
}
