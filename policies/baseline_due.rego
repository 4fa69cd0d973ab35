# METADATA
# title: Baseline entries fixed by their due date
# description: >-
#   A baseline entry may carry an owner and a due date: the adoption plan
#   for a legacy finding. Past its due date the entry no longer holds its
#   finding, which fails the gate again, and the entry is reported at its
#   line, so a plan that slips is visible to the team and to an auditor.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Clause 6.2 AI objectives and planning to achieve them
# custom:
#   id: baseline-due
#   severity: warning
#   controls: [iso42001:A.6.2.7]
#   remediation: |-
#     Fix the finding (`aimsgate explain RULE` shows how), then prune the
#     entry; or have the governance function agree a new date and write it
#     in the entry (a later date is a governance change that needs their
#     approval):
#
#       {
#         "fingerprint": "532015e1c45ef24f1c0f",
#         "rule": "impact-assessment",
#         "system": "loan-approval",
#         "owner": "Credit Decisioning Team",
#         "due": "2027-06-30"
#       }
package aimsgate.rules.baseline_due
