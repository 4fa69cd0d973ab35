# METADATA
# title: Tracked ML code in a skipped directory
# description: >-
#   Hidden directories (.name) and vendored ones (vendor, third_party, venv,
#   node_modules, site-packages...) hold other people's code, so discovery
#   does not look in them. When git tracks a model card or ML code there,
#   the repository may be keeping its own model out of sight: each such
#   directory is named, as a note, so that skipping it is a decision
#   someone made ([discovery] exclude) and not an accident. Files listed in
#   [discovery] include are checked like any other. Under --base every
#   tracked file is discovered and checked, hidden or not.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.7 AI system technical documentation
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, GOVERN 1.6 inventory of AI systems
# custom:
#   id: ml-code-skipped
#   severity: note
#   controls: [iso42001:A.6.2.7, nist-ai-rmf:GOVERN-1.6]
#   remediation: |-
#     Decide, in aimsgate.toml, whether the directory is yours to check:
#
#       [discovery]
#       include = ["third_party/our-ranker/**"]   # our own model: check it
#       exclude = ["third_party/**"]              # someone else's: skip it
package aimsgate.repository.ml_code_skipped

import data.aimsgate.lib

# input: {"kind": "repository", "skipped": [{"dir": "third_party/bert",
#   "hidden_by": "third_party", "files": ["third_party/bert/model.onnx"]}]}
deny contains {
	"msg": sprintf("not checked: git tracks %s in %s, but %s is %s, which discovery skips; add it to [discovery] include if it is the repository's own, or to [discovery] exclude if it is not", [listed(files), entry.dir, entry.hidden_by, kind(entry.hidden_by)]),
	"file": files[0],
	"line": 1,
} if {
	some entry in lib.list(lib.get(input, "skipped", []))
	is_string(entry.dir)
	is_string(entry.hidden_by)
	files := [f | some f in lib.list(lib.get(entry, "files", [])); lib.text(f)]
	count(files) > 0
}

# listed(files): "a.onnx" or "3 files (a.onnx, b.py, c.pt)"; at most three named.
listed(files) := files[0] if count(files) == 1

listed(files) := sprintf("%d files (%s%s)", [count(files), concat(", ", array.slice(files, 0, 3)), more(files)]) if count(files) > 1

more(files) := ", ..." if count(files) > 3

more(files) := "" if count(files) <= 3

kind(dir) := "a hidden directory" if startswith(base(dir), ".")

kind(dir) := "a vendored directory" if not startswith(base(dir), ".")

base(dir) := parts[count(parts) - 1] if parts := split(dir, "/")
