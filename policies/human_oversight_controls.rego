# METADATA
# title: Human oversight can intervene (high-risk)
# description: >-
#   A high-risk system is overseen by a human who can override its outputs
#   and stop it: human_oversight.mode is not none, can_override and can_stop
#   are true, and the card says how it is stopped (stop_mechanism) and how
#   overseers are kept from over-relying on it (automation_bias_mitigation).
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/14/
#     description: EU AI Act Article 14(4), Human oversight measures
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MANAGE 2.4 mechanisms to supersede, disengage or deactivate
# custom:
#   id: human-oversight-controls
#   severity: {high: error, limited: "off", minimal: "off"}
#   controls: [eu-ai-act:art-14, nist-ai-rmf:MANAGE-2.4]
#   remediation: |-
#     Give the overseer the means to intervene, and say what they are:
#
#       human_oversight:
#         mode: in-the-loop
#         overseer: Fraud analyst (L2)
#         can_override: true
#         can_stop: true
#         stop_mechanism: Feature flag fraud_model_enabled
#         automation_bias_mitigation: Reason codes shown; 5% of approvals re-reviewed
package aimsgate.rules.human_oversight_controls

import data.aimsgate.lib
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.record

applies if judged_tier == "high"

# Each control is reported on its own when human_oversight is a mapping;
# when it is missing (or not a mapping) one finding lists them all, beside
# human-oversight's for the missing mode and overseer.
declared := object.get(record, "human_oversight", null)

oversight := lib.mapping(declared)

stated if {
	is_object(declared)
	count(declared) > 0
}

deny contains {
	"msg": "human_oversight is missing: a high-risk system's oversight also needs can_override: true, can_stop: true, a stop_mechanism and an automation_bias_mitigation",
	"field": "human_oversight",
} if {
	applies
	not stated
}

deny contains {
	"msg": "human_oversight.mode is none: a high-risk system must be overseen by a human (in-the-loop, on-the-loop or in-command)",
	"field": "human_oversight.mode",
} if {
	applies
	object.get(oversight, "mode", null) == "none"
}

deny contains {
	"msg": sprintf("human_oversight.%s must be true for a high-risk system: %s", [key, why]),
	"field": sprintf("human_oversight.%s", [key]),
} if {
	applies
	stated
	some key, why in {
		"can_override": "the overseer can disregard, override or reverse its output",
		"can_stop": "the overseer can interrupt it and bring it to a safe stop",
	}
	object.get(oversight, key, null) != true
}

deny contains {
	"msg": sprintf("human_oversight.%s is missing or says there is none: %s", [key, why]),
	"field": sprintf("human_oversight.%s", [key]),
} if {
	applies
	stated
	some key, why in {
		"stop_mechanism": "say how the system is stopped (e.g. a feature flag or kill switch)",
		"automation_bias_mitigation": "say how overseers are kept from over-relying on its outputs (automation bias)",
	}
	not lib.answer(object.get(oversight, key, null))
}
