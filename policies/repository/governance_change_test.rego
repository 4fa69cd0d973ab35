package aimsgate.repository.governance_change_test

import data.aimsgate.repository.governance_change as rule

commit := "0123456789abcdef0123456789abcdef01234567"

with_governance(g) := {"kind": "repository", "governance": object.union({"commit": commit, "files": [], "vanished": []}, g)}

test_nothing_changed_passes if {
	count(rule.deny) == 0 with input as with_governance({})
	count(rule.deny) == 0 with input as {"kind": "repository"}
}

test_a_configuration_key_at_its_line if {
	inp := with_governance({"files": [{"file": "aimsgate.toml", "kind": "config", "status": "modified", "line": 1, "changes": [{"field": "rules", "old": null, "new": {"owner": {"severity": "off"}}, "line": 4, "column": 2}]}]})
	rule.deny == {{
		"msg": "aimsgate.toml: rules changed since 0123456789ab (was nothing, now {\"owner\":{\"severity\":\"off\"}}): the base revision's configuration applies until a governance approver approves this change",
		"file": "aimsgate.toml",
		"line": 4,
		"column": 2,
	}} with input as inp
}

test_other_governance_files if {
	inp := with_governance({"files": [
		{"file": "policies/mine.rego", "kind": "policy", "status": "added", "line": 1},
		{"file": ".ignore", "kind": "ignore", "status": "added", "line": 1},
		{"file": "data/params.json", "kind": "data", "status": "modified", "line": 1},
		{"file": ".github/CODEOWNERS", "kind": "codeowners", "status": "deleted", "line": 1},
		{"file": "aimsgate-baseline.json", "kind": "baseline", "status": "modified", "line": 1},
		{"file": "aimsgate.toml", "kind": "config", "status": "modified", "line": 3, "changes": []},
	]})
	{f.msg | some f in rule.deny} == {
		"policies/mine.rego (a policy) added since 0123456789ab: the base revision's version applies until a governance approver approves this change",
		".ignore (an ignore file) added since 0123456789ab: an ignore file decides what discovery sees; the base revision's tracked files are checked whatever it says, until a governance approver approves this change",
		"data/params.json (a policy data file) modified since 0123456789ab: the base revision's version applies until a governance approver approves this change",
		".github/CODEOWNERS (CODEOWNERS) deleted since 0123456789ab: the base revision's version applies until a governance approver approves this change",
		"aimsgate-baseline.json (the baseline) modified since 0123456789ab: the base revision's version applies until a governance approver approves this change",
		"aimsgate.toml (the aimsgate configuration) modified since 0123456789ab: the base revision's version applies until a governance approver approves this change",
	} with input as inp
}

test_vanished_systems if {
	inp := with_governance({"vanished": [
		{"id": "credit", "card": "credit/model_card.yaml", "file": "credit/model_card.yaml", "reason": "hidden", "ml_files": []},
		{"id": "fraud", "card": "fraud/MODEL_CARD.md", "file": "fraud/train.py", "reason": "card-deleted", "ml_files": ["fraud/train.py", "fraud/model.onnx"]},
	]})
	{f.msg | some f in rule.deny} == {
		"the AI system credit (card credit/model_card.yaml at 0123456789ab) is no longer discovered although credit/model_card.yaml is still there (excluded, renamed or its model metadata removed): a governance approver must approve removing a system from the gate",
		"the AI system fraud (card fraud/MODEL_CARD.md at 0123456789ab) lost its card while its ML code remains (fraud/train.py, fraud/model.onnx): a governance approver must approve removing a system from the gate",
	} with input as inp
	{f.file | some f in rule.deny} == {"credit/model_card.yaml", "fraud/train.py"} with input as inp
}

test_without_a_commit if {
	inp := {"kind": "repository", "governance": {"files": [{"file": ".ignore", "kind": "ignore", "status": "added", "line": 1}]}}
	{f.msg | some f in rule.deny} == {".ignore (an ignore file) added since the base revision: an ignore file decides what discovery sees; the base revision's tracked files are checked whatever it says, until a governance approver approves this change"} with input as inp
}
