package aimsgate.repository.model_card_missing_test

import data.aimsgate.repository.model_card_missing as rule

repo_input(files) := {
	"kind": "repository",
	"ml_files_without_card": files,
	"now": "2026-11-29",
	"params": {},
}

test_no_files_passes if {
	count(rule.deny) == 0 with input as repo_input([])
}

test_absent_list_passes if {
	count(rule.deny) == 0 with input as {"kind": "repository"}
}

test_one_finding_per_file if {
	findings := rule.deny with input as repo_input([{"file": "src/train.py"}, {"file": "models/model.onnx"}])
	findings == {
		{"msg": "ML code with no model card in its directory or any parent directory", "file": "src/train.py", "line": 1},
		{"msg": "ML code with no model card in its directory or any parent directory", "file": "models/model.onnx", "line": 1},
	}
}

test_plain_string_entries if {
	{f.file | some f in rule.deny} == {"notebooks/explore.ipynb"} with input as repo_input(["notebooks/explore.ipynb"])
}

test_entries_without_a_file_are_ignored if {
	count(rule.deny) == 0 with input as repo_input([{"file": ""}, {}, 3])
}

test_weights_and_training_code_below_another_card if {
	findings := rule.deny with input as repo_input([{"file": "models/fraud/v2/train.py", "system_dir": "models/fraud/v2", "covered_by": "models/fraud/MODEL_CARD.md"}])
	findings == {{
		"msg": "ML code with no model card: models/fraud/v2 holds model weights and the code that trained them, so it is a model of its own, which the card models/fraud/MODEL_CARD.md does not cover; give it its own card",
		"file": "models/fraud/v2/train.py",
		"line": 1,
	}}
}
