# Every rule copes with odd card values: regorus raises an error when a
# builtin gets an operand of the wrong type (and OPA makes the finding
# silently undefined), so each rule is run on values of every JSON type in
# every place it reads.
#
# regorus (0.14) loses a `with` value that indexes data with an `every`
# variable (r[k]), so each input is bound to a variable first.
#
# Rule packages are imported one by one: regorus evaluates every package
# below an imported prefix (import data.aimsgate.rules would run all tests).
package aimsgate.robustness_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.repository.model_card_missing
import data.aimsgate.rules.owner
import data.aimsgate.rules.card_invalid
import data.aimsgate.rules.risk_classification
import data.aimsgate.rules.prohibited_practice
import data.aimsgate.rules.intended_use
import data.aimsgate.rules.limitations
import data.aimsgate.rules.impact_assessment
import data.aimsgate.rules.bias_evaluation
import data.aimsgate.rules.bias_threshold
import data.aimsgate.rules.bias_sample_size
import data.aimsgate.rules.human_oversight
import data.aimsgate.rules.human_oversight_controls
import data.aimsgate.rules.evaluation
import data.aimsgate.rules.transparency
import data.aimsgate.rules.impact_assessment_review
import data.aimsgate.rules.bias_evidence
import data.aimsgate.rules.datasheet
import data.aimsgate.rules.personal_data
import data.aimsgate.rules.monitoring
import data.aimsgate.rules.supplier
import data.aimsgate.rules.change_control
import data.aimsgate.rules.placeholder_text

# Values of every JSON type, and lists and mappings of odd entries.
odd := [null, true, -1.5, "", "text", [], [null, 1, "a", {}, []], {"a": null, "results": [null, 1, {"metric": 3, "n": {"a": "b"}}]}]

# Tests are kept small: aimsgate test bounds the time of each evaluation.

# The entries of record lists, and of the lists below them.
entries := {
	"evaluation": {"metric": "m", "value": 1, "dataset": "d", "split": "s"},
	"impact": {"scope": "individuals", "mitigation": "m", "residual": "high", "accepted_by": "a"},
	"result": {"attribute": "sex", "metric": "x_ratio", "value": 1, "threshold": 0.8, "n": {"a": 40}, "groups": {"a": 1}, "mitigation": "m", "risk_accepted_by": "r"},
	"dataset": {"id": "d", "external": false, "datasheet": {"license": "l", "provenance": {"source": "s"}, "preprocessing": "p", "personal_data": {"present": true, "legal_basis": "b", "dpia": "DPIA.md"}}},
	"supplier": {"name": "n", "license": "l", "assessment": "a"},
	"section": {"title": "Collection Process", "level": 2, "line": 3, "text": "t"},
}

# finding_count: the findings of every rule; undefined when a rule fails.
finding_count := sum([
	count(owner.deny),
	count(card_invalid.deny),
	count(risk_classification.deny),
	count(prohibited_practice.deny),
	count(intended_use.deny),
	count(limitations.deny),
	count(impact_assessment.deny),
	count(bias_evaluation.deny),
	count(bias_threshold.deny),
	count(bias_sample_size.deny),
	count(human_oversight.deny),
	count(human_oversight_controls.deny),
	count(evaluation.deny),
	count(transparency.deny),
	count(impact_assessment_review.deny),
	count(bias_evidence.deny),
	count(datasheet.deny),
	count(personal_data.deny),
	count(monitoring.deny),
	count(supplier.deny),
	count(change_control.deny),
	count(placeholder_text.deny),
])

test_valid_input_has_no_findings if {
	every t in ["high", "limited", "minimal"] {
		inp := fx.at_tier(t)
		finding_count == 0 with input as inp
	}
}

