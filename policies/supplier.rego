# METADATA
# title: Third-party models and datasets licensed and assessed
# description: >-
#   Every third-party component is listed in suppliers with the license it is
#   used under and a link to its supplier assessment: each suppliers entry
#   (name, license, assessment), each base model (base_model, an id or a list
#   of ids) and each external dataset (a bare Hugging Face Hub id in
#   datasets, or an entry with external: true) by a suppliers entry of the
#   same name (compared without case). What the system's code uses counts
#   too: a model it loads by name (from_pretrained("bert-base-uncased")) is
#   declared in base_model or suppliers, and a hosted-model provider whose
#   client it calls (OpenAI, Anthropic, Bedrock...) is a suppliers entry,
#   each reported once, at the first call. A license of "unknown" or NOASSERTION
#   is none, and an assessment is a document, a register id or a sentence,
#   not "ok" or "none". When the allowed_licenses param is a non-empty list,
#   every supplier's license is one of them (compared without case).
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.10.3 Suppliers
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, GOVERN 6.1 third-party risks
# custom:
#   id: supplier
#   severity: {high: error, limited: warning, minimal: warning}
#   controls: [iso42001:A.10.3, nist-ai-rmf:GOVERN-6.1]
#   remediation: |-
#     List every third-party model, dataset and library with its license and
#     the assessment of its supplier (relative to the card):
#
#       base_model: bert-base-uncased
#       suppliers:
#         - {name: bert-base-uncased, component: model, license: apache-2.0,
#            assessment: docs/vendors/bert.md}
#
#     A hosted model's provider is a supplier too:
#
#       suppliers:
#         - {name: OpenAI, component: hosted model (gpt-4o-mini), license: OpenAI
#            services agreement, assessment: docs/vendors/openai.md}
#
#     A card you do not own (a published prose card) takes these keys in a
#     sidecar, aimsgate.yaml beside it.
#     Allowed licenses are set in aimsgate.toml: [params] allowed_licenses =
#     ["apache-2.0", "mit"].
package aimsgate.rules.supplier

import data.aimsgate.lib
import data.aimsgate.lib.params
import data.aimsgate.lib.record

suppliers := object.get(record, "suppliers", null)

supplier_list := lib.list(suppliers)

deny contains {
	"msg": "suppliers must be a list of third-party components ({name, component, license, assessment})",
	"field": "suppliers",
} if {
	not lib.blank(suppliers)
	not is_array(suppliers)
}

deny contains {
	"msg": sprintf("suppliers.%d must be a mapping ({name, component, license, assessment})", [i]),
	"field": sprintf("suppliers.%d", [i]),
} if {
	some i, supplier in supplier_list
	not is_object(supplier)
}

deny contains {
	"msg": sprintf("suppliers.%d.name is missing: name the third-party model, dataset or library", [i]),
	"field": sprintf("suppliers.%d.name", [i]),
} if {
	some i, supplier in supplier_list
	is_object(supplier)
	not lib.text(object.get(supplier, "name", null))
}

deny contains {
	"msg": sprintf("suppliers.%d.license is missing: give the license %s is used under", [i, called(supplier)]),
	"field": sprintf("suppliers.%d.license", [i]),
} if {
	some i, supplier in supplier_list
	is_object(supplier)
	lib.blank(object.get(supplier, "license", null))
}

# "unknown" and SPDX's NOASSERTION say the license was not established: the
# component may not be usable at all.
deny contains {
	"msg": sprintf("%s %s is not a license: find out the license %s is used under and record it", [field, json.marshal(license), what]),
	"field": field,
} if {
	some [field, what, license] in stated_licenses
	not lib.blank(license)
	not known_license(license)
}

# [field, component, license] of each license stated for a supplier or an
# external dataset, one per entry of a list of licenses.
stated_licenses contains [sprintf("suppliers.%d.license", [i]), what, license] if {
	some i, supplier in supplier_list
	is_object(supplier)
	license := supplier.license
	not is_array(license)
	what := called(supplier)
}

stated_licenses contains [sprintf("suppliers.%d.license.%d", [i, k]), what, license] if {
	some i, supplier in supplier_list
	is_object(supplier)
	some k, license in lib.list(object.get(supplier, "license", null))
	what := called(supplier)
}

stated_licenses contains [sprintf("datasets.%d.license", [i]), what, license] if {
	some [i, id] in external_datasets
	entry := datasets[i]
	is_object(entry)
	license := entry.license
	what := sprintf("dataset %s", [id])
}

known_license(x) if {
	lib.answer(x)
	not unlicensed(x)
}

unlicensed(x) if {
	is_string(x)
	lower(trim_space(x)) in {"noassertion", "no assertion", "not known", "unclear", "?"}
}

