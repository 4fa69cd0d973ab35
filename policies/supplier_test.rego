package aimsgate.rules.supplier_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.supplier as rule

bert := fx.record.suppliers[0]

# with_suppliers(suppliers): the valid input with record.suppliers replaced.
with_suppliers(suppliers) := fx.replacing("suppliers", suppliers)

# with_bert(patch): the valid input with patch merged into the bert supplier.
with_bert(patch) := with_suppliers([object.union(bert, patch)])

# suppliers_only(suppliers): the valid input with no base model and these suppliers.
suppliers_only(suppliers) := object.union(fx.without(["base_model", "suppliers"]), {"record": {"suppliers": suppliers}})

# allowing(inp, licenses): inp with the allowed_licenses param set.
allowing(inp, licenses) := object.union(inp, {"params": {"allowed_licenses": licenses}})

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_nothing_supplied_passes if {
	count(rule.deny) == 0 with input as fx.without(["suppliers", "base_model"])
}

test_suppliers_wrong_type if {
	findings := rule.deny with input as suppliers_only({"bert": "apache-2.0"})
	findings == {{
		"msg": "suppliers must be a list of third-party components ({name, component, license, assessment})",
		"field": "suppliers",
	}}
}

test_supplier_wrong_type if {
	findings := rule.deny with input as with_suppliers([bert, "lightgbm"])
	findings == {{
		"msg": "suppliers.1 must be a mapping ({name, component, license, assessment})",
		"field": "suppliers.1",
	}}
}

test_missing_name if {
	findings := rule.deny with input as suppliers_only([object.remove(bert, ["name"])])
	findings == {{
		"msg": "suppliers.0.name is missing: name the third-party model, dataset or library",
		"field": "suppliers.0.name",
	}}
}

test_missing_license if {
	findings := rule.deny with input as with_suppliers([object.remove(bert, ["license"])])
	findings == {{
		"msg": "suppliers.0.license is missing: give the license bert-base-uncased is used under",
		"field": "suppliers.0.license",
	}}
}

test_missing_assessment if {
	findings := rule.deny with input as with_bert({"assessment": " ", "name": "Sentence-Transformers/all MiniLM"}) with input.record.base_model as null
	findings == {{
		"msg": "suppliers.0.assessment is missing: link the assessment of Sentence-Transformers/all MiniLM and its supplier (e.g. docs/vendors/sentence-transformers-all-minilm.md)",
		"field": "suppliers.0.assessment",
	}}
}

test_nameless_supplier_lacking_everything if {
	fx.msgs(rule.deny) == {
		"suppliers.0.name is missing: name the third-party model, dataset or library",
		"suppliers.0.license is missing: give the license the component is used under",
		"suppliers.0.assessment is missing: link the assessment of the component and its supplier (e.g. docs/vendors/vendor.md)",
	} with input as suppliers_only([{"component": "library"}])
}

test_license_may_be_a_list if {
	count(rule.deny) == 0 with input as with_bert({"license": ["apache-2.0", "mit"]})
	fx.fields(rule.deny) == {"suppliers.0.license.1"} with input as with_bert({"license": ["apache-2.0", 3]})
	fx.fields(rule.deny) == {"suppliers.0.license"} with input as with_bert({"license": {"id": "mit"}})
}

test_unknown_license_is_no_license if {
	every license in ["unknown", "UNKNOWN", "NOASSERTION", "n/a", "none", "?"] {
		findings := rule.deny with input as with_bert({"license": license})
		findings == {{
			"msg": sprintf("suppliers.0.license %s is not a license: find out the license bert-base-uncased is used under and record it", [json.marshal(license)]),
			"field": "suppliers.0.license",
		}}
	}
}

test_external_dataset_with_unknown_license if {
	inp := fx.with_record({
		"datasets": [{"id": "squad", "external": true, "license": "unknown"}],
		"suppliers": [bert, {"name": "squad", "component": "dataset", "license": "cc-by-sa-4.0", "assessment": "docs/vendors/squad.md"}],
	})
	fx.msgs(rule.deny) == {"datasets.0.license \"unknown\" is not a license: find out the license dataset squad is used under and record it"} with input as inp
}

test_assessment_that_says_nothing if {
	every assessment in ["ok", "OK.", "none", "done", "yes", "n/a", "Passed"] {
		findings := rule.deny with input as with_bert({"assessment": assessment})
		findings == {{
			"msg": sprintf("suppliers.0.assessment %s is not an assessment: link the assessment of bert-base-uncased and its supplier (e.g. docs/vendors/bert-base-uncased.md), or summarise what it found", [json.marshal(assessment)]),
			"field": "suppliers.0.assessment",
		}}
	}
}

