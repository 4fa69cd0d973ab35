# METADATA
# title: Datasets documented by datasheets
# description: >-
#   Every dataset the system was built or evaluated with (datasets) links a
#   datasheet that was read, and the datasheet says where the data comes from
#   (provenance, at least its source), under which license it is used, and how
#   it was preprocessed: as keys (provenance: {source, collection_method,
#   period}, license (or licenses), preprocessing), or as the sections of a
#   Datasheets-for-Datasets or Hugging Face dataset card (Collection Process,
#   Source Data, Provenance, Consent; Licensing Information,
#   Distribution; Preprocessing/cleaning/labeling, Data Processing, Curation
#   Rationale). A section counts when it, or one of its subsections, holds
#   text that is not template filler (the template's italic guidance alone
#   does not count); Motivation and Composition say why the data exists and
#   what it holds, not where it came from. A high-risk system lists its
#   datasets. Third-party datasets (external: true,
#   or a bare Hugging Face Hub id) are covered by the supplier rule instead.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.7.2 to A.7.6 Data for AI systems
#   - ref: https://artificialintelligenceact.eu/article/10/
#     description: EU AI Act Article 10, Data and data governance
#   - ref: https://arxiv.org/abs/1803.09010
#     description: Gebru et al., Datasheets for Datasets
# custom:
#   id: datasheet
#   severity: {high: error, limited: warning, minimal: warning}
#   controls: [iso42001:A.7.2, iso42001:A.7.3, iso42001:A.7.4, iso42001:A.7.5, iso42001:A.7.6, eu-ai-act:art-10]
#   remediation: |-
#     Link a datasheet from each dataset (relative to the card) and give it the
#     data's provenance, license and preprocessing; `aimsgate init` writes one:
#
#       datasets:
#         - {id: transactions-2024, datasheet: ../data/tx-2024/DATASHEET.md}
#
#     with, in the datasheet's front matter:
#
#       license: proprietary
#       provenance: {source: Core banking system, collection_method: Nightly export, period: 2024}
#       preprocessing: Deduplicated; card numbers tokenised
#
#     or `## Collection Process`, `## Licensing Information` and
#     `## Preprocessing` sections. Mark a third-party dataset `external: true`.
package aimsgate.rules.datasheet

import data.aimsgate.lib
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.record

datasets := object.get(record, "datasets", null)

# A high-risk system was trained on something: Article 10 asks what.
deny contains {
	"msg": "datasets is missing: a high-risk system lists the datasets it was trained, validated and tested on, each with a datasheet (or external: true for a third party's)",
	"field": "datasets",
} if {
	judged_tier == "high"
	lib.blank(datasets)
}

deny contains {
	"msg": "datasets must be a list of the datasets the system was trained and evaluated on ({id, datasheet})",
	"field": "datasets",
} if {
	not lib.blank(datasets)
	not is_array(datasets)
}

deny contains {
	"msg": sprintf("datasets.%d must be a mapping ({id, datasheet}) or the id of a dataset on the Hugging Face Hub", [i]),
	"field": sprintf("datasets.%d", [i]),
} if {
	some i, entry in lib.list(datasets)
	not lib.text(entry)
	not is_object(entry)
}

# own(entry): a dataset of the system's own, not a third party's.
own(entry) if {
	is_object(entry)
	lib.get(entry, "external", false) != true
}

# [index, entry, datasheet] of each dataset whose datasheet the provider
# keeps (not external): read once per system, not once per rule.
own_datasets := [[i, entry, object.get(entry, "datasheet", null)] |
	some i, entry in lib.list(datasets)
	own(entry)
]

# name(entry): "dataset transactions-2024", for messages.
name(entry) := sprintf("dataset %s", [id(entry)]) if lib.text(id(entry))

name(entry) := "the dataset" if not lib.text(id(entry))

# id(entry): the dataset's id, else its name.
id(entry) := lib.get(entry, "id", lib.get(entry, "name", null))

deny contains {
	"msg": sprintf("datasets.%d.datasheet is missing: link the datasheet of %s (provenance, license, preprocessing), or mark it external: true if a third party provides it", [i, name(entry)]),
	"field": sprintf("datasets.%d.datasheet", [i]),
} if {
	some [i, entry, datasheet] in own_datasets
	lib.blank(datasheet)
	not is_object(datasheet)
}

# Still a path: the datasheet could not be read. card-invalid reports why,
# from input.problems; only when no problem says so is it reported here.
deny contains {
	"msg": sprintf("datasets.%d.datasheet %s was not read: the linked document is missing or does not parse", [i, json.marshal(datasheet)]),
	"field": sprintf("datasets.%d.datasheet", [i]),
} if {
	some [i, _, datasheet] in own_datasets
	lib.text(datasheet)
	not reported_as_problem(sprintf("datasets.%d.datasheet", [i]))
}

reported_as_problem(path) if {
	some problem in lib.list(lib.get(input, "problems", []))
	field := lib.get(problem, "field", "")
	is_string(field)
	startswith(field, path)
}

deny contains {
	"msg": sprintf("datasets.%d.datasheet must be the path of the datasheet of %s", [i, name(entry)]),
	"field": sprintf("datasets.%d.datasheet", [i]),
} if {
	some [i, entry, datasheet] in own_datasets
	not lib.blank(datasheet)
	not is_string(datasheet)
	not is_object(datasheet)
}

# ---------------------------------------------------------------------------
# What a datasheet that was read must say

aspects := ["provenance", "license", "preprocessing"]

