# METADATA
# title: Performance evaluated
# description: >-
#   The card reports at least one evaluation result with its metric, value,
#   dataset and split (evaluation entries, or Hugging Face model-index
#   results), so that accuracy claims can be traced to the data they were
#   measured on. Every value given is a number (written as a number, or as
#   a string holding only a number, as Model Card Toolkit and CycloneDX write
#   it): "good", "high" or "see report" is a claim, not a measurement.
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/15/
#     description: EU AI Act Article 15, Accuracy, robustness and cybersecurity
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.4 AI system verification and validation
# custom:
#   id: evaluation
#   severity: {high: error, limited: error, minimal: warning}
#   controls: [iso42001:A.6.2.4, eu-ai-act:art-15]
#   remediation: |-
#     Report how the model performed, on which dataset and split:
#
#       evaluation:
#         - {metric: auc, value: 0.91, dataset: transactions-2024, split: test}
package aimsgate.rules.evaluation

import data.aimsgate.lib
import data.aimsgate.lib.record

evaluation := object.get(record, "evaluation", null)

evaluation_blank if lib.blank(evaluation)

keys := ["metric", "value", "dataset", "split"]

deny contains {
	"msg": "evaluation is missing: report at least one result with metric, value, dataset and split",
	"field": "evaluation",
} if {
	evaluation_blank
}

deny contains {
	"msg": "evaluation must be a list of results ({metric, value, dataset, split})",
	"field": "evaluation",
} if {
	not evaluation_blank
	not is_array(evaluation)
}

# complete(entry): every key is given (lib.given, written out for a mapping:
# this runs for every result of every card).
complete(entry) if {
	is_object(entry)
	every key in keys {
		not lib.blank(object.get(entry, key, null))
	}
}

# When no entry is complete, each entry says what it lacks.
deny contains {
	"msg": sprintf("evaluation.%d.%s is missing: %s", [i, key, why[key]]),
	"field": sprintf("evaluation.%d.%s", [i, key]),
} if {
	is_array(evaluation)
	not any_complete
	some i, entry in evaluation
	is_object(entry)
	some key in keys
	not lib.given(entry, key)
}

deny contains {
	"msg": sprintf("evaluation.%d must be a mapping with metric, value, dataset and split", [i]),
	"field": sprintf("evaluation.%d", [i]),
} if {
	is_array(evaluation)
	not any_complete
	some i, entry in evaluation
	not is_object(entry)
}

any_complete if {
	some entry in lib.list(evaluation)
	complete(entry)
}

why := {
	"metric": "name the metric (e.g. auc, f1)",
	"value": "give the measured value",
	"dataset": "name the dataset it was measured on",
	"split": "name the split it was measured on (e.g. test)",
}

# A value in words is a claim, not a measurement: checked on every entry,
# complete or not.
deny contains {
	"msg": sprintf("evaluation.%d.value %s is not a number: give the measured value (e.g. 0.91)", [i, json.marshal(value)]),
	"field": sprintf("evaluation.%d.value", [i]),
} if {
	is_array(evaluation)
	some i, entry in evaluation
	is_object(entry)
	value := object.get(entry, "value", null)
	not lib.blank(value)
	not measured(value)
}

measured(value) if is_number(value)

# A number in a string ("0.9781", "91.2%", "-3e-2"): Model Card Toolkit and
# CycloneDX write every value as a string.
measured(value) if {
	is_string(value)
	regex.match(`^[ ]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?[ ]*%?[ ]*$`, value)
}
