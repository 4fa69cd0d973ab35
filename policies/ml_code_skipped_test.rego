package aimsgate.repository.ml_code_skipped_test

import data.aimsgate.repository.ml_code_skipped as rule

repo_input(skipped) := {"kind": "repository", "skipped": skipped, "now": "2026-11-29", "params": {}}

test_nothing_skipped_passes if {
	count(rule.deny) == 0 with input as repo_input([])
	count(rule.deny) == 0 with input as {"kind": "repository"}
}

test_one_note_per_directory if {
	findings := rule.deny with input as repo_input([
		{"dir": "third_party/ranker", "hidden_by": "third_party", "files": ["third_party/ranker/model.onnx"]},
		{"dir": ".experiments/v2", "hidden_by": ".experiments", "files": ["a", "b", "c", "d"]},
		{"dir": "vendor/x", "hidden_by": "vendor", "files": ["vendor/x/MODEL_CARD.md", "vendor/x/train.py"]},
	])
	findings == {
		{
			"msg": "not checked: git tracks third_party/ranker/model.onnx in third_party/ranker, but third_party is a vendored directory, which discovery skips; add it to [discovery] include if it is the repository's own, or to [discovery] exclude if it is not",
			"file": "third_party/ranker/model.onnx",
			"line": 1,
		},
		{
			"msg": "not checked: git tracks 4 files (a, b, c, ...) in .experiments/v2, but .experiments is a hidden directory, which discovery skips; add it to [discovery] include if it is the repository's own, or to [discovery] exclude if it is not",
			"file": "a",
			"line": 1,
		},
		{
			"msg": "not checked: git tracks 2 files (vendor/x/MODEL_CARD.md, vendor/x/train.py) in vendor/x, but vendor is a vendored directory, which discovery skips; add it to [discovery] include if it is the repository's own, or to [discovery] exclude if it is not",
			"file": "vendor/x/MODEL_CARD.md",
			"line": 1,
		},
	}
}

test_odd_entries_are_ignored if {
	count(rule.deny) == 0 with input as repo_input([{"dir": "x", "hidden_by": "vendor", "files": []}, {"dir": 3}, "x", {"dir": "x", "hidden_by": "vendor", "files": [""]}])
}
