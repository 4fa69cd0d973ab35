# METADATA
# title: Known limitations stated
# description: >-
#   The card states the system's known limitations (limitations, or a
#   Limitations / Bias, Risks, and Limitations section): where it performs
#   worse, for whom, and under which conditions it should not be relied on.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.8.2 System documentation and information for users
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MAP 2.2 knowledge limits of the AI system
# custom:
#   id: limitations
#   severity: {high: error, limited: warning, minimal: warning}
#   controls: [iso42001:A.8.2, nist-ai-rmf:MAP-2.2]
#   remediation: |-
#     List the known limitations:
#
#       limitations:
#         - Lower recall on merchants younger than 30 days
#
#     or write a `## Bias, Risks, and Limitations` (or `## Limitations`)
#     section in the Markdown card.
package aimsgate.rules.limitations

import data.aimsgate.lib
import data.aimsgate.lib.record

limitations := object.get(record, "limitations", null)

limitations_blank if lib.blank(limitations)

deny contains {
	"msg": "limitations is missing: state the system's known limitations (where it performs worse, for whom, when not to rely on it), or write a `## Limitations` section",
	"field": "limitations",
} if {
	limitations_blank
}

deny contains {
	"msg": "limitations must be a text or a list of texts",
	"field": "limitations",
} if {
	not limitations_blank
	not is_string(limitations)
	not is_array(limitations)
}

deny contains {
	"msg": sprintf("limitations.%d %s: write the limitation, or remove the entry", [i, lib.entry_problem(limitations[i])]),
	"field": sprintf("limitations.%d", [i]),
} if {
	some i in lib.blank_entries(limitations)
}
