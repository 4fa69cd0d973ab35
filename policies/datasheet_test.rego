package aimsgate.rules.datasheet_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.datasheet as rule

dataset := fx.record.datasets[0]

sheet := dataset.datasheet

# with_datasets(datasets): the valid input with record.datasets replaced.
with_datasets(datasets) := fx.replacing("datasets", datasets)

# with_sheet(datasheet): the valid input whose one dataset has this datasheet.
with_sheet(datasheet) := with_datasets([object.union(object.remove(dataset, ["datasheet"]), {"datasheet": datasheet})])

# without_keys(keys): the valid datasheet without the given keys.
without_keys(keys) := with_sheet(object.remove(sheet, keys))

# prose(sections, placeholders): the one dataset's datasheet is a Markdown
# document without front matter (read as {}) with these sections, and these
# of its lines are listed as placeholder sections.
prose(sections, placeholder_lines) := object.union(with_sheet({}), {
	"documents": {"datasets.0.datasheet": {"file": "data/tx-2024/DATASHEET.md", "sections": sections}},
	"placeholder_sections": [{"file": "data/tx-2024/DATASHEET.md", "title": "x", "line": line} | some line in placeholder_lines],
})

# section(title, level, line, text)
section(title, level, line, text) := {"title": title, "level": level, "line": line, "text": text}

complete_sections := [
	section("Datasheet: transactions-2024", 1, 1, "## Collection Process\nExported nightly.\n## Licensing Information\nInternal.\n## Preprocessing\nDeduplicated."),
	section("Collection Process", 2, 3, "Exported nightly."),
	section("Licensing Information", 2, 5, "Internal."),
	section("Preprocessing", 2, 7, "Deduplicated."),
]

missing_msgs := {
	"provenance": "datasets.0.datasheet.provenance is missing: say where the data of dataset transactions-2024 comes from and how it was collected (provenance: {source, collection_method, period}, or a `Collection Process` section)",
	"license": "datasets.0.datasheet.license is missing: give the license or terms the data of dataset transactions-2024 is used under (license:, or a `Licensing Information` section)",
	"preprocessing": "datasets.0.datasheet.preprocessing is missing: say how the data of dataset transactions-2024 was cleaned, labelled and transformed (preprocessing:, or a `Preprocessing` section)",
}

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_no_datasets_passes_below_high if {
	count(rule.deny) == 0 with input as fx.at_tier_without("limited", ["datasets"])
	count(rule.deny) == 0 with input as fx.to_tier(with_datasets([]), "minimal")
}

test_high_risk_without_datasets if {
	every inp in [fx.without(["datasets"]), with_datasets([]), with_datasets(null)] {
		findings := rule.deny with input as inp
		findings == {{
			"msg": "datasets is missing: a high-risk system lists the datasets it was trained, validated and tested on, each with a datasheet (or external: true for a third party's)",
			"field": "datasets",
		}}
	}
	fx.fields(rule.deny) == {"datasets"} with input as fx.to_tier(with_datasets([]), "prohibited")
}

test_external_datasets_need_no_datasheet if {
	count(rule.deny) == 0 with input as with_datasets(["squad", {"id": "imdb", "external": true}, {"id": "c4", "external": true, "datasheet": "gone.md"}])
}

test_datasets_wrong_type if {
	every datasets in [{"tx": "x"}, "squad", 3] {
		inp := with_datasets(datasets)
		findings := rule.deny with input as inp
		findings == {{
			"msg": "datasets must be a list of the datasets the system was trained and evaluated on ({id, datasheet})",
			"field": "datasets",
		}}
	}
}

test_dataset_entry_wrong_type if {
	every entry in [3, "", null, ["a"], true] {
		inp := with_datasets([dataset, entry])
		findings := rule.deny with input as inp
		findings == {{
			"msg": "datasets.1 must be a mapping ({id, datasheet}) or the id of a dataset on the Hugging Face Hub",
			"field": "datasets.1",
		}}
	}
}

