# METADATA
# title: Human oversight declared
# description: >-
#   The card declares how humans oversee the system (human_oversight.mode:
#   in-the-loop, on-the-loop, in-command or none) and who does
#   (human_oversight.overseer), so that someone can understand, intervene in
#   and answer for its outputs.
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/14/
#     description: EU AI Act Article 14, Human oversight
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.9.4 Intended use of the AI system
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MAP 3.5 processes for human oversight
# custom:
#   id: human-oversight
#   severity: {high: error, limited: error, minimal: warning}
#   controls: [iso42001:A.9.4, eu-ai-act:art-14, nist-ai-rmf:MAP-3.5]
#   remediation: |-
#     Declare who oversees the system and how:
#
#       human_oversight:
#         mode: in-the-loop   # in-the-loop | on-the-loop | in-command | none
#         overseer: Fraud analyst (L2)
package aimsgate.rules.human_oversight

import data.aimsgate.lib
import data.aimsgate.lib.oversight_modes
import data.aimsgate.lib.record

oversight := object.get(record, "human_oversight", null)

oversight_blank if lib.blank(oversight)

modes_text := "in-the-loop, on-the-loop, in-command or none"

deny contains {
	"msg": sprintf("human_oversight is missing: declare human_oversight.mode (%s) and human_oversight.overseer", [modes_text]),
	"field": "human_oversight",
} if {
	oversight_blank
}

deny contains {
	"msg": "human_oversight must be a mapping with mode and overseer",
	"field": "human_oversight",
} if {
	not oversight_blank
	not is_object(oversight)
}

declared if {
	is_object(oversight)
	not oversight_blank
}

mode := lib.get(oversight, "mode", null)

mode_blank if lib.blank(mode)

deny contains {
	"msg": sprintf("human_oversight.mode is missing: say how humans oversee the system (%s)", [modes_text]),
	"field": "human_oversight.mode",
} if {
	declared
	mode_blank
}

deny contains {
	"msg": sprintf("human_oversight.mode %s is not an oversight mode: write one of %s", [json.marshal(mode), modes_text]),
	"field": "human_oversight.mode",
} if {
	not mode_blank
	not mode in oversight_modes
}

deny contains {
	"msg": "human_oversight.overseer is missing or names no one: name the role or team that oversees the system's outputs",
	"field": "human_oversight.overseer",
} if {
	declared
	not lib.answer(object.get(oversight, "overseer", null))
}
