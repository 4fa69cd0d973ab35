# METADATA
# title: No prohibited AI practice
# description: >-
#   A system classified as prohibited (EU AI Act Article 5: e.g. social
#   scoring, manipulative techniques, untargeted scraping of facial images)
#   may not be placed on the market or put into service at all, so its card
#   always fails the gate. No waiver, severity override or Statement of
#   Applicability entry can change that.
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/5/
#     description: EU AI Act Article 5, Prohibited AI practices
# custom:
#   id: prohibited-practice
#   severity: error
#   controls: [eu-ai-act:art-5]
#   remediation: |-
#     Remove the prohibited practice from the system's purpose and design and
#     classify it again, or retire the system. If the classification is wrong,
#     correct it and give the reason:
#
#       risk:
#         tier: high
#         rationale: Scores transactions, not people's social behaviour
#         annex_iii_area: essential-services
package aimsgate.rules.prohibited_practice

import data.aimsgate.lib
import data.aimsgate.lib.declared_tier
import data.aimsgate.lib.tier

deny contains {
	"msg": "risk.tier is prohibited: the EU AI Act (Article 5) forbids placing this AI practice on the market or putting it into service",
	"field": "risk.tier",
} if {
	prohibited
}

prohibited if declared_tier == "prohibited"

prohibited if tier == "prohibited"
