# METADATA
# title: Personal data has a legal basis and a DPIA
# description: >-
#   A datasheet that says its dataset holds personal data
#   (personal_data.present: true) names the legal basis for processing it
#   (personal_data.legal_basis, e.g. a GDPR Art. 6 basis) and references its
#   data protection impact assessment (personal_data.dpia, a path relative to
#   the datasheet; a missing or empty file is reported by card-invalid). A
#   datasheet that says present: false but lists categories of personal data
#   contradicts itself. Checked for every datasheet that was read, own or
#   third-party.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.7.3 Acquisition of data
#   - ref: https://artificialintelligenceact.eu/article/10/
#     description: EU AI Act Article 10, Data and data governance
#   - ref: https://gdpr-info.eu/art-35-gdpr/
#     description: GDPR Article 35, Data protection impact assessment
# custom:
#   id: personal-data
#   severity: {high: error, limited: warning, minimal: warning}
#   controls: [iso42001:A.7.3, eu-ai-act:art-10]
#   remediation: |-
#     In the datasheet, name the legal basis for processing the personal data
#     and link the DPIA (relative to the datasheet):
#
#       personal_data:
#         present: true
#         categories: [pseudonymised customer identifiers, payment amounts]
#         legal_basis: GDPR Art. 6(1)(f) legitimate interests in preventing fraud
#         dpia: DPIA.md
package aimsgate.rules.personal_data

import data.aimsgate.lib
import data.aimsgate.lib.record

datasets := lib.list(object.get(record, "datasets", null))

# present(personal_data): the datasheet says the data is about people:
# present: true (or "yes"), or personal_data: true.
present(personal_data) if personal_data == true

present(personal_data) if personal_data.present == true

present(personal_data) if {
	value := personal_data.present
	is_string(value)
	lower(trim_space(value)) in {"yes", "true"}
}

what := {
	"legal_basis": "name the legal basis for processing it (e.g. GDPR Art. 6(1)(f) legitimate interests)",
	"dpia": "reference its data protection impact assessment (dpia: DPIA.md)",
}

deny contains {
	"msg": sprintf("datasets.%d.datasheet.personal_data.%s is missing: %s holds personal data, so %s", [i, key, name(entry), what[key]]),
	"field": sprintf("datasets.%d.datasheet.personal_data.%s", [i, key]),
} if {
	some i, entry in datasets
	is_object(entry)
	personal_data := object.get(entry, ["datasheet", "personal_data"], null)
	present(personal_data)
	some key, _ in what
	not given(lib.get(personal_data, key, null), key)
}

# given(value, key): legal_basis a text (or texts); dpia a reference.
given(value, "legal_basis") if lib.answer(value)

given(value, "dpia") if {
	is_string(value)
	lib.answer(value)
}

# absent(personal_data): the datasheet says the data holds no personal data.
absent(personal_data) if personal_data.present == false

absent(personal_data) if {
	value := personal_data.present
	is_string(value)
	lower(trim_space(value)) in {"no", "false", "none"}
}

deny contains {
	"msg": sprintf("datasets.%d.datasheet.personal_data.present is false, yet categories lists personal data (%s): if the data is about people, say present: true and give its legal basis and DPIA; if not, remove the categories", [i, concat(", ", categories)]),
	"field": sprintf("datasets.%d.datasheet.personal_data.present", [i]),
} if {
	some i, entry in datasets
	is_object(entry)
	personal_data := object.get(entry, ["datasheet", "personal_data"], null)
	absent(personal_data)
	categories := [c | some c in lib.list(object.get(personal_data, "categories", null)); lib.answer(c)]
	count(categories) > 0
}

# name(entry): "dataset transactions-2024", for messages.
name(entry) := sprintf("dataset %s", [id(entry)]) if lib.text(id(entry))

name(entry) := "the dataset" if not lib.text(id(entry))

id(entry) := lib.get(entry, "id", lib.get(entry, "name", null))
