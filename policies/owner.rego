# METADATA
# title: Owner declared
# description: >-
#   The card names the accountable owner of the AI system (owner.name) and a
#   way to reach them (owner.contact), so that every system in the inventory
#   has someone answerable for its risks, incidents and evidence.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.3.2 AI roles and responsibilities
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, GOVERN 2.1 roles and responsibilities
# custom:
#   id: owner
#   severity: error
#   controls: [iso42001:A.3.2, nist-ai-rmf:GOVERN-2.1]
#   remediation: |-
#     Name the team or person accountable for the system and how to reach them:
#
#       owner:
#         name: Risk ML Team
#         contact: risk-ml@acme.example
package aimsgate.rules.owner

import data.aimsgate.lib
import data.aimsgate.lib.record

owner := object.get(record, "owner", null)

owner_blank if lib.blank(owner)

# No owner at all.
deny contains {
	"msg": "owner is missing: name the accountable team or person (owner.name) and how to reach them (owner.contact)",
	"field": "owner",
} if {
	not lib.given(record, "owner")
}

# owner: Risk ML Team (a plain string): the name is there, a contact is not.
deny contains {
	"msg": "owner.contact is missing: owner is a plain name; write it as a mapping with name and contact",
	"field": "owner.contact",
} if {
	lib.text(owner)
}

deny contains {
	"msg": "owner must be a mapping with name and contact",
	"field": "owner",
} if {
	not owner_blank
	not is_object(owner)
	not is_string(owner)
	not is_array(owner)
}

# owner: {name, contact}
deny contains {"msg": sprintf("owner.%s is missing: the owner needs a name and a contact", [key]), "field": sprintf("owner.%s", [key])} if {
	is_object(owner)
	not owner_blank
	some key in ["name", "contact"]
	not lib.text(object.get(owner, key, null))
}

# owner: [{name, contact}, ...] (Model Card Toolkit's model_details.owners)
deny contains {"msg": sprintf("owner.%d.%s is missing: every owner needs a name and a contact", [i, key]), "field": sprintf("owner.%d.%s", [i, key])} if {
	is_array(owner)
	some i, entry in owner
	some key in ["name", "contact"]
	not lib.text(lib.get(entry, key, null))
}