test_assessment_as_document_id_or_sentence if {
	every assessment in ["docs/vendors/bert.md", "https://vendors.example/bert", "VR-2026-031", "Procurement review found no issues", ["Security review 2026-03", "docs/vendors/bert.md"]] {
		count(rule.deny) == 0 with input as with_bert({"assessment": assessment})
	}
}

# allowed_licenses

test_allowed_license_passes if {
	count(rule.deny) == 0 with input as allowing(fx.input_high, ["MIT", " Apache-2.0"])
	count(rule.deny) == 0 with input as allowing(with_bert({"license": "APACHE-2.0 "}), ["apache-2.0"])
}

test_license_not_allowed if {
	findings := rule.deny with input as allowing(fx.input_high, ["mit", "BSD-3-Clause"])
	findings == {{
		"msg": "suppliers.0.license apache-2.0 is not an allowed license (allowed_licenses: bsd-3-clause, mit): use a component under an allowed license, or have the license approved and added to allowed_licenses",
		"field": "suppliers.0.license",
	}}
}

test_each_license_of_a_list_must_be_allowed if {
	inp := allowing(with_bert({"license": ["apache-2.0", "cc-by-nc-4.0", 3]}), ["apache-2.0"])
	fx.msgs(rule.deny) == {
		"suppliers.0.license cc-by-nc-4.0 is not an allowed license (allowed_licenses: apache-2.0): use a component under an allowed license, or have the license approved and added to allowed_licenses",
		"suppliers.0.license.2 3 is not a license: find out the license bert-base-uncased is used under and record it",
	} with input as inp
}

test_allowed_licenses_default_to_any if {
	every allowed in [[], null, "mit", [3, null], {"mit": true}] {
		inp := allowing(fx.input_high, allowed)
		count(rule.deny) == 0 with input as inp
	}
	count(rule.deny) == 0 with input as object.remove(fx.input_high, ["params"])
}

# Base models

test_base_model_not_listed if {
	findings := rule.deny with input as fx.patched({"record": {"base_model": "roberta-base"}})
	findings == {{
		"msg": "base_model roberta-base is not listed in suppliers with a license and an assessment: add {name: roberta-base, component: model, license: ..., assessment: ...}",
		"field": "base_model",
	}}
}

test_base_model_listed_without_case if {
	count(rule.deny) == 0 with input as fx.patched({"record": {"base_model": " BERT-base-uncased"}})
}

test_base_model_without_suppliers if {
	fx.fields(rule.deny) == {"base_model"} with input as fx.without(["suppliers"])
}

test_base_model_listed_but_unlicensed_is_reported_once if {
	fx.fields(rule.deny) == {"suppliers.0.license"} with input as with_suppliers([object.remove(bert, ["license"])])
}

test_base_model_list if {
	inp := fx.patched({"record": {"base_model": ["bert-base-uncased", "roberta-base", 3]}})
	fx.msgs(rule.deny) == {
		"base_model roberta-base is not listed in suppliers with a license and an assessment: add {name: roberta-base, component: model, license: ..., assessment: ...}",
		"base_model.2 must be a model id",
	} with input as inp
	fx.fields(rule.deny) == {"base_model.1", "base_model.2"} with input as inp
}

test_base_model_wrong_type if {
	findings := rule.deny with input as fx.patched({"record": {"base_model": {"id": "bert-base-uncased"}}})
	findings == {{"msg": "base_model must be a model id or a list of model ids", "field": "base_model"}}
}

test_blank_base_model_is_none if {
	every value in ["", [], null] {
		inp := fx.replacing("base_model", value)
		count(rule.deny) == 0 with input as inp
	}
}

# External datasets

test_external_dataset_not_listed if {
	findings := rule.deny with input as fx.replacing("datasets", ["squad"])
	findings == {{
		"msg": "dataset squad is external but is not listed in suppliers with a license and an assessment: add {name: squad, component: dataset, license: ..., assessment: ...}",
		"field": "datasets.0",
	}}
	fx.fields(rule.deny) == {"datasets.1"} with input as fx.replacing("datasets", [fx.record.datasets[0], {"id": "c4", "external": true}])
	fx.fields(rule.deny) == {"datasets.0"} with input as fx.replacing("datasets", [{"name": "C4", "external": true}])
}

test_external_dataset_listed if {
	suppliers := array.concat(fx.record.suppliers, [{"name": "SQuAD", "component": "dataset", "license": "cc-by-4.0", "assessment": "docs/vendors/squad.md"}])
	inp := object.union(fx.replacing("datasets", ["squad", {"id": "squad", "external": true}]), {"record": {"suppliers": suppliers}})
	count(rule.deny) == 0 with input as inp
}

