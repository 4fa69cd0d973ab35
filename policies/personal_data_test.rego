package aimsgate.rules.personal_data_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.personal_data as rule

dataset := fx.record.datasets[0]

sheet := dataset.datasheet

# with_personal_data(pd): the valid input whose datasheet's personal_data is pd.
with_personal_data(pd) := fx.replacing("datasets", [object.union(
	object.remove(dataset, ["datasheet"]),
	{"datasheet": object.union(object.remove(sheet, ["personal_data"]), {"personal_data": pd})},
)])

pd := sheet.personal_data

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_no_personal_data_passes if {
	every value in [{"present": false}, {"present": "no"}, {"present": null}, {}, false, null, "none", {"present": 1}] {
		inp := with_personal_data(value)
		count(rule.deny) == 0 with input as inp
	}
	count(rule.deny) == 0 with input as fx.without(["datasets/0/datasheet/personal_data"])
}

test_missing_legal_basis if {
	findings := rule.deny with input as with_personal_data(object.remove(pd, ["legal_basis"]))
	findings == {{
		"msg": "datasets.0.datasheet.personal_data.legal_basis is missing: dataset transactions-2024 holds personal data, so name the legal basis for processing it (e.g. GDPR Art. 6(1)(f) legitimate interests)",
		"field": "datasets.0.datasheet.personal_data.legal_basis",
	}}
}

test_missing_dpia if {
	findings := rule.deny with input as with_personal_data(object.remove(pd, ["dpia"]))
	findings == {{
		"msg": "datasets.0.datasheet.personal_data.dpia is missing: dataset transactions-2024 holds personal data, so reference its data protection impact assessment (dpia: DPIA.md)",
		"field": "datasets.0.datasheet.personal_data.dpia",
	}}
}

test_blank_or_odd_values_are_missing if {
	every value in [" ", null, [], 3, {"file": "DPIA.md"}] {
		inp := with_personal_data(object.union(pd, {"legal_basis": value, "dpia": value}))
		fx.fields(rule.deny) == {"datasets.0.datasheet.personal_data.legal_basis", "datasets.0.datasheet.personal_data.dpia"} with input as inp
	}
}

test_legal_basis_may_be_a_list if {
	count(rule.deny) == 0 with input as with_personal_data(object.union(pd, {"legal_basis": ["GDPR Art. 6(1)(b)", "GDPR Art. 6(1)(c)"]}))
	fx.fields(rule.deny) == {"datasets.0.datasheet.personal_data.dpia"} with input as with_personal_data(object.union(pd, {"dpia": ["DPIA.md"]}))
}

test_present_variants if {
	every present in [true, "yes", " Yes", "TRUE"] {
		inp := with_personal_data({"present": present})
		count(rule.deny) == 2 with input as inp
	}
	count(rule.deny) == 2 with input as with_personal_data(true)
}

test_dataset_names if {
	inp := fx.replacing("datasets", [
		{"name": "Transactions", "datasheet": {"personal_data": {"present": true, "dpia": "DPIA.md"}}},
		{"datasheet": {"personal_data": {"present": true, "legal_basis": "consent"}}},
		"squad",
		{"id": "c4", "external": true, "datasheet": {"personal_data": true}},
		{"id": "unread", "datasheet": "DATASHEET.md"},
	])
	fx.msgs(rule.deny) == {
		"datasets.0.datasheet.personal_data.legal_basis is missing: dataset Transactions holds personal data, so name the legal basis for processing it (e.g. GDPR Art. 6(1)(f) legitimate interests)",
		"datasets.1.datasheet.personal_data.dpia is missing: the dataset holds personal data, so reference its data protection impact assessment (dpia: DPIA.md)",
		"datasets.3.datasheet.personal_data.legal_basis is missing: dataset c4 holds personal data, so name the legal basis for processing it (e.g. GDPR Art. 6(1)(f) legitimate interests)",
		"datasets.3.datasheet.personal_data.dpia is missing: dataset c4 holds personal data, so reference its data protection impact assessment (dpia: DPIA.md)",
	} with input as inp
}

test_datasets_not_a_list if {
	count(rule.deny) == 0 with input as fx.replacing("datasets", {"tx": {"datasheet": {"personal_data": true}}})
}

# One input per check, each failing it.
failing := [
	with_personal_data(object.remove(pd, ["legal_basis"])),
	with_personal_data(object.remove(pd, ["dpia"])),
]

test_failing_inputs_fail_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		every inp in failing {
			count(rule.deny) == 1 with input as fx.to_tier(inp, t)
		}
	}
}

test_present_false_with_categories_contradicts if {
	findings := rule.deny with input as with_personal_data({"present": false, "categories": ["card holder", "n/a"]})
	findings == {{
		"msg": "datasets.0.datasheet.personal_data.present is false, yet categories lists personal data (card holder): if the data is about people, say present: true and give its legal basis and DPIA; if not, remove the categories",
		"field": "datasets.0.datasheet.personal_data.present",
	}}
	fx.fields(rule.deny) == {"datasets.0.datasheet.personal_data.present"} with input as with_personal_data({"present": " No", "categories": ["age"]})
	count(rule.deny) == 0 with input as with_personal_data({"present": false, "categories": []})
	count(rule.deny) == 0 with input as with_personal_data({"present": false, "categories": ["none"]})
}

test_no_legal_basis_or_dpia_said_as_none if {
	fx.fields(rule.deny) == {"datasets.0.datasheet.personal_data.legal_basis", "datasets.0.datasheet.personal_data.dpia"} with input as with_personal_data(object.union(pd, {"legal_basis": "n/a", "dpia": "None"}))
}