# odd_at(keys): finding_count is defined with each odd value at each key.
odd_at(keys) if {
	every key in keys {
		every value in odd {
			inp := fx.replacing(key, value)
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_record_values if odd_at(["owner", "risk", "intended_use"])

test_odd_record_lists if odd_at(["limitations", "evaluation"])

test_odd_record_sections if odd_at(["impact_assessment", "fairness", "human_oversight", "transparency"])

test_odd_record_supply if odd_at(["datasets", "monitoring", "suppliers"])

test_odd_record_lifecycle if odd_at(["base_model", "lifecycle"])

# odd_below(key, subs): finding_count is defined with each odd value at
# each of record[key][sub].
odd_below(key, subs) if {
	every sub in subs {
		every value in odd {
			inp := fx.replacing(key, object.union(fx.record[key], {sub: value}))
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_owner_values if odd_below("owner", ["name", "contact"])

test_odd_risk_values if odd_below("risk", ["tier", "rationale", "annex_iii_area"])

test_odd_risk_flags if odd_below("risk", ["annex_i", "affects_people"])

test_odd_intended_use_values if odd_below("intended_use", ["primary", "out_of_scope"])

test_odd_impact_assessment_values if odd_below("impact_assessment", ["approved_by", "approved_at", "impacts"])

test_odd_impact_assessment_dates if odd_below("impact_assessment", ["next_review"])

test_odd_monitoring_values if odd_below("monitoring", ["plan", "metrics", "review_frequency", "incident_contact"])

test_odd_fairness_values if odd_below("fairness", ["protected_attributes", "results", "evidence", "not_applicable"])

test_odd_human_oversight_values if odd_below("human_oversight", ["mode", "overseer", "can_override", "can_stop"])

test_odd_human_oversight_texts if odd_below("human_oversight", ["stop_mechanism", "automation_bias_mitigation"])

test_odd_transparency_values if odd_below("transparency", ["disclosure"])

test_odd_list_entries if {
	every value in odd {
		inputs := [
			fx.replacing("limitations", [value]),
			fx.replacing("evaluation", [value, object.union(entries.evaluation, {"split": value})]),
			fx.replacing("intended_use", {"primary": [value], "out_of_scope": [value, "x"]}),
			fx.replacing("owner", [value, {"name": value, "contact": value}]),
		]
		every inp in inputs {
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_impacts if {
	every value in odd {
		every sub, _ in entries.impact {
			inp := fx.replacing("impact_assessment", {"impacts": [value, object.union(entries.impact, {sub: value})]})
			finding_count >= 0 with input as inp
		}
	}
}

# odd_results(subs, from_evidence): finding_count is defined with each odd
# value at each of the subs of a bias test result, inline or from evidence.
odd_results(subs, from_evidence) if {
	every value in odd {
		every sub in subs {
			results := [value, object.union(entries.result, {sub: value})]
			inp := fx.replacing("fairness", fairness(["sex", value], results, from_evidence))
			finding_count >= 0 with input as inp
		}
	}
}

fairness(attributes, results, false) := {"protected_attributes": attributes, "results": results}

fairness(attributes, results, true) := {"protected_attributes": attributes, "evidence": {"results": results}}

test_odd_result_values if odd_results(["attribute", "metric", "value"], false)

test_odd_result_limits if odd_results(["threshold", "mitigation", "risk_accepted_by"], false)

test_odd_result_groups if odd_results(["n", "groups"], false)

test_odd_evidence_result_values if odd_results(["attribute", "metric", "value", "threshold"], true)

test_odd_evidence_result_groups if odd_results(["n", "groups", "mitigation"], true)

# Datasets, their datasheets and personal data, and suppliers.
test_odd_datasets if {
	every value in odd {
		every sub in ["id", "external", "datasheet"] {
			inp := fx.replacing("datasets", [value, object.union(entries.dataset, {sub: value})])
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_datasheets if {
	every value in odd {
		every sub in ["license", "provenance", "preprocessing", "personal_data"] {
			inp := fx.replacing("datasets", [object.union(entries.dataset, {"datasheet": object.union(entries.dataset.datasheet, {sub: value})})])
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_personal_data if {
	every value in odd {
		every sub in ["present", "legal_basis", "dpia"] {
			inp := fx.replacing("datasets", [object.union(entries.dataset, {"datasheet": {"personal_data": object.union(entries.dataset.datasheet.personal_data, {sub: value})}})])
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_suppliers if {
	every value in odd {
		every sub in ["name", "license", "assessment"] {
			inp := fx.replacing("suppliers", [value, object.union(entries.supplier, {sub: value})])
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_supplied_names_and_licenses if {
	every value in odd {
		inputs := [
			object.union(fx.replacing("base_model", [value, "n"]), {"params": {"allowed_licenses": value}}),
			object.union(fx.replacing("datasets", [{"id": value, "external": true}]), {"params": {"allowed_licenses": [value, "l"]}}),
		]
		every inp in inputs {
			finding_count >= 0 with input as inp
		}
	}
}

# Prose datasheets: the sections of input.documents and placeholder_sections.
test_odd_datasheet_sections if {
	every value in odd {
		every sub in ["title", "level", "line", "text"] {
			sections := [value, object.union(entries.section, {sub: value}), entries.section]
			inp := object.union(fx.replacing("datasets", [{"id": "d", "datasheet": {}}]), {
				"documents": {"datasets.0.datasheet": {"file": "D.md", "sections": sections}},
				"placeholder_sections": [value, {"file": value, "line": value, "title": value}],
			})
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_documents if {
	every value in odd {
		inputs := [
			object.union(fx.replacing("datasets", [{"id": "d", "datasheet": {}}]), {"documents": {"datasets.0.datasheet": value}}),
			object.union(fx.replacing("datasets", [{"id": "d", "datasheet": {}}]), {"documents": {"datasets.0.datasheet": {"file": value, "sections": value}}}),
			object.union(fx.replacing("fairness", {"evidence": {"results": []}}), {"documents": {"fairness.evidence": value}}),
		]
		every inp in inputs {
			finding_count >= 0 with input as inp
		}
	}
}

# Inline results compared with evidence results, both with odd values.
test_odd_evidence_comparison if {
	every value in odd {
		every sub in ["attribute", "metric", "value"] {
			results := [value, object.union(entries.result, {sub: value}), entries.result]
			inp := fx.replacing("fairness", {"protected_attributes": ["sex"], "results": results, "evidence": {"results": array.reverse(results)}})
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_input_keys if odd_input_keys(["tier", "record", "params", "problems"])

test_odd_input_system_keys if odd_input_keys(["system", "documents", "now"])

# odd_input_keys(keys): finding_count is defined with each odd value at each
# of input[key].
odd_input_keys(keys) if {
	every key in keys {
		every value in odd {
			inp := object.union(fx.input_high, {key: value})
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_problems_and_params if {
	every value in odd {
		inputs := [
			object.union(fx.input_high, {"problems": [value, {"message": value, "field": value, "file": "f", "line": 1}]}),
			object.union(fx.input_high, {"params": {"bias_ratio_min": value, "bias_difference_max": value, "min_group_size": value}}),
		]
		every inp in inputs {
			finding_count >= 0 with input as inp
		}
		repository_inputs := [
			{"ml_files_without_card": value},
			{"ml_files_without_card": [value, {"file": value}]},
		]
		every inp in repository_inputs {
			count(model_card_missing.deny) >= 0 with input as inp
		}
	}
}

test_odd_changed_files if {
	every value in odd {
		inputs := [
			object.union(fx.input_high, {"changed": value, "changed_files": ["examples/fraud-detector/train.py"]}),
			object.union(fx.input_high, {"changed": true, "changed_files": value}),
		]
		every inp in inputs {
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_changed_system if {
	every value in odd {
		inputs := [
			object.union(fx.input_high, {"changed": true, "changed_files": [value, "examples/fraud-detector/train.py"], "system": {"ml_files": value}}),
			object.union(fx.input_high, {"changed": true, "changed_files": ["examples/fraud-detector/train.py"], "system": {"card": value}}),
		]
		every inp in inputs {
			finding_count >= 0 with input as inp
		}
	}
}

test_odd_placeholders if {
	every value in odd {
		inputs := [
			object.union(fx.input_high, {"placeholders": value, "placeholder_sections": value}),
			object.union(fx.input_high, {"placeholders": [value], "placeholder_sections": [value, {"file": value, "line": value, "title": value}]}),
		]
		every inp in inputs {
			finding_count >= 0 with input as inp
		}
	}
}