test_external_dataset_without_id if {
	findings := rule.deny with input as fx.replacing("datasets", [{"external": true, "datasheet": "x.md"}])
	findings == {{
		"msg": "datasets.0 is external but has no id: give the dataset's id, and list it under that name in suppliers with a license and an assessment",
		"field": "datasets.0",
	}}
}

test_own_and_odd_datasets_are_not_suppliers if {
	every datasets in [[{"id": "tx", "external": "true"}, {"id": "tx", "external": false}, 3, null, "", {"id": "x"}], {"squad": true}, "squad"] {
		inp := fx.replacing("datasets", datasets)
		count(rule.deny) == 0 with input as inp
	}
}

# One input per check, each failing it.
failing := [
	with_bert({"license": "Unknown"}),
	with_bert({"assessment": "ok"}),
	suppliers_only("bert"),
	with_suppliers([bert, 3]),
	with_suppliers([object.remove(bert, ["name"]), bert]),
	with_bert({"license": null}),
	with_bert({"assessment": ""}),
	allowing(fx.input_high, ["mit"]),
	fx.patched({"record": {"base_model": "roberta-base"}}),
	fx.patched({"record": {"base_model": 3}}),
	fx.patched({"record": {"base_model": ["bert-base-uncased", null]}}),
	fx.replacing("datasets", ["squad"]),
	fx.replacing("datasets", [{"external": true}]),
]

test_failing_inputs_fail_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		every inp in failing {
			count(rule.deny) == 1 with input as fx.to_tier(inp, t)
		}
	}
}

# ---------------------------------------------------------------------------
# What the code uses

# using(inp, models, providers): inp whose code names these models and providers.
using(inp, models, providers) := object.union(inp, {"system": {"models": models, "providers": providers}})

t5 := {"model": "t5-base", "library": "Hugging Face Transformers", "kind": "loading", "file": "src/encode.py", "line": 12, "column": 9}

gpt := {"model": "gpt-4o-mini", "provider": "OpenAI", "library": "OpenAI", "kind": "hosted", "file": "app/chat.py", "line": 30, "column": 5}

openai := {"provider": "OpenAI", "library": "OpenAI", "file": "app/chat.py", "line": 8, "column": 10}

bedrock := {"provider": "Amazon Bedrock", "library": "Amazon Bedrock", "file": "svc.py", "line": 3, "column": 6}

test_a_model_the_code_loads_is_declared if {
	findings := rule.deny with input as using(fx.input_high, [t5], [])
	findings == {{
		"msg": "src/encode.py loads the model t5-base with Hugging Face Transformers, which the card examples/fraud-detector/MODEL_CARD.md does not declare: add it to base_model, and to suppliers with its license and assessment",
		"file": "src/encode.py",
		"line": 12,
		"column": 9,
		"key": "model t5-base",
	}}
}

test_a_declared_model_passes_by_its_last_part if {
	count(rule.deny) == 0 with input as using(fx.input_high, [object.union(t5, {"model": "google-bert/bert-base-uncased"})], [])
}

test_a_hosted_provider_is_one_finding_naming_its_models if {
	findings := rule.deny with input as using(fx.input_high, [gpt], [openai])
	findings == {{
		"msg": "app/chat.py calls hosted models of OpenAI (gpt-4o-mini), which the card examples/fraud-detector/MODEL_CARD.md does not list in suppliers: add {name: OpenAI, component: hosted model, license: ..., assessment: ...}",
		"file": "app/chat.py",
		"line": 8,
		"column": 10,
		"key": "provider OpenAI",
	}}
}

test_a_provider_is_declared_by_name_or_company if {
	listed := with_suppliers([bert, {"name": "OpenAI API", "component": "hosted model", "license": "OpenAI terms", "assessment": "docs/vendors/openai.md"}])
	count(rule.deny) == 0 with input as using(listed, [gpt], [openai])
	aws := with_suppliers([bert, {"name": "AWS", "component": "Bedrock runtime", "license": "AWS service terms", "assessment": "VR-2026-12"}])
	count(rule.deny) == 0 with input as using(aws, [], [bedrock])
	# Declaring every model it calls also covers the provider.
	models := with_suppliers([bert, {"name": "gpt-4o-mini", "component": "model", "license": "OpenAI terms", "assessment": "VR-1"}])
	count(rule.deny) == 0 with input as using(models, [gpt], [openai])
}

test_odd_code_entries_are_ignored if {
	count(rule.deny) == 0 with input as using(fx.input_high, [3, {"model": ""}, {}], ["x", {"provider": 3}])
}
