# METADATA
# title: Model card updated with the ML code
# description: >-
#   When a change (a pull request, --changed-since or --files) touches a
#   system's ML files (training code, notebooks, weights, MLproject,
#   dvc.yaml), it also updates the system's model card, or the aimsgate
#   sidecar (aimsgate.yaml, .yml, .json or .toml) beside it, so that the
#   documentation follows the model. Full scans do not check it.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.5 AI system deployment
#   - ref: https://artificialintelligenceact.eu/article/43/
#     description: EU AI Act Article 43, Conformity assessment (substantial modifications)
# custom:
#   id: change-control
#   severity: {high: error, limited: warning, minimal: warning}
#   controls: [iso42001:A.6.2.5, eu-ai-act:art-43]
#   remediation: |-
#     Update the model card in the same change: bump the version and record
#     what changed (training data, evaluation results, limitations), e.g.:
#
#       version: 1.5.0
#       evaluation:
#         - {metric: auc, value: 0.92, dataset: transactions-2025, split: test}
#
#     If the change does not affect the model, waive the finding with a reason.
package aimsgate.rules.change_control

import data.aimsgate.lib

system := lib.mapping(lib.get(input, "system", {}))

card := lib.get(system, "card", null)

# Paths relative to the scan root.
changed_files := {file | some file in lib.list(lib.get(input, "changed_files", [])); is_string(file)}

ml_files := {file | some file in lib.list(lib.get(system, "ml_files", [])); is_string(file)}

changed_ml_files := changed_files & ml_files

# The card and the sidecars beside it.
card_files contains card if is_string(card)

card_files contains beside(card, name) if {
	is_string(card)
	some name in ["aimsgate.yaml", "aimsgate.yml", "aimsgate.json", "aimsgate.toml"]
}

# beside(file, name): name in the directory of file.
beside(file, name) := concat("/", array.concat(array.slice(parts, 0, count(parts) - 1), [name])) if {
	parts := split(file, "/")
}

card_name := card if lib.text(card)

default card_name := "the model card"

deny contains {
	"msg": sprintf("ML files changed (%s) but the model card did not: update %s to describe the change (version, training data, evaluation, limitations)", [concat(", ", sort(changed_ml_files)), card_name]),
} if {
	lib.get(input, "changed", false) == true
	count(changed_ml_files) > 0
	count(changed_files & card_files) == 0
}
