package aimsgate.rules.limitations_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.limitations as rule

test_valid_list_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_string_passes if {
	count(rule.deny) == 0 with input as fx.with_record({"limitations": "Lower recall on new merchants.\n"})
}

test_missing if {
	findings := rule.deny with input as fx.without(["limitations"])
	findings == {{
		"msg": "limitations is missing: state the system's known limitations (where it performs worse, for whom, when not to rely on it), or write a `## Limitations` section",
		"field": "limitations",
	}}
}

test_empty_list if {
	fx.fields(rule.deny) == {"limitations"} with input as fx.with_record({"limitations": []})
}

test_blank_string if {
	fx.fields(rule.deny) == {"limitations"} with input as fx.with_record({"limitations": "\n  "})
}

test_blank_entry if {
	fx.fields(rule.deny) == {"limitations.0"} with input as fx.with_record({"limitations": [" ", "Lower recall"]})
}

test_wrong_type if {
	findings := rule.deny with input as fx.with_record({"limitations": true})
	findings == {{"msg": "limitations must be a text or a list of texts", "field": "limitations"}}
}

test_applies_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		fx.fields(rule.deny) == {"limitations"} with input as fx.at_tier_without(t, ["limitations"])
	}
}

test_entry_that_is_not_text if {
	findings := rule.deny with input as fx.with_record({"limitations": ["Lower recall", {"severity": "high"}]})
	findings == {{"msg": "limitations.1 is not a text: write the limitation, or remove the entry", "field": "limitations.1"}}
}
