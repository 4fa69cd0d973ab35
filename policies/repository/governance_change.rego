# METADATA
# title: Changes do not lower what the gate demands (repository)
# description: >-
#   The repository side of governance-change, under `aimsgate check --base
#   REF`: a governance file changed (aimsgate.toml, a policy or data file it
#   names, an ignore file, CODEOWNERS), each changed configuration key at its
#   new line with its old and new value, and an AI system at REF that
#   discovery no longer finds (its card deleted while its ML code remains, or
#   its card hidden). Approved as the per-system findings are.
# custom:
#   id: governance-change
#   severity: error
#   controls: [iso42001:A.2.2, iso42001:A.3.2, iso42001:A.6.2.5]
#   remediation: |-
#     Ask a governance approver ([governance] approvers in aimsgate.toml at
#     the base revision) to review and approve the pull request's latest
#     commit. If the change was not meant to lower what the gate demands,
#     revert it: restore the configuration, policy or ignore file, or the
#     card of the system that disappeared.
package aimsgate.repository.governance_change

import data.aimsgate.lib

governance := g if {
	g := input.governance
	is_object(g)
}

commit := c if {
	c := substring(governance.commit, 0, 12)
} else := "the base revision"

files := [f | some f in lib.list(object.get(governance, "files", [])); is_object(f)]

# A changed configuration key, at its line.
deny contains {
	"msg": sprintf("%s: %s changed since %s (was %s, now %s): the base revision's configuration applies until a governance approver approves this change", [
		file.file, change.field, commit, shown(change.old), shown(change.new),
	]),
	"file": file.file,
	"line": object.get(change, "line", 1),
	"column": object.get(change, "column", 1),
} if {
	some file in files
	some change in lib.list(object.get(file, "changes", []))
	is_object(change)
}

# Any other governance file changed (or a configuration whose keys could not be compared).
deny contains {
	"msg": sprintf("%s (%s) %s since %s: %s", [file.file, kind_name(file.kind), file.status, commit, consequence(file.kind)]),
	"file": file.file,
	"line": object.get(file, "line", 1),
} if {
	some file in files
	count(lib.list(object.get(file, "changes", []))) == 0
}

deny contains {
	"msg": sprintf("the AI system %s (card %s at %s) %s: %s", [v.id, v.card, commit, vanished_why(v), "a governance approver must approve removing a system from the gate"]),
	"file": v.file,
	"line": 1,
} if {
	some v in lib.list(object.get(governance, "vanished", []))
	is_object(v)
}

vanished_why(v) := sprintf("is no longer discovered although %s is still there (excluded, renamed or its model metadata removed)", [v.card]) if v.reason == "hidden"

vanished_why(v) := sprintf("lost its card while its ML code remains (%s)", [concat(", ", v.ml_files)]) if v.reason == "card-deleted"

kind_name("config") := "the aimsgate configuration"

kind_name("policy") := "a policy"

kind_name("data") := "a policy data file"

kind_name("ignore") := "an ignore file"

kind_name("codeowners") := "CODEOWNERS"

kind_name("baseline") := "the baseline"

consequence("ignore") := "an ignore file decides what discovery sees; the base revision's tracked files are checked whatever it says, until a governance approver approves this change"

consequence(kind) := "the base revision's version applies until a governance approver approves this change" if kind != "ignore"

shown(x) := "nothing" if x == null

shown(x) := x if is_string(x)

shown(x) := json.marshal(x) if {
	x != null
	not is_string(x)
}
