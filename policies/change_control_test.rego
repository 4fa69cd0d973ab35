package aimsgate.rules.change_control_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.change_control as rule

# changing(files): the valid input in a run scoped to a change of files.
changing(files) := fx.patched({"changed": true, "changed_files": files})

train := "examples/fraud-detector/train.py"

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_ml_file_changed_without_card if {
	findings := rule.deny with input as changing([train])
	findings == {{"msg": "ML files changed (examples/fraud-detector/train.py) but the model card did not: update examples/fraud-detector/MODEL_CARD.md to describe the change (version, training data, evaluation, limitations)"}}
}

test_several_ml_files_listed_in_order if {
	inp := object.union(changing(["b/model.onnx", train, "IMPACT_ASSESSMENT.md"]), {"system": {"ml_files": [train, "b/model.onnx", "c/unchanged.pt"]}})
	fx.msgs(rule.deny) == {"ML files changed (b/model.onnx, examples/fraud-detector/train.py) but the model card did not: update examples/fraud-detector/MODEL_CARD.md to describe the change (version, training data, evaluation, limitations)"} with input as inp
}

test_card_changed_too_passes if {
	count(rule.deny) == 0 with input as changing([train, "examples/fraud-detector/MODEL_CARD.md"])
}

test_sidecar_changed_too_passes if {
	every sidecar in ["aimsgate.yaml", "aimsgate.yml", "aimsgate.json", "aimsgate.toml"] {
		inp := changing([train, sprintf("examples/fraud-detector/%s", [sidecar])])
		count(rule.deny) == 0 with input as inp
	}
}

test_sidecar_elsewhere_does_not_count if {
	count(rule.deny) == 1 with input as changing([train, "examples/aimsgate.yaml", "examples/fraud-detector/eval/aimsgate.yaml"])
}

test_card_at_the_root if {
	inp := object.union(changing(["train.py", "aimsgate.toml"]), {"system": {"card": "MODEL_CARD.md", "ml_files": ["train.py"]}})
	count(rule.deny) == 0 with input as inp
	inp2 := object.union(changing(["train.py"]), {"system": {"card": "MODEL_CARD.md", "ml_files": ["train.py"]}})
	count(rule.deny) == 1 with input as inp2
}

test_other_changes_pass if {
	count(rule.deny) == 0 with input as changing(["examples/fraud-detector/IMPACT_ASSESSMENT.md"])
	count(rule.deny) == 0 with input as changing([])
}

test_only_when_changed if {
	every changed in [false, null, "true", 1] {
		inp := object.union(changing([train]), {"changed": changed})
		count(rule.deny) == 0 with input as inp
	}
	count(rule.deny) == 0 with input as object.remove(changing([train]), ["changed"])
}

test_odd_inputs if {
	every value in [null, 3, "x", {"a": 1}, [3, null]] {
		inputs := [
			object.union(object.remove(changing([train]), ["system"]), {"system": value}),
			object.union(changing([train]), {"system": {"ml_files": value}}),
			object.union(changing([train]), {"changed_files": value}),
		]
		every inp in inputs {
			count(rule.deny) == 0 with input as inp
		}
	}
}

test_card_unknown if {
	every card in [null, 3, ""] {
		inp := object.union(changing([train]), {"system": {"card": card}})
		fx.msgs(rule.deny) == {"ML files changed (examples/fraud-detector/train.py) but the model card did not: update the model card to describe the change (version, training data, evaluation, limitations)"} with input as inp
	}
}

test_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		inp := fx.to_tier(changing([train]), t)
		count(rule.deny) == 1 with input as inp
	}
}
