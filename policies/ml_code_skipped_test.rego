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
			"key": "vendored third_party/ranker",
			"file": "third_party/ranker/model.onnx",
			"line": 1,
		},
		{
			"msg": "not checked: git tracks 4 files (a, b, c, ...) in .experiments/v2, but .experiments is a hidden directory, which discovery skips; add it to [discovery] include if it is the repository's own, or to [discovery] exclude if it is not",
			"key": "hidden .experiments/v2",
			"file": "a",
			"line": 1,
		},
		{
			"msg": "not checked: git tracks 2 files (vendor/x/MODEL_CARD.md, vendor/x/train.py) in vendor/x, but vendor is a vendored directory, which discovery skips; add it to [discovery] include if it is the repository's own, or to [discovery] exclude if it is not",
			"key": "vendored vendor/x",
			"file": "vendor/x/MODEL_CARD.md",
			"line": 1,
		},
	}
}

test_zones_say_why if {
	findings := rule.deny with input as repo_input([
		{"dir": "examples", "hidden_by": "examples", "zone": "examples", "files": ["examples/train.py", "examples/b.ipynb"]},
		{"dir": "libs/fork", "hidden_by": "libs/fork", "zone": "copy", "detail": "has a licence and a dependency manifest of its own", "files": ["libs/fork/model.py"]},
		{"dir": "src/fw", "hidden_by": "src/fw", "zone": "framework", "detail": "its project defines models in 25 files or more", "files": ["src/fw/trainer.py"]},
		{"dir": "gen", "hidden_by": "gen", "zone": "unread", "detail": "not read: 9000000 bytes, over the 4194304-byte limit ([limits] max_file_bytes)", "files": ["gen/big.py"]},
	])
	findings == {
		{
			"msg": "not checked as an AI system: examples holds 2 files (examples/train.py, examples/b.ipynb), and examples are not AI systems by default; add it to [discovery] include if it is one, or to [discovery] exclude to drop this note",
			"key": "examples examples",
			"file": "examples/train.py",
			"line": 1,
		},
		{
			"msg": "not checked as an AI system: libs/fork has a licence and a dependency manifest of its own, so it is taken for a copy of another project (it holds libs/fork/model.py); add it to [discovery] include if it is the repository's own, or to [discovery] exclude if it is not",
			"key": "copy libs/fork",
			"file": "libs/fork/model.py",
			"line": 1,
		},
		{
			"msg": "not checked as an AI system: src/fw is a framework's library code (its project defines models in 25 files or more): src/fw/trainer.py uses ML libraries for models that its users choose; add it to [discovery] include if it is an AI system of its own, or to [discovery] exclude to drop this note",
			"key": "framework src/fw",
			"file": "src/fw/trainer.py",
			"line": 1,
		},
		{
			"msg": "not checked: discovery could not read gen/big.py in gen (not read: 9000000 bytes, over the 4194304-byte limit ([limits] max_file_bytes)), so it cannot tell whether it is ML code; split or exclude it",
			"key": "unread gen",
			"file": "gen/big.py",
			"line": 1,
		},
	}
}

test_odd_entries_are_ignored if {
	count(rule.deny) == 0 with input as repo_input([{"dir": "x", "hidden_by": "vendor", "files": []}, {"dir": 3}, "x", {"dir": "x", "hidden_by": "vendor", "files": [""]}])
}
