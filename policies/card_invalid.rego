# METADATA
# title: Card and linked documents readable
# description: >-
#   The model card and every document it links (impact assessment,
#   datasheets, fairness evidence) exist inside the repository and parse, so
#   that no evidence is silently skipped. Reports each problem aimsgate met
#   while reading the system, at the file and line where it was met: a
#   syntax error, a key written twice in one mapping (which value counts
#   would be a guess), a sidecar that changes a value the card sets, a
#   reference that is missing, outside the repository or not a regular file.
#   It cannot be waived: a card that cannot be read cannot be judged.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.7 AI system technical documentation
# custom:
#   id: card-invalid
#   severity: error
#   controls: [iso42001:A.6.2.7]
#   remediation: |-
#     Fix the syntax error or remove the repeated key, keep in the sidecar
#     only what the card does not say, or point the reference at a file that
#     exists inside the repository; paths are relative to the card:
#
#       impact_assessment: IMPACT_ASSESSMENT.md
#       fairness:
#         evidence: eval/fairness.json
package aimsgate.rules.card_invalid

import data.aimsgate.lib

# input.problems: [{"file", "line", "column", "field", "message"}]; each is
# reported with the keys it has (field may be absent).
deny contains result if {
	some problem in lib.list(lib.get(input, "problems", []))
	result := object.union(
		{"msg": message(problem)},
		{key: problem[from] | some key, from in located; lib.has(problem, from)},
	)
}

located := {"file": "file", "line": "line", "column": "column", "field": "field"}

message(problem) := problem.message if lib.text(lib.get(problem, "message", null))

message(problem) := "the card or a document it links could not be read" if {
	not lib.text(lib.get(problem, "message", null))
}
