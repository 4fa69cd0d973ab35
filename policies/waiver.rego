# METADATA
# title: Waivers are approved, justified and current
# description: >-
#   A waiver accepts a finding as a known, approved exception. aimsgate applies
#   waivers itself, because a waiver acts on the findings of other rules: one
#   without a reason or an approver, or past its expiry date, waives nothing
#   and is an error; one that matches no finding is a warning, so stale
#   exceptions are removed. Waived findings are still reported, marked waived.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.7 AI system technical documentation
# custom:
#   id: waiver
#   severity: error
#   controls: [iso42001:A.6.2.7]
#   remediation: |-
#     Give every waiver the rule it waives, why, who approved it and until when.
#     In a card (waives that system's findings):
#
#       waivers:
#         - rule: bias-sample-size
#           reason: Pilot in one branch; 90-day sample review by the AI board
#           approved_by: AI Governance Board
#           expires: 2027-03-01
#
#     In aimsgate.toml (waives findings in files matching a glob):
#
#       [[waivers]]
#       rule = "model-card-missing"
#       path = "research/notebooks/**"
#       reason = "Exploratory notebooks, never deployed"
#       approved_by = "Head of ML Platform"
#       expires = 2027-06-30
package aimsgate.rules.waiver
