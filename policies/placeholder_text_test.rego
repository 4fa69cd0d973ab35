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

# aimsgate says why a section is unfinished; the message says it too.
said(reason) := msgs if {
	msgs := fx.msgs(rule.deny) with input as fx.patched({"placeholder_sections": [{"file": "D.md", "title": "Purpose", "line": 4, "reason": reason}]})
}

test_placeholder_sections_say_why if {
	said("placeholder") == {"section \"Purpose\" of D.md holds placeholder text: write it, or remove the section if it does not apply"}
	said("empty") == {"section \"Purpose\" of D.md is empty: write it, or remove the section if it does not apply"}
	said("guidance") == {"section \"Purpose\" of D.md holds only the template's guidance (text in italics), no answer: write it, or remove the section if it does not apply"}
	said("other") == {"section \"Purpose\" of D.md holds placeholder text or nothing: write it, or remove the section if it does not apply"}
	said(3) == said("other")
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

# A document whose body is only a title: its content is in its front matter.
test_title_only_body_is_not_a_section_to_fill if {
	title := {"title": "Impact assessment", "level": 1, "line": 11, "text": ""}
	inp := fx.patched({
		"documents": {"impact_assessment": {"file": "IMPACT_ASSESSMENT.md", "sections": [title]}},
		"placeholder_sections": [{"file": "IMPACT_ASSESSMENT.md", "title": "Impact assessment", "line": 11}],
	})
	count(rule.deny) == 0 with input as inp
	card := fx.patched({
		"sections": [object.union(title, {"title": "Fraud Detector", "line": 5, "text": "\n"})],
		"placeholder_sections": [{"file": "examples/fraud-detector/MODEL_CARD.md", "title": "Fraud Detector", "line": 5}],
	})
	count(rule.deny) == 0 with input as card
}

test_title_only_body_with_filler_is_reported if {
	inp := fx.patched({
		"documents": {"impact_assessment": {"file": "IMPACT_ASSESSMENT.md", "sections": [{"title": "Impact assessment", "level": 1, "line": 11, "text": "TODO"}]}},
		"placeholder_sections": [{"file": "IMPACT_ASSESSMENT.md", "title": "Impact assessment", "line": 11}],
	})
	fx.msgs(rule.deny) == {"section \"Impact assessment\" of IMPACT_ASSESSMENT.md holds placeholder text or nothing: write it, or remove the section if it does not apply"} with input as inp
}

test_empty_section_among_others_is_reported if {
	inp := fx.patched({
		"documents": {"datasets.0.datasheet": {"file": "D.md", "sections": [
			{"title": "Datasheet", "level": 1, "line": 1, "text": "## Uses\n"},
			{"title": "Uses", "level": 2, "line": 2, "text": ""},
		]}},
		"placeholder_sections": [{"file": "D.md", "title": "Uses", "line": 2}],
	})
	fx.fields(rule.deny) == set() with input as inp
	count(rule.deny) == 1 with input as inp
}

test_odd_documents_and_sections if {
	every value in [null, 3, "x", [], {}, [3], [{"line": 1}]] {
		inp := fx.patched({
			"sections": value,
			"documents": {"a": value, "b": {"file": "a.md", "sections": value}},
			"placeholder_sections": [{"file": "a.md", "title": "x", "line": 1}],
		})
		count(rule.deny) >= 0 with input as inp
	}
	count(rule.deny) == 1 with input as object.union(fx.input_high, {"system": 3, "documents": 3, "placeholder_sections": [{"file": "a.md", "title": "x", "line": 1}]})
}

test_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		inp := fx.to_tier(fx.patched({"placeholders": ["limitations.0"], "placeholder_sections": [{"file": "a.md", "title": "Uses", "line": 3}]}), t)
		count(rule.deny) == 2 with input as inp
	}
}
