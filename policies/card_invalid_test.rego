package aimsgate.rules.card_invalid_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.card_invalid as rule

test_no_problems_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_absent_problems_passes if {
	count(rule.deny) == 0 with input as {"kind": "system", "record": {}}
}

test_problem_with_field if {
	findings := rule.deny with input as fx.patched({"problems": [{
		"file": "examples/fraud-detector/MODEL_CARD.md", "line": 12, "column": 1,
		"field": "impact_assessment",
		"message": "impact_assessment: IMPACT_ASSESSMENT.md does not exist",
	}]})
	findings == {{
		"msg": "impact_assessment: IMPACT_ASSESSMENT.md does not exist",
		"file": "examples/fraud-detector/MODEL_CARD.md",
		"line": 12,
		"column": 1,
		"field": "impact_assessment",
	}}
}

test_problem_without_field if {
	findings := rule.deny with input as fx.patched({"problems": [{
		"file": "examples/fraud-detector/MODEL_CARD.md", "line": 3, "column": 7,
		"message": "front matter: mapping values are not allowed here",
	}]})
	findings == {{
		"msg": "front matter: mapping values are not allowed here",
		"file": "examples/fraud-detector/MODEL_CARD.md",
		"line": 3,
		"column": 7,
	}}
}

test_null_field_is_left_out if {
	findings := rule.deny with input as fx.patched({"problems": [{"file": "a/MODEL_CARD.md", "line": 1, "field": null, "message": "bad"}]})
	findings == {{"msg": "bad", "file": "a/MODEL_CARD.md", "line": 1}}
}

test_one_finding_per_problem if {
	count(rule.deny) == 2 with input as fx.patched({"problems": [
		{"file": "a/MODEL_CARD.md", "line": 1, "message": "one"},
		{"file": "a/eval/fairness.json", "line": 4, "field": "fairness.evidence", "message": "two"},
	]})
}

test_problem_without_message if {
	findings := rule.deny with input as fx.patched({"problems": [{"file": "a/MODEL_CARD.md"}]})
	findings == {{"msg": "the card or a document it links could not be read", "file": "a/MODEL_CARD.md"}}
}

test_applies_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		count(rule.deny) == 1 with input as object.union(fx.at_tier(t), {"problems": [{"file": "x", "line": 1, "message": "m"}]})
	}
}
