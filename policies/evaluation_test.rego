package aimsgate.rules.evaluation_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.evaluation as rule

auc := fx.record.evaluation[0]

with_evaluation(evaluation) := fx.replacing("evaluation", evaluation)

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_zero_value_passes if {
	count(rule.deny) == 0 with input as with_evaluation([object.union(auc, {"value": 0})])
}

test_one_complete_entry_is_enough if {
	count(rule.deny) == 0 with input as with_evaluation([{"metric": "f1"}, auc, "auc 0.91"])
}

test_missing if {
	findings := rule.deny with input as fx.without(["evaluation"])
	findings == {{
		"msg": "evaluation is missing: report at least one result with metric, value, dataset and split",
		"field": "evaluation",
	}}
}

test_empty if {
	fx.fields(rule.deny) == {"evaluation"} with input as with_evaluation([])
}

test_wrong_type if {
	fx.msgs(rule.deny) == {"evaluation must be a list of results ({metric, value, dataset, split})"} with input as with_evaluation(auc)
}

test_missing_split if {
	findings := rule.deny with input as fx.without(["evaluation/0/split"])
	findings == {{
		"msg": "evaluation.0.split is missing: name the split it was measured on (e.g. test)",
		"field": "evaluation.0.split",
	}}
}

test_missing_dataset if {
	fx.fields(rule.deny) == {"evaluation.0.dataset"} with input as fx.without(["evaluation/0/dataset"])
}

test_missing_metric_and_value if {
	fx.fields(rule.deny) == {"evaluation.0.metric", "evaluation.0.value"} with input as with_evaluation([{"dataset": "d", "split": "test", "metric": " "}])
}

test_every_incomplete_entry_reported if {
	fx.fields(rule.deny) == {"evaluation.0.split", "evaluation.1.dataset", "evaluation.2"} with input as with_evaluation([
		object.remove(auc, ["split"]),
		object.remove(auc, ["dataset"]),
		"auc 0.91",
	])
}

test_applies_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		fx.fields(rule.deny) == {"evaluation"} with input as fx.at_tier_without(t, ["evaluation"])
	}
}

test_values_are_numbers if {
	every value in [0.91, 0, -1, "0.9781249761581421", "91.2%", " 3e-2 ", ".5"] {
		count(rule.deny) == 0 with input as with_evaluation([object.union(auc, {"value": value})])
	}
	every value in ["good", "high", "TBD", "0.9 on test", true, {"auc": 0.9}, ["0.9"], "The value of the performance metric"] {
		findings := rule.deny with input as with_evaluation([object.union(auc, {"value": value})])
		findings == {{
			"msg": sprintf("evaluation.0.value %s is not a number: give the measured value (e.g. 0.91)", [json.marshal(value)]),
			"field": "evaluation.0.value",
		}}
	}
}

# A complete entry does not excuse a made-up value beside it.
test_every_value_is_checked if {
	fx.fields(rule.deny) == {"evaluation.1.value"} with input as with_evaluation([auc, object.union(auc, {"value": "excellent"})])
}