deny contains {
	"msg": sprintf("suppliers.%d.assessment is missing: link the assessment of %s and its supplier (e.g. docs/vendors/%s.md)", [i, called(supplier), slug(supplier)]),
	"field": sprintf("suppliers.%d.assessment", [i]),
} if {
	some i, supplier in supplier_list
	is_object(supplier)
	lib.blank(object.get(supplier, "assessment", null))
}

# An assessment is a document (a path or URL, which aimsgate checks exists),
# an id in a register, or a sentence: "ok", "done" and "none" say that
# nobody looked, or not what they found.
deny contains {
	"msg": sprintf("suppliers.%d.assessment %s is not an assessment: link the assessment of %s and its supplier (e.g. docs/vendors/%s.md), or summarise what it found", [i, json.marshal(assessment), called(supplier), slug(supplier)]),
	"field": sprintf("suppliers.%d.assessment", [i]),
} if {
	some i, supplier in supplier_list
	is_object(supplier)
	assessment := supplier.assessment
	not lib.blank(assessment)
	not assessed(assessment)
}

assessed(x) if assessed_entry(x)

assessed(x) if {
	is_array(x)
	count(x) > 0
	every item in x {
		assessed_entry(item)
	}
}

assessed_entry(x) if lib.prose(x)

# A reference: one token holding a path separator, an extension or a
# number (docs/vendors/bert.md, https://..., VR-2026-031).
assessed_entry(x) if {
	is_string(x)
	lib.answer(x)
	not regex.match(`[ \t\r\n]`, trim_space(x))
	regex.match(`[/0-9]|[.][A-Za-z]`, x)
}

# called(supplier): its name, for messages.
called(supplier) := supplier.name if lib.text(lib.get(supplier, "name", null))

called(supplier) := "the component" if not lib.text(lib.get(supplier, "name", null))

slug(supplier) := lower(replace(replace(trim_space(supplier.name), "/", "-"), " ", "-")) if lib.text(lib.get(supplier, "name", null))

slug(supplier) := "vendor" if not lib.text(lib.get(supplier, "name", null))

# ---------------------------------------------------------------------------
# Allowed licenses (params.allowed_licenses, when a non-empty list)

allowed := {lower(trim_space(license)) | some license in lib.list(lib.get(params, "allowed_licenses", null)); is_string(license)}

deny contains {
	"msg": sprintf("suppliers.%d.license %s is not an allowed license (allowed_licenses: %s): use a component under an allowed license, or have the license approved and added to allowed_licenses", [i, license, concat(", ", sort(allowed))]),
	"field": sprintf("suppliers.%d.license", [i]),
} if {
	count(allowed) > 0
	some i, supplier in supplier_list
	some license in licenses(lib.get(supplier, "license", null))
	not lower(trim_space(license)) in allowed
}

# licenses(x): the license texts of a license (one, or a list of them).
licenses(x) := [x] if lib.text(x)

licenses(x) := [license | some license in x; lib.text(license)] if is_array(x)

# ---------------------------------------------------------------------------
# Base models and external datasets: listed in suppliers

supplied contains lower(trim_space(name)) if {
	some supplier in supplier_list
	name := lib.get(supplier, "name", null)
	lib.text(name)
}

listed(name) if lower(trim_space(name)) in supplied

base_model := object.get(record, "base_model", null)

base_model_list := lib.list(base_model)

# base_models: [field, id] of each base model.
base_models contains ["base_model", base_model] if lib.text(base_model)

base_models contains [sprintf("base_model.%d", [k]), model] if {
	some k, model in base_model_list
	lib.text(model)
}

deny contains {
	"msg": sprintf("base_model %s is not listed in suppliers with a license and an assessment: add {name: %s, component: model, license: ..., assessment: ...}", [model, model]),
	"field": field,
} if {
	some [field, model] in base_models
	not listed(model)
}

deny contains {
	"msg": "base_model must be a model id or a list of model ids",
	"field": "base_model",
} if {
	not lib.blank(base_model)
	not is_string(base_model)
	not is_array(base_model)
}

deny contains {
	"msg": sprintf("base_model.%d must be a model id", [k]),
	"field": sprintf("base_model.%d", [k]),
} if {
	some k, model in base_model_list
	not lib.text(model)
}

datasets := lib.list(object.get(record, "datasets", null))

# A bare Hub id, or a mapping with external: true and an id (or name).
external_datasets contains [i, entry] if {
	some i, entry in datasets
	lib.text(entry)
}

external_datasets contains [i, dataset_id(entry)] if {
	some i, entry in datasets
	entry.external == true
	lib.text(dataset_id(entry))
}

