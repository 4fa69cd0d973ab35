package aimsgate.repository.model_card_missing_test

import data.aimsgate.repository.model_card_missing as rule

repo_input(systems) := {
	"kind": "repository",
	"systems_without_card": systems,
	"now": "2026-11-29",
	"params": {},
}

screening := {
	"dir": ".",
	"file": "screen.py",
	"line": 9,
	"column": 12,
	"files": [
		{"file": "model.py", "seen": "imports sklearn; trains with LogisticRegression().fit at 12"},
		{"file": "screen.py", "seen": "imports openai; calls chat.completions.create at 9"},
	],
}

test_no_systems_passes if {
	count(rule.deny) == 0 with input as repo_input([])
}

test_absent_list_passes if {
	count(rule.deny) == 0 with input as {"kind": "repository"}
}

test_one_finding_per_system_naming_every_file if {
	findings := rule.deny with input as repo_input([screening])
	findings == {{
		"msg": "AI system with no model card: the repository holds model.py (imports sklearn; trains with LogisticRegression().fit at 12), screen.py (imports openai; calls chat.completions.create at 9)",
		"key": "system .",
		"file": "screen.py",
		"line": 9,
		"column": 12,
	}}
}

test_a_project_directory_is_named if {
	findings := rule.deny with input as repo_input([{"dir": "svc", "file": "svc/a.py", "line": 3, "column": 1, "files": [{"file": "svc/a.py"}]}])
	{f.msg | some f in findings} == {"AI system with no model card: svc/ holds svc/a.py"}
}

test_long_listings_are_cut if {
	files := [{"file": sprintf("f%d.py", [i]), "seen": "x"} | some i in numbers.range(1, 7)]
	findings := rule.deny with input as repo_input([{"dir": ".", "file": "f1.py", "line": 1, "column": 1, "files": files}])
	some f in findings
	endswith(f.msg, "f5.py (x) and 2 more files")
}

test_entries_without_a_file_are_ignored if {
	count(rule.deny) == 0 with input as repo_input([{"dir": "x"}, {}, 3, {"file": "", "dir": "."}])
}

test_bad_positions_fall_back_to_line_1 if {
	findings := rule.deny with input as repo_input([{"dir": ".", "file": "a.py", "line": "x", "column": -1, "files": []}])
	some f in findings
	f.line == 1
	f.column == 1
}

test_weights_and_training_code_below_another_card if {
	findings := rule.deny with input as repo_input([{
		"dir": "models/fraud/v2",
		"covered_by": "models/fraud/MODEL_CARD.md",
		"file": "models/fraud/v2/train.py",
		"line": 4,
		"column": 1,
		"files": [{"file": "models/fraud/v2/train.py", "seen": "trains with lgb.train at 4"}],
	}])
	findings == {{
		"msg": "AI system with no model card: models/fraud/v2 holds model weights and the code that trained them, so it is a model of its own, which the card models/fraud/MODEL_CARD.md does not cover; give it its own card (models/fraud/v2/train.py (trains with lgb.train at 4))",
		"key": "system models/fraud/v2",
		"file": "models/fraud/v2/train.py",
		"line": 4,
		"column": 1,
	}}
}
