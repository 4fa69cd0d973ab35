package aimsgate.rules.intended_use_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.intended_use as rule

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_strings_pass if {
	count(rule.deny) == 0 with input as fx.with_record({"intended_use": {"primary": "Score transactions", "out_of_scope": "Account closure"}})
}

test_mct_description_entries_pass if {
	count(rule.deny) == 0 with input as fx.with_record({"intended_use": {
		"primary": [{"description": "Score transactions"}],
		"out_of_scope": [{"description": "Account closure"}],
	}})
}

test_missing_primary if {
	findings := rule.deny with input as fx.without(["intended_use/primary"])
	findings == {{
		"msg": "intended_use.primary is missing: state what the system is intended to be used for (or write a `## Uses` section)",
		"field": "intended_use.primary",
	}}
}

test_missing_out_of_scope if {
	findings := rule.deny with input as fx.without(["intended_use/out_of_scope"])
	findings == {{
		"msg": "intended_use.out_of_scope is missing: state what the system must not be used for (or write a `### Out-of-Scope Use` section)",
		"field": "intended_use.out_of_scope",
	}}
}

test_missing_intended_use if {
	fx.fields(rule.deny) == {"intended_use.primary", "intended_use.out_of_scope"} with input as fx.without(["intended_use"])
}

test_empty_list_and_blank_string if {
	fx.fields(rule.deny) == {"intended_use.primary", "intended_use.out_of_scope"} with input as fx.with_record({"intended_use": {"primary": [], "out_of_scope": " "}})
}

test_blank_entry if {
	findings := rule.deny with input as fx.with_record({"intended_use": {"out_of_scope": ["Account closure", ""]}})
	findings == {{"msg": "intended_use.out_of_scope.1 is blank: write the use, or remove the entry", "field": "intended_use.out_of_scope.1"}}
}

test_wrong_type_value if {
	fx.fields(rule.deny) == {"intended_use.primary"} with input as fx.with_record({"intended_use": {"primary": 7}})
}

test_wrong_type_intended_use if {
	findings := rule.deny with input as fx.with_record({"intended_use": "Score transactions"})
	findings == {{"msg": "intended_use must be a mapping with primary and out_of_scope (lists of uses)", "field": "intended_use"}}
}

test_applies_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		fx.fields(rule.deny) == {"intended_use.primary"} with input as fx.at_tier_without(t, ["intended_use/primary"])
	}
}
