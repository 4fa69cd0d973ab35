# METADATA
# title: Baseline entries still hold a finding
# description: >-
#   The baseline (aimsgate-baseline.json, or [baseline] file) records the
#   findings a legacy repository had when it adopted the gate, so that they
#   are reported as baselined and do not fail it while every new finding
#   does. aimsgate applies it itself, after the policies and the waivers. An
#   entry whose finding is gone was fixed: it is reported at its line so the
#   baseline only shrinks (checked on full scans only, since a scoped run
#   sees a few systems). An entry for a rule no baseline may hold
#   (prohibited-practice, card-invalid, governance-change, waiver) holds
#   nothing and is reported too.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.7 AI system technical documentation
# custom:
#   id: baseline-stale
#   severity: warning
#   controls: [iso42001:A.6.2.7]
#   remediation: |-
#     Remove the entries that match no finding any more:
#
#       aimsgate baseline --prune
#
#     and commit the smaller aimsgate-baseline.json. Removing entries never
#     needs a governance approval; adding them does.
package aimsgate.rules.baseline_stale