test_missing_datasheet if {
	findings := rule.deny with input as with_datasets([{"id": "transactions-2024"}])
	findings == {{
		"msg": "datasets.0.datasheet is missing: link the datasheet of dataset transactions-2024 (provenance, license, preprocessing), or mark it external: true if a third party provides it",
		"field": "datasets.0.datasheet",
	}}
}

test_blank_datasheet_is_missing if {
	every datasheet in [null, "", " ", []] {
		inp := with_sheet(datasheet)
		fx.fields(rule.deny) == {"datasets.0.datasheet"} with input as inp
	}
}

test_dataset_named_by_name_or_not_at_all if {
	fx.msgs(rule.deny) == {"datasets.0.datasheet is missing: link the datasheet of dataset Transactions (provenance, license, preprocessing), or mark it external: true if a third party provides it"} with input as with_datasets([{"name": "Transactions"}])
	fx.msgs(rule.deny) == {"datasets.0.datasheet is missing: link the datasheet of the dataset (provenance, license, preprocessing), or mark it external: true if a third party provides it"} with input as with_datasets([{"id": 3, "role": "train"}])
}

test_only_external_true_is_external if {
	every external in [false, "true", "yes", null] {
		inp := with_datasets([{"id": "transactions-2024", "external": external}])
		fx.fields(rule.deny) == {"datasets.0.datasheet"} with input as inp
	}
}

test_unread_datasheet_without_problem if {
	findings := rule.deny with input as with_sheet("../data/tx-2024/DATASHEET.md")
	findings == {{
		"msg": "datasets.0.datasheet \"../data/tx-2024/DATASHEET.md\" was not read: the linked document is missing or does not parse",
		"field": "datasets.0.datasheet",
	}}
}

test_unread_datasheet_reported_by_card_invalid if {
	inp := object.union(with_sheet("../data/tx-2024/DATASHEET.md"), {"problems": [{"file": "examples/fraud-detector/MODEL_CARD.md", "line": 12, "field": "datasets.0.datasheet", "message": "datasets.0.datasheet: ../data/tx-2024/DATASHEET.md does not exist"}]})
	count(rule.deny) == 0 with input as inp
}

test_problem_of_another_dataset_does_not_count if {
	inp := object.union(with_datasets([dataset, {"id": "b", "datasheet": "b.md"}]), {"problems": [{"field": "datasets.0.datasheet", "message": "x"}, {"field": 3}, "odd"]})
	fx.fields(rule.deny) == {"datasets.1.datasheet"} with input as inp
}

test_datasheet_wrong_type if {
	every datasheet in [3, true, ["DATASHEET.md"]] {
		inp := with_sheet(datasheet)
		fx.msgs(rule.deny) == {"datasets.0.datasheet must be the path of the datasheet of dataset transactions-2024"} with input as inp
	}
}

test_missing_each_key if {
	every key in ["provenance", "license", "preprocessing"] {
		inp := without_keys([key])
		findings := rule.deny with input as inp
		findings == {{"msg": missing_msgs[key], "field": sprintf("datasets.0.datasheet.%s", [key])}}
	}
}

test_empty_datasheet_lacks_everything if {
	fx.msgs(rule.deny) == {msg | some msg in missing_msgs} with input as with_sheet({})
	fx.msgs(rule.deny) == {msg | some msg in missing_msgs} with input as with_sheet({"name": "tx", "license": " ", "provenance": 3, "preprocessing": {}})
}

test_provenance_as_text_or_source if {
	count(rule.deny) == 0 with input as with_sheet(object.union(sheet, {"provenance": "Core banking export"}))
	count(rule.deny) == 0 with input as with_sheet(object.union(object.remove(sheet, ["provenance"]), {"provenance": {"source": "core banking"}}))
	count(rule.deny) == 0 with input as with_sheet(object.union(sheet, {"provenance": ["core banking", "fraud case tool"]}))
}

test_provenance_without_source if {
	findings := rule.deny with input as with_sheet(object.union(object.remove(sheet, ["provenance"]), {"provenance": {"source": "", "period": "2024"}}))
	findings == {{
		"msg": "datasets.0.datasheet.provenance.source is missing: name where the data of dataset transactions-2024 comes from (the system, supplier or survey it was taken from)",
		"field": "datasets.0.datasheet.provenance.source",
	}}
}