what := {
	"provenance": "say where the data of %s comes from and how it was collected (provenance: {source, collection_method, period}, or a `Collection Process` section)",
	"license": "give the license or terms the data of %s is used under (license:, or a `Licensing Information` section)",
	"preprocessing": "say how the data of %s was cleaned, labelled and transformed (preprocessing:, or a `Preprocessing` section)",
}

deny contains {
	"msg": sprintf("datasets.%d.datasheet.%s is missing: %s", [i, aspect, sprintf(what[aspect], [name(entry)])]),
	"field": sprintf("datasets.%d.datasheet.%s", [i, aspect]),
} if {
	some [i, entry, datasheet] in own_datasets
	is_object(datasheet)
	some aspect in aspects
	not [i, aspect] in stated
	not partial(datasheet, aspect)
	not in_sections(i, aspect)
}

# provenance: {collection_method: ...} without a source.
deny contains {
	"msg": sprintf("datasets.%d.datasheet.provenance.source is missing: name where the data of %s comes from (the system, supplier or survey it was taken from)", [i, name(entry)]),
	"field": sprintf("datasets.%d.datasheet.provenance.source", [i]),
} if {
	some [i, entry, datasheet] in own_datasets
	is_object(datasheet)
	not [i, "provenance"] in stated
	partial(datasheet, "provenance")
	not in_sections(i, "provenance")
}

# [index, aspect] of every aspect an own datasheet states as a key,
# computed once per system.
stated contains [i, aspect] if {
	some [i, _, datasheet] in own_datasets
	is_object(datasheet)
	some aspect in aspects
	given(datasheet, aspect)
}

# given(datasheet, aspect): the aspect is written as a key of the datasheet
# (a mapping).
given(datasheet, "provenance") if lib.texts(object.get(datasheet, "provenance", null))

given(datasheet, "provenance") if lib.texts(object.get(datasheet, ["provenance", "source"], null))

given(datasheet, "license") if lib.texts(object.get(datasheet, "license", null))

# licenses: the key of older Hugging Face dataset cards.
given(datasheet, "license") if lib.texts(object.get(datasheet, "licenses", null))

given(datasheet, "preprocessing") if lib.texts(object.get(datasheet, "preprocessing", null))

given(datasheet, "preprocessing") if {
	steps := object.get(datasheet, "preprocessing", null)
	is_object(steps)
	count(steps) > 0
}

# partial(datasheet, "provenance"): provenance is a mapping, but without a source.
partial(datasheet, "provenance") if {
	provenance := object.get(datasheet, "provenance", null)
	is_object(provenance)
	count(provenance) > 0
}

# ---------------------------------------------------------------------------
# Sections of a prose datasheet (input.documents["datasets.N.datasheet"])

# Words of the section titles (lower case) that cover each aspect.
titles := {
	"provenance": ["provenance", "collection", "source data", "data source", "consent"],
	"license": ["license", "licence", "licensing", "distribution", "terms of use"],
	"preprocessing": ["processing", "cleaning", "labeling", "labelling", "annotation", "curation"],
}

in_sections(i, aspect) if [i, aspect] in covered

# covered: [i, aspect] when a section of the datasheet of datasets[i] whose
# title names the aspect holds text that is not template filler, itself or
# in one of its subsections. A rule, so it is computed once per input; the
# levels and filled sections of each document are computed once, too.
covered contains [i, aspect] if {
	some [i, _, _] in own_datasets
	doc := lib.mapping(lib.get(documents, sprintf("datasets.%d.datasheet", [i]), {}))
	sections := [section | some section in lib.list(lib.get(doc, "sections", [])); is_object(section)]
	file := lib.get(doc, "file", "")
	levels := [level(section) | some section in sections]
	filled := {j |
		some j, section in sections
		not [file, lib.get(section, "line", null)] in placeholder_lines
		own_text(section, subsections(levels, j))
	}
	some s, section in sections
	some aspect in aspects
	titled(section, aspect)
	end := subtree_end(levels, s)
	some j in filled
	j >= s
	j < end
}

documents := lib.mapping(lib.get(input, "documents", {}))

titled(section, aspect) if {
	title := lib.get(section, "title", null)
	is_string(title)
	some word in titles[aspect]
	contains(lower(title), word)
}

level(section) := section.level if is_number(lib.get(section, "level", null))

level(section) := 0 if not is_number(lib.get(section, "level", null))

# subtree_end(levels, s): the index of the first section after section s
# that is not one of its subsections (the count of sections when none is).
subtree_end(levels, s) := min(array.concat(
	[k | some k in numbers.range(s + 1, count(levels) - 1); k > s; levels[k] <= levels[s]],
	[count(levels)],
))

# subsections(levels, j): section j has subsections.
subsections(levels, j) := levels[j + 1] > levels[j] if j + 1 < count(levels)

subsections(levels, j) := false if j + 1 >= count(levels)

placeholder_lines contains [file, line] if {
	some listed in lib.list(lib.get(input, "placeholder_sections", []))
	file := lib.get(listed, "file", null)
	line := lib.get(listed, "line", null)
}

# own_text(section, has_subsections): the section holds text of its own.
# aimsgate lists filler and empty sections in input.placeholder_sections, but
# not a section with subsections whose own text is empty: a section without
# subsections that is not listed has text.
own_text(section, false) := true

# Otherwise its text, before the first subsection heading, has more than
# blanks, HTML comments and the template's guidance (paragraphs wholly in
# italics, as aimsgate tells them for input.placeholder_sections).
# (regorus's regex knows no \s: classes are written out.)
own_text(section, true) if {
	text := lib.get(section, "text", null)
	is_string(text)
	not regex.match(`(?s)^[ \t\r\n]*((<!--.*?-->|_[^_]+_|\*[^*]+\*)[ \t\r\n]*)*(#|$)`, text)
}
