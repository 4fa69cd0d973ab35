# METADATA
# title: Model card present for every AI system
# description: >-
#   Every AI system the repository holds has a model card, so that none
#   escapes the inventory and its documentation duties. Discovery finds
#   systems by what the code does: it trains a model, loads one, or calls a
#   hosted model (OpenAI, Anthropic, Bedrock, LangChain, ...), or the
#   repository holds model weights or an MLflow model. Such code with no
#   card above it is one system per project (the directory of its
#   dependency manifest, else the repository), reported once at its first
#   evidence with every file and what was seen there. A directory holding
#   model weights and the code that trained them is a model of its own: a
#   card further up does not cover it, so renaming its card away does not
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
#     Add a model card for the system at the root of its project (or any
#     directory above its code), e.g. MODEL_CARD.md; `aimsgate init DIR`
#     writes one to fill in:
#
#       ---
#       name: Fraud Detector
#       owner: {name: Risk ML Team, contact: risk-ml@acme.example}
#       risk: {tier: high, rationale: ..., annex_iii_area: essential-services}
#       ---
#
#     A card kept elsewhere (a model_cards/ directory, docs/) can name the
#     code it covers, relative to the card: `code: [../services/screening/**]`.
#     If the code is not an AI system of the repository (a demo, a
#     vendored tool), exclude it in aimsgate.toml ([discovery] exclude).
#     If a directory of weights and training code belongs to the system
#     whose card is above it, declare it in aimsgate.toml:
#
#       [[systems]]
#       path = "models/fraud/retrain"
#       card = "models/fraud/MODEL_CARD.md"
package aimsgate.repository.model_card_missing

import data.aimsgate.lib

# input: {"kind": "repository", "systems_without_card": [{"dir": "app",
#   "file": "app/screen.py", "line": 9, "column": 12, "files": [
#   {"file": "app/screen.py", "seen": "imports openai; calls chat.completions.create at 9"}]}]}
deny contains {
	"msg": sprintf("AI system with no model card: %s holds %s", [where(entry.dir), listing(files)]),
	"key": sprintf("system %s", [entry.dir]),
	"file": entry.file,
	"line": position(entry, "line"),
	"column": position(entry, "column"),
} if {
	some entry in lib.list(lib.get(input, "systems_without_card", []))
	lib.text(lib.get(entry, "file", null))
	is_string(lib.get(entry, "dir", null))
	not lib.text(lib.get(entry, "covered_by", null))
	files := [f | some f in lib.list(lib.get(entry, "files", [])); lib.text(lib.get(f, "file", null))]
}

# Weights and training code in a directory without a card, below a system.
deny contains {
	"msg": sprintf("AI system with no model card: %s holds model weights and the code that trained them, so it is a model of its own, which the card %s does not cover; give it its own card (%s)", [entry.dir, entry.covered_by, listing(files)]),
	"key": sprintf("system %s", [entry.dir]),
	"file": entry.file,
	"line": position(entry, "line"),
	"column": position(entry, "column"),
} if {
	some entry in lib.list(lib.get(input, "systems_without_card", []))
	lib.text(lib.get(entry, "file", null))
	lib.text(lib.get(entry, "dir", null))
	lib.text(lib.get(entry, "covered_by", null))
	files := [f | some f in lib.list(lib.get(entry, "files", [])); lib.text(lib.get(f, "file", null))]
}

where(".") := "the repository"

where(dir) := sprintf("%s/", [dir]) if dir != "."

position(entry, key) := n if {
	n := lib.get(entry, key, 1)
	is_number(n)
	n >= 1
} else := 1

# listing(files): "a.py (imports openai; calls ... at 4), b.py (...)", at
# most five files named.
listing(files) := concat(", ", [described(f) | some f in array.slice(files, 0, 5)]) if {
	count(files) > 0
	count(files) <= 5
}

listing(files) := sprintf("%s and %d more files", [concat(", ", [described(f) | some f in array.slice(files, 0, 5)]), count(files) - 5]) if count(files) > 5

listing(files) := "ML code" if count(files) == 0

described(f) := sprintf("%s (%s)", [f.file, f.seen]) if lib.text(lib.get(f, "seen", null))

described(f) := f.file if not lib.text(lib.get(f, "seen", null))