dataset_id(entry) := lib.get(entry, "id", lib.get(entry, "name", null))

deny contains {
	"msg": sprintf("dataset %s is external but is not listed in suppliers with a license and an assessment: add {name: %s, component: dataset, license: ..., assessment: ...}", [id, id]),
	"field": sprintf("datasets.%d", [i]),
} if {
	some [i, id] in external_datasets
	not listed(id)
}

deny contains {
	"msg": sprintf("datasets.%d is external but has no id: give the dataset's id, and list it under that name in suppliers with a license and an assessment", [i]),
	"field": sprintf("datasets.%d", [i]),
} if {
	some i, entry in datasets
	entry.external == true
	not lib.text(dataset_id(entry))
}

# ---------------------------------------------------------------------------
# What the code uses: models it loads by name, hosted providers it calls

code := lib.mapping(lib.get(input, "system", {}))

# Every name the card declares a component under, without case; a model id
# also by its last part (google-bert/bert-base-uncased, bert-base-uncased).
declared_names contains lower(trim_space(name)) if {
	some name in supplied
}

declared_names contains lower(trim_space(model)) if {
	some [_, model] in base_models
}

declared_names contains lower(trim_space(component)) if {
	some supplier in supplier_list
	component := lib.get(supplier, "component", null)
	lib.text(component)
}

short_name(id) := parts[count(parts) - 1] if parts := split(lower(trim_space(id)), "/")

declared_model(id) if lower(trim_space(id)) in declared_names

declared_model(id) if {
	some name in declared_names
	short_name(name) == short_name(id)
}

# A provider is declared by a suppliers entry naming it: any word of its
# name (OpenAI, Bedrock, Vertex, Gemini), or the company behind it.
provider_words(provider) := {w |
	some w in split(lower(provider), " ")
	count(w) >= 4
	not w in {"inference", "hosted"}
} | object.get(provider_companies, lower(provider), set())

provider_companies := {
	"amazon bedrock": {"aws", "amazon"},
	"anthropic on amazon bedrock": {"aws", "amazon", "anthropic"},
	"anthropic on google vertex ai": {"google", "anthropic"},
	"azure openai": {"microsoft", "azure"},
	"google gemini": {"google"},
	"google vertex ai": {"google"},
	"hugging face inference": {"huggingface", "hugging face"},
}

declared_provider(provider) if {
	some name in declared_names
	some word in provider_words(provider)
	contains(name, word)
}

code_models := [m | some m in lib.list(lib.get(code, "models", [])); is_object(m); lib.text(lib.get(m, "model", null))]

code_providers := [p | some p in lib.list(lib.get(code, "providers", [])); is_object(p); lib.text(lib.get(p, "provider", null))]

# Models a hosted provider serves are covered by that provider's entry:
# one finding per provider (below), naming its models.
deny contains {
	"msg": sprintf("%s loads the model %s with %s, which %s does not declare: add it to base_model, and to suppliers with its license and assessment", [use.file, use.model, use.library, the_card]),
	"file": use.file,
	"line": position(use, "line"),
	"column": position(use, "column"),
	"key": sprintf("model %s", [use.model]),
} if {
	some use in code_models
	not lib.text(lib.get(use, "provider", null))
	not declared_model(use.model)
}

deny contains {
	"msg": sprintf("%s calls hosted models of %s%s, which %s does not list in suppliers: add {name: %s, component: hosted model, license: ..., assessment: ...}", [use.file, use.provider, served(use.provider), the_card, use.provider]),
	"file": use.file,
	"line": position(use, "line"),
	"column": position(use, "column"),
	"key": sprintf("provider %s", [use.provider]),
} if {
	some use in code_providers
	not declared_provider(use.provider)
	not all_models_declared(use.provider)
}

# the_card: "the card x/MODEL_CARD.md", the card of the system whose code it is.
the_card := sprintf("the card %s", [card]) if {
	card := lib.get(code, "card", null)
	lib.text(card)
} else := "the card"

# served(provider): " (gpt-4o, gpt-4o-mini)", the models the code names.
served(provider) := sprintf(" (%s)", [concat(", ", models)]) if {
	models := sort({m.model | some m in code_models; lib.get(m, "provider", null) == provider})
	count(models) > 0
} else := ""

# Every model of the provider the code names is itself declared.
all_models_declared(provider) if {
	models := {m.model | some m in code_models; lib.get(m, "provider", null) == provider}
	count(models) > 0
	every m in models {
		declared_model(m)
	}
}

position(use, key) := n if {
	n := lib.get(use, key, 1)
	is_number(n)
	n >= 1
} else := 1
