# METADATA
# title: Intended use and out-of-scope uses stated
# description: >-
#   The card states what the system is for (intended_use.primary) and what it
#   must not be used for (intended_use.out_of_scope), as keys or as the
#   Uses / Direct Use and Out-of-Scope Use sections of a Hugging Face card.
#   Deployers can only use a system as intended when they are told both.
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/13/
#     description: EU AI Act Article 13, Transparency and provision of information to deployers
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.9.4 Intended use of the AI system
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MAP 1.1 intended purposes and context
# custom:
#   id: intended-use
#   severity: {high: error, limited: error, minimal: warning}
#   controls: [iso42001:A.9.4, eu-ai-act:art-13, nist-ai-rmf:MAP-1.1]
#   remediation: |-
#     State the intended uses and the uses the system is not fit for:
#
#       intended_use:
#         primary: [Score transactions for fraud review]
#         users: [Fraud analysts]
#         out_of_scope: [Automatic account closure]
#
#     or write `## Uses` (or `### Direct Use`) and `### Out-of-Scope Use`
#     sections in the Markdown card.
package aimsgate.rules.intended_use

import data.aimsgate.lib
import data.aimsgate.lib.record

intended_use := object.get(record, "intended_use", null)

# [key, value] of both lists of uses, read once per system.
stated := [[key, object.get(lib.mapping(intended_use), key, null)] | some key in ["primary", "out_of_scope"]]

what := {
	"primary": "what the system is intended to be used for",
	"out_of_scope": "what the system must not be used for",
}

deny contains {
	"msg": "intended_use must be a mapping with primary and out_of_scope (lists of uses)",
	"field": "intended_use",
} if {
	not is_null(intended_use)
	not is_object(intended_use)
}

# A key that is absent or blank: state it.
deny contains {
	"msg": sprintf("intended_use.%s is missing: state %s (or write a `%s` section)", [key, what[key], section[key]]),
	"field": sprintf("intended_use.%s", [key]),
} if {
	some key in blank_keys
	not wrong_type
}

blank_keys contains key if {
	some [key, value] in stated
	lib.blank(value)
}

section := {"primary": "## Uses", "out_of_scope": "### Out-of-Scope Use"}

wrong_type if {
	not is_null(intended_use)
	not is_object(intended_use)
}

# A value that is neither a string nor a list of strings.
deny contains {
	"msg": sprintf("intended_use.%s must be a text or a list of texts", [key]),
	"field": sprintf("intended_use.%s", [key]),
} if {
	some [key, value] in stated
	not key in blank_keys
	not is_string(value)
	not is_array(value)
}

# A list with a blank entry.
deny contains {
	"msg": sprintf("intended_use.%s.%d %s: write the use, or remove the entry", [key, i, lib.entry_problem(value[i])]),
	"field": sprintf("intended_use.%s.%d", [key, i]),
} if {
	some [key, value] in stated
	some i in lib.blank_entries(value)
}
