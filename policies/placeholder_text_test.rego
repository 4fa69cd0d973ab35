package aimsgate.rules.placeholder_text_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.placeholder_text as rule

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
	count(rule.deny) == 0 with input as object.remove(fx.input_high, ["placeholders", "placeholder_sections"])
}

test_placeholder_values if {
	findings := rule.deny with input as fx.patched({"placeholders": ["limitations.0", "owner.contact"]})
	findings == {
		{"msg": "limitations.0 holds placeholder text: write the real content, or remove it if it does not apply", "field": "limitations.0"},
		{"msg": "owner.contact holds placeholder text: write the real content, or remove it if it does not apply", "field": "owner.contact"},
	}
}

test_placeholder_sections if {
	inp := fx.patched({"placeholder_sections": [
		{"file": "examples/fraud-detector/MODEL_CARD.md", "title": "Out-of-Scope Use", "line": 41},
		{"file": "data/tx-2024/DATASHEET.md", "title": "Licensing \"Information\"", "line": 7},
	]})
	findings := rule.deny with input as inp
	findings == {
		{
			"msg": "section \"Out-of-Scope Use\" of examples/fraud-detector/MODEL_CARD.md holds placeholder text or nothing: write it, or remove the section if it does not apply",
			"file": "examples/fraud-detector/MODEL_CARD.md",
			"line": 41,
		},
		{
			"msg": "section \"Licensing \\\"Information\\\"\" of data/tx-2024/DATASHEET.md holds placeholder text or nothing: write it, or remove the section if it does not apply",
			"file": "data/tx-2024/DATASHEET.md",
			"line": 7,
		},
	}
}

test_section_without_title if {
	fx.msgs(rule.deny) == {"section \"\" of MODEL_CARD.md holds placeholder text or nothing: write it, or remove the section if it does not apply"} with input as fx.patched({"placeholder_sections": [{"file": "MODEL_CARD.md", "line": 3, "title": 3}]})
}

test_odd_entries_are_skipped if {
	inp := fx.patched({
		"placeholders": [3, "", null, {"path": "x"}],
		"placeholder_sections": [3, "x", {"file": "", "line": 3}, {"file": "a.md", "line": "3"}, {"title": "x"}],
	})
	count(rule.deny) == 0 with input as inp
	count(rule.deny) == 0 with input as fx.patched({"placeholders": "limitations.0", "placeholder_sections": {"file": "a.md", "line": 1}})
}

test_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		inp := fx.to_tier(fx.patched({"placeholders": ["limitations.0"], "placeholder_sections": [{"file": "a.md", "title": "Uses", "line": 3}]}), t)
		count(rule.deny) == 2 with input as inp
	}
}
