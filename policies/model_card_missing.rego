# METADATA
# title: Model card present for ML code
# description: >-
#   Every file that looks like ML code (training scripts, notebooks, model
#   weights, MLproject, dvc.yaml) sits in a directory that has a model card,
#   itself or in a parent directory, so that no AI system escapes the
#   inventory and its documentation duties.
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
}

entry_file(entry) := entry if lib.text(entry)

entry_file(entry) := entry.file if lib.text(lib.get(entry, "file", null))
