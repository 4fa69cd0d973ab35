# METADATA
# title: ML code discovery did not check as an AI system
# description: >-
#   Some code is not an AI system of the repository's own by default:
#   hidden directories (.name) and vendored ones (vendor, third_party,
#   node_modules...), copies of other projects nested in this one (a
#   licence and a manifest of their own, or a git repository), examples,
#   tests, docs and benchmarks (by directory and file name), and a
#   framework's library code (a project whose packages define many model
#   classes for others to use). When such a place holds a model card or ML
#   code, it is named once, as a note, so that passing over it is a
#   decision someone can see and make ([discovery] include or exclude), not
#   an accident. Source that could not be read (too big, not parsed in
#   time) is named too. Under --base every tracked file in hidden,
#   vendored and copied directories is discovered and checked.
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
#     Decide, in aimsgate.toml, whether the directory is an AI system of the
#     repository's own:
#
#       [discovery]
#       include = ["third_party/our-ranker/**"]   # our own model: check it
#       exclude = ["third_party/**"]              # someone else's: skip it
package aimsgate.repository.ml_code_skipped

import data.aimsgate.lib

# input: {"kind": "repository", "skipped": [{"dir": "third_party/bert",
#   "hidden_by": "third_party", "zone": "vendored",
#   "files": ["third_party/bert/model.onnx"]}]}
deny contains {
	"msg": message(entry, files),
	"key": sprintf("%s %s", [zone(entry), entry.dir]),
	"file": files[0],
	"line": 1,
} if {
	some entry in lib.list(lib.get(input, "skipped", []))
	is_string(entry.dir)
	is_string(entry.hidden_by)
	files := [f | some f in lib.list(lib.get(entry, "files", [])); lib.text(f)]
	count(files) > 0
}

zone(entry) := z if {
	z := lib.get(entry, "zone", null)
	is_string(z)
} else := "hidden" if {
	startswith(base(entry.hidden_by), ".")
} else := "vendored"

decide := "add it to [discovery] include if it is the repository's own, or to [discovery] exclude if it is not"

message(entry, files) := sprintf("not checked: git tracks %s in %s, but %s is a hidden directory, which discovery skips; %s", [listed(files), entry.dir, entry.hidden_by, decide]) if zone(entry) == "hidden"

message(entry, files) := sprintf("not checked: git tracks %s in %s, but %s is a vendored directory, which discovery skips; %s", [listed(files), entry.dir, entry.hidden_by, decide]) if zone(entry) == "vendored"

message(entry, files) := sprintf("not checked as an AI system: %s %s, so it is taken for a copy of another project (it holds %s); %s", [entry.dir, detail(entry, "has files of its own"), listed(files), decide]) if zone(entry) == "copy"

message(entry, files) := sprintf("not checked as an AI system: %s holds %s, and %s are not AI systems by default; add it to [discovery] include if it is one, or to [discovery] exclude to drop this note", [entry.dir, listed(files), zone(entry)]) if zone(entry) in {"examples", "tests", "docs", "benchmarks"}

message(entry, files) := sprintf("not checked as an AI system: %s is a framework's library code (%s): %s %s ML libraries for models that its users choose; add it to [discovery] include if it is an AI system of its own, or to [discovery] exclude to drop this note", [entry.dir, detail(entry, "its project defines many model classes"), listed(files), verb(files)]) if zone(entry) == "framework"

verb(files) := "uses" if count(files) == 1

verb(files) := "use" if count(files) > 1

message(entry, files) := sprintf("not checked: discovery could not read %s in %s (%s), so it cannot tell whether it is ML code; split or exclude it", [listed(files), entry.dir, detail(entry, "not read")]) if zone(entry) == "unread"

detail(entry, otherwise) := d if {
	d := lib.get(entry, "detail", null)
	lib.text(d)
} else := otherwise

# listed(files): "a.onnx" or "3 files (a.onnx, b.py, c.pt)"; at most three named.
listed(files) := files[0] if count(files) == 1

listed(files) := sprintf("%d files (%s%s)", [count(files), concat(", ", array.slice(files, 0, 3)), more(files)]) if count(files) > 1

more(files) := ", ..." if count(files) > 3

more(files) := "" if count(files) <= 3

base(dir) := parts[count(parts) - 1] if parts := split(dir, "/")
