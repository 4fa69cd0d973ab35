# METADATA
# title: Model card present for ML code
# description: >-
#   Every file that looks like ML code (training scripts, notebooks, model
#   weights, MLproject, dvc.yaml) sits in a directory that has a model card,
#   itself or in a parent directory, so that no AI system escapes the
#   inventory and its documentation duties. A directory holding model
#   weights and the code that trained them (train*.py, a notebook,
#   MLproject; with it, *.bin counts as weights) is a model of its own:
#   a card further up does not cover it, so renaming its card away does not
#   fold it into a neighbour.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.7 AI system technical documentation
#   - ref: https://artificialintelligenceact.eu/article/11/
#     description: EU AI Act Article 11, Technical documentation
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, GOVERN 1.6 inventory of AI systems
# custom:
#   id: model-card-missing
#   severity: error
#   controls: [iso42001:A.6.2.7, eu-ai-act:art-11, nist-ai-rmf:GOVERN-1.6]
#   remediation: |-
#     Add a model card to the directory of the AI system (or a parent of the
#     file), e.g. MODEL_CARD.md; `aimsgate init DIR` writes one to fill in:
#
#       ---
#       name: Fraud Detector
#       owner: {name: Risk ML Team, contact: risk-ml@acme.example}
#       risk: {tier: high, rationale: ..., annex_iii_area: essential-services}
#       ---
#
#     If the file is not part of an AI system, exclude it in aimsgate.toml.
#     If a directory of weights and training code belongs to the system
#     whose card is above it, declare it in aimsgate.toml:
#
#       [[systems]]
#       path = "models/fraud/retrain"
#       card = "models/fraud/MODEL_CARD.md"
package aimsgate.repository.model_card_missing

import data.aimsgate.lib

# input: {"kind": "repository", "ml_files_without_card": [{"file": "src/train.py"}], ...}
deny contains {
	"msg": "ML code with no model card in its directory or any parent directory",
	"file": file,
	"line": 1,
} if {
	some entry in lib.list(lib.get(input, "ml_files_without_card", []))
	file := entry_file(entry)
	not lib.text(lib.get(entry, "system_dir", null))
}

# Weights and training code in a directory without a card, below a system.
deny contains {
	"msg": sprintf("ML code with no model card: %s holds model weights and the code that trained them, so it is a model of its own, which the card %s does not cover; give it its own card", [dir, covered_by]),
	"file": file,
	"line": 1,
} if {
	some entry in lib.list(lib.get(input, "ml_files_without_card", []))
	file := entry_file(entry)
	dir := entry.system_dir
	lib.text(dir)
	covered_by := lib.get(entry, "covered_by", "above it")
	is_string(covered_by)
}

entry_file(entry) := entry if lib.text(entry)

entry_file(entry) := entry.file if lib.text(lib.get(entry, "file", null))