test_license_and_preprocessing_shapes if {
	count(rule.deny) == 0 with input as with_sheet(object.union(sheet, {"license": ["cc-by-4.0", "mit"], "preprocessing": ["deduplicated", "tokenised"]}))
	count(rule.deny) == 0 with input as with_sheet(object.union(sheet, {"preprocessing": {"steps": ["deduplicated"]}}))
	fx.fields(rule.deny) == {"datasets.0.datasheet.license"} with input as with_sheet(object.union(sheet, {"license": {"id": "mit"}}))
	count(rule.deny) == 0 with input as with_sheet(object.union(object.remove(sheet, ["license"]), {"licenses": ["other-amazon-license"]}))
}

test_every_own_dataset_is_checked if {
	inp := with_datasets([dataset, "squad", {"id": "b", "datasheet": {"license": "mit"}}])
	fx.fields(rule.deny) == {"datasets.2.datasheet.provenance", "datasets.2.datasheet.preprocessing"} with input as inp
}

# Prose datasheets

test_prose_sections_pass if {
	count(rule.deny) == 0 with input as prose(complete_sections, [])
}

test_prose_without_sections if {
	fx.msgs(rule.deny) == {msg | some msg in missing_msgs} with input as prose([], [])
	fx.msgs(rule.deny) == {msg | some msg in missing_msgs} with input as object.remove(prose(complete_sections, []), ["documents"])
}

test_prose_heading_variants if {
	every titles in [
		["Collection Process", "Distribution", "Preprocessing/cleaning/labeling"],
		["Data Sources", "License", "Data Processing"],
		["Consent", "License", "Data Processing"],
		["Source Data", "Licence", "Curation Rationale"],
		["DATA COLLECTION", "Terms of Use", "Cleaning"],
		["Provenance", "licensing", "Annotations"],
		["Collection process", "Distribution", "Labelling"],
	] {
		inp := prose([section(title, 2, i + 1, "Text.") | some i, title in titles], [])
		count(rule.deny) == 0 with input as inp
	}
}

# Why the data exists and what it holds is not where it came from.
test_motivation_and_composition_are_not_provenance if {
	inp := prose([section("Motivation", 2, 1, "Built to detect fraud."), section("Composition", 2, 2, "Card payments."), section("License", 2, 3, "Internal."), section("Preprocessing", 2, 4, "Deduplicated.")], [])
	fx.fields(rule.deny) == {"datasets.0.datasheet.provenance"} with input as inp
}

test_unrelated_sections_do_not_count if {
	inp := prose([section("Uses", 2, 1, "Fraud review."), section("Maintenance", 2, 3, "Risk ML.")], [])
	fx.msgs(rule.deny) == {msg | some msg in missing_msgs} with input as inp
}

test_placeholder_section_does_not_count if {
	findings := rule.deny with input as prose(complete_sections, [5])
	findings == {{"msg": missing_msgs.license, "field": "datasets.0.datasheet.license"}}
}

test_placeholder_in_another_file_does_not_matter if {
	inp := object.union(prose(complete_sections, []), {"placeholder_sections": [{"file": "MODEL_CARD.md", "title": "Licensing Information", "line": 5}, "odd", {"line": 5}]})
	count(rule.deny) == 0 with input as inp
}

# Hugging Face dataset cards: "Source Data" has only a comment of its own,
# and subsections.
hf_sections(collection_text) := [
	section("Dataset Creation", 2, 1, "### Source Data\n<!-- describe -->\n#### Data Collection\nText."),
	section("Source Data", 3, 2, "<!-- describe -->\n#### Data Collection\nText."),
	section("Who are the source data producers?", 4, 4, collection_text),
	section("Licensing Information", 3, 6, "MIT"),
	section("Curation Rationale", 3, 8, "For fraud."),
]

test_subsection_text_counts_for_its_parent if {
	count(rule.deny) == 0 with input as prose(hf_sections("Card holders."), [])
}

