# METADATA
# title: Owner declared
# description: >-
#   The card names the accountable owner of the AI system (owner.name) and a
#   way to reach them (owner.contact), so that every system in the inventory
#   has someone answerable for its risks, incidents and evidence. A contact
#   is a way to reach someone: it holds an email address, a URL (a ticket
#   queue, a team page, mailto:), a chat channel (#risk-ml) or handle
#   (@acme/risk-ml), or a phone number. A team's name again, "TBD" or
#   "ask around" reaches nobody.
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

# [field, contact] of every contact given as text (other values are
# reported as missing above).
contacts contains ["owner.contact", c] if {
	is_object(owner)
	c := owner.contact
	lib.text(c)
}

contacts contains [sprintf("owner.%d.contact", [i]), c] if {
	is_array(owner)
	some i, entry in owner
	is_object(entry)
	c := entry.contact
	lib.text(c)
}

deny contains {
	"msg": sprintf("%s %s is not a way to reach the owner: give an email address, a URL, a chat channel (#team) or a phone number", [field, json.marshal(contact)]),
	"field": field,
} if {
	some [field, contact] in contacts
	not reachable(contact)
}

reachable(c) if regex.match(reach, lower(c))

# An email address, a URL or mailto:, a #channel or @handle, or a phone
# number, anywhere in the text ("Risk ML on-call, #risk-ml-oncall").
reach := concat("|", [
	`[^@ \t<>()]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)+`,
	`(https?://|mailto:)[^ \t]+`,
	`(^|[ \t(,;:])[#@][A-Za-z0-9][A-Za-z0-9._/-]*`,
	`[+]?[0-9][0-9 ()./-]{6,}[0-9]`,
])
