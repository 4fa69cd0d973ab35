# METADATA
# title: AI interaction disclosed (limited risk)
# description: >-
#   A limited-risk system (chatbots, generated or manipulated content,
#   emotion recognition) says how people are told they are dealing with an AI
#   system or AI-generated content (transparency.disclosure).
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/50/
#     description: EU AI Act Article 50, Transparency obligations for certain AI systems
# custom:
#   id: transparency
#   severity: {high: "off", limited: error, minimal: "off"}
#   controls: [eu-ai-act:art-50]
#   remediation: |-
#     Say how people are informed that they interact with an AI system or
#     that content is AI-generated:
#
#       transparency:
#         disclosure: The chat window says "You are talking to an AI assistant"
package aimsgate.rules.transparency

import data.aimsgate.lib
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.record

applies if judged_tier == "limited"

transparency := object.get(record, "transparency", null)

transparency_blank if lib.blank(transparency)

deny contains {
	"msg": "transparency is missing: a limited-risk system must say how people are told they are interacting with AI or AI-generated content (transparency.disclosure)",
	"field": "transparency",
} if {
	applies
	transparency_blank
}

deny contains {
	"msg": "transparency must be a mapping with disclosure",
	"field": "transparency",
} if {
	applies
	not transparency_blank
	not is_object(transparency)
}

deny contains {
	"msg": "transparency.disclosure is missing: say how people are told they are interacting with AI or AI-generated content",
	"field": "transparency.disclosure",
} if {
	applies
	is_object(transparency)
	not transparency_blank
	not lib.texts(lib.get(transparency, "disclosure", null))
}