test_parent_with_only_comments_and_filler_subsections if {
	inp := prose(hf_sections("[More Information Needed]"), [4])
	fx.msgs(rule.deny) == {missing_msgs.provenance} with input as inp
}

test_parent_with_own_text_counts if {
	inp := prose(
		[
			section("Collection process", 2, 1, "Exported nightly from core banking.\n### Who collected it?\nTODO"),
			section("Who collected it?", 3, 3, "TODO"),
			section("License", 2, 5, "Internal"),
			section("Preprocessing", 2, 7, "Deduplicated"),
		],
		[3],
	)
	count(rule.deny) == 0 with input as inp
}

# The Datasheets-for-Datasets template: italic guidance under each heading,
# no answers (aimsgate lists the unanswered questions as placeholders).
test_guidance_is_not_an_answer if {
	inp := prose(
		[
			section("Collection process", 2, 1, "_The questions in this section\nguide you._\n\n### How was the data acquired?\n_Describe it._"),
			section("How was the data acquired?", 3, 4, "_Describe it._"),
			section("License", 2, 6, "Internal"),
			section("Preprocessing", 2, 8, "Deduplicated"),
		],
		[4],
	)
	fx.msgs(rule.deny) == {missing_msgs.provenance} with input as inp
}

test_guidance_with_an_answer_counts if {
	inp := prose(
		[
			section("Collection process", 2, 1, "_The questions in this section guide you._\n\nExported nightly.\n### How?\n"),
			section("How?", 3, 4, ""),
			section("License", 2, 6, "Internal"),
			section("Preprocessing", 2, 8, "Deduplicated"),
		],
		[4],
	)
	count(rule.deny) == 0 with input as inp
}

test_subtree_ends_at_the_next_sibling if {
	inp := prose(
		[
			section("Source Data", 2, 1, "<!-- fill in -->\n### Who?\n"),
			section("Who?", 3, 2, ""),
			section("Uses", 2, 4, "Fraud review."),
			section("License", 2, 5, "Internal"),
			section("Preprocessing", 2, 7, "Deduplicated"),
		],
		[2],
	)
	fx.msgs(rule.deny) == {missing_msgs.provenance} with input as inp
}

test_odd_sections_are_skipped if {
	odd := ["Collection Process", 3, null, {"title": 3, "level": "2", "line": 9, "text": 4}, {"level": 2}]
	inp := prose(array.concat(odd, complete_sections), [])
	count(rule.deny) == 0 with input as inp
	inp2 := prose([{"title": "Collection process", "level": "x", "line": 1, "text": "x"}, {"title": "License", "line": 2, "text": "x"}, section("Preprocessing", 1, 3, 5)], [])
	count(rule.deny) == 0 with input as inp2
}

test_keys_and_sections_combine if {
	inp := object.union(prose(complete_sections, [3, 7]), {"record": {"datasets": [{"id": "transactions-2024", "datasheet": {"provenance": {"source": "core banking"}, "preprocessing": "deduplicated"}}]}})
	count(rule.deny) == 0 with input as inp
}

test_section_covers_provenance_without_source if {
	inp := object.union(prose(complete_sections, []), {"record": {"datasets": [{"id": "transactions-2024", "datasheet": {"provenance": {"period": "2024"}}}]}})
	count(rule.deny) == 0 with input as inp
}

# One input per check, each failing it.
failing := [
	with_datasets({"tx": "x"}),
	with_datasets([3]),
	with_datasets([{"id": "transactions-2024"}]),
	with_sheet("../data/tx-2024/DATASHEET.md"),
	with_sheet(3),
	without_keys(["provenance"]),
	with_sheet(object.union(object.remove(sheet, ["provenance"]), {"provenance": {"period": "2024"}})),
	without_keys(["license"]),
	without_keys(["preprocessing"]),
	prose(array.slice(complete_sections, 0, 3), []),
]

test_failing_inputs_fail_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		every inp in failing {
			count(rule.deny) == 1 with input as fx.to_tier(inp, t)
		}
	}
}
