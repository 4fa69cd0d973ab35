# METADATA
# title: Changes do not lower what the gate demands
# description: >-
#   Under `aimsgate check --base REF`, each change between the trusted base
#   revision and the working tree that lowers what a system must show is a
#   finding at the new line, naming the field and its old and new value: a
#   risk tier lowered, affects_people set to false, a system moved out of
#   production, a protected attribute dropped, a bias threshold loosened, a
#   waiver, not_applicable or risk acceptance added or changed, an impact
#   assessment's approval rewritten or its content changed under an old
#   approval. The author of a change cannot accept it alone: the finding is
#   waived only by a verified approval of the head commit by a governance
#   approver other than the author ([governance] in aimsgate.toml at REF), and
#   no waiver can waive it. Without --base the rule does not run.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.2.2 AI policy, A.3.2 AI roles and responsibilities, A.6.2.5 AI system deployment
# custom:
#   id: governance-change
#   severity: error
#   controls: [iso42001:A.2.2, iso42001:A.3.2, iso42001:A.6.2.5]
#   remediation: |-
#     Ask a governance approver (aimsgate.toml at the base revision:
#     [governance] approvers) to review and approve the pull request's
#     latest commit; their approval waives the finding. If the change was not
#     meant to lower the demands, revert it. With approval = "codeowners", a
#     CODEOWNERS rule at the base revision must give the file an owner.
package aimsgate.rules.governance_change

import data.aimsgate.lib

# The system as it was at the base revision: input.base.record, present only
# under --base (null for a system the change adds).
base := b if {
	b := input.base
	is_object(b)
}

base_record := r if {
	r := base.record
	is_object(r)
}

record := lib.mapping(lib.get(input, "record", {}))

commit := c if {
	c := substring(base.commit, 0, 12)
} else := "the base revision"

# ---------------------------------------------------------------------------
# The table: every kind of change that lowers what is demanded. Each entry is
# {field, change, old, new}; add a rule body to extend it.

changes contains {"field": "risk.tier", "change": "lowered", "old": old, "new": new} if {
	old := effective_tier(base_record)
	new := effective_tier(record)
	tier_rank[new] < tier_rank[old]
}

changes contains {"field": "risk.affects_people", "change": "set to false", "old": true, "new": false} if {
	object.get(risk_of(base_record), "affects_people", true) != false
	object.get(risk_of(record), "affects_people", true) == false
}

changes contains {"field": "lifecycle", "change": "moved out of production", "old": "production", "new": new} if {
	object.get(base_record, "lifecycle", null) == "production"
	new := object.get(record, "lifecycle", null)
	new != "production"
}

changes contains {"field": "fairness.protected_attributes", "change": "dropped a protected attribute", "old": attribute, "new": null} if {
	old := attribute_names(fairness_of(base_record))
	new := attribute_names(fairness_of(record))
	some attribute in old
	not attribute in new
}

changes contains {"field": sprintf("%s.%d.threshold", [lib.fairness_results_path, i]), "change": "loosened", "old": old_limit, "new": new_limit} if {
	some i, result in head_results
	some old in base_results
	same_test(old, result)
	kind := metric_kind(result)
	old_limit := threshold(old, kind)
	new_limit := threshold(result, kind)
	looser(kind, old_limit, new_limit)
}

changes contains {"field": sprintf("%s.%d.risk_accepted_by", [lib.fairness_results_path, i]), "change": change, "old": old, "new": new} if {
	some i, result in head_results
	new := object.get(result, "risk_accepted_by", null)
	not lib.blank(new)
	old := accepted_before(result)
	old != new
	change := added_or_changed(old)
}

changes contains {"field": "fairness.not_applicable", "change": added_or_changed(old), "old": old, "new": new} if {
	new := object.get(fairness_of(record), "not_applicable", null)
	not lib.blank(new)
	new != false
	old := object.get(fairness_of(base_record_or_empty), "not_applicable", null)
	old != new
}

changes contains {"field": sprintf("waivers.%d", [i]), "change": waiver_change(w), "old": waiver_before(w), "new": describe_waiver(w)} if {
	some i, w in lib.list(object.get(record, "waivers", []))
	not w in lib.list(object.get(base_record_or_empty, "waivers", []))
}

changes contains {"field": sprintf("impact_assessment.%s", [key]), "change": "changed: a new approval is only a claim until a governance approver confirms it", "old": old, "new": new} if {
	old_ia := assessment(base_record)
	new_ia := assessment(record)
	some key in approval_keys
	old := object.get(old_ia, key, null)
	new := object.get(new_ia, key, null)
	old != new
}

changes contains {"field": "impact_assessment", "change": "changed under its old approval: have it approved again", "old": object.get(new_ia, "approved_at", null), "new": "changed content"} if {
	old_ia := assessment(base_record)
	new_ia := assessment(record)
	object.get(old_ia, "approved_at", null) == object.get(new_ia, "approved_at", null)
	object.remove(old_ia, approval_keys) != object.remove(new_ia, approval_keys)
}

deny contains {
	"msg": sprintf("%s %s since %s (was %s, now %s): a change that lowers what the gate demands needs a governance approver's approval", [
		c.field, c.change, commit, shown(c.old), shown(c.new),
	]),
	"field": c.field,
} if {
	base
	some c in changes
}

# ---------------------------------------------------------------------------
# Helpers

# A new system is compared with an empty record: what it adds is new.
base_record_or_empty := base_record if base_record

default base_record_or_empty := {}

tier_rank := {"minimal": 0, "limited": 1, "high": 2, "prohibited": 3}

risk_of(r) := lib.mapping(object.get(r, "risk", {}))

fairness_of(r) := lib.mapping(object.get(r, "fairness", {}))

# effective_tier(r): the declared tier when valid, else high (SPEC 3).
effective_tier(r) := t if {
	t := object.get(risk_of(r), "tier", null)
	t in lib.valid_tiers
} else := "high"

attribute_names(f) := {lower(trim_space(a)) | some a in lib.list(object.get(f, "protected_attributes", [])); is_string(a)}

# results_of(r): a record's bias results, inline or from its evidence file.
results_of(r) := inline if {
	inline := object.get(fairness_of(r), "results", [])
	lib.nonempty_list(inline)
} else := evidence if {
	evidence := object.get(lib.mapping(object.get(fairness_of(r), "evidence", {})), "results", [])
	is_array(evidence)
} else := []

head_results := [r | some r in lib.fairness_results; is_object(r)]

base_results := [r | some r in results_of(base_record); is_object(r)]

base_results_or_none := base_results if base_record

default base_results_or_none := []

result_key(result) := sprintf("%v/%v", [lower_text(object.get(result, "attribute", "")), lower_text(object.get(result, "metric", ""))])

lower_text(x) := lower(trim_space(x)) if is_string(x)

lower_text(x) := x if not is_string(x)

same_test(a, b) if result_key(a) == result_key(b)

# metric_kind(result): the direction of the result's metric, as bias-threshold reads it.
metric_kind(result) := lib.metric_kind(lower_text(object.get(result, "metric", "")))

threshold(result, _) := t if {
	t := object.get(result, "threshold", null)
	is_number(t)
} else := lib.bias_ratio_min if {
	metric_kind(result) == "ratio"
} else := lib.bias_difference_max

looser("ratio", old, new) if new < old

looser("difference", old, new) if abs(new) > abs(old)

# accepted_before(result): who accepted the same test's risk at the base
# revision (null when nobody did, or the test is new).
accepted_before(result) := object.get(old, "risk_accepted_by", null) if {
	some old in base_results_or_none
	same_test(old, result)
} else := null

added_or_changed(old) := "added" if lib.blank(old)

added_or_changed(old) := "changed" if not lib.blank(old)

describe_waiver(w) := sprintf("%v until %v", [object.get(w, "rule", "?"), object.get(w, "expires", "no date")]) if is_object(w)

describe_waiver(w) := w if not is_object(w)

same_rule_before(w) := [old |
	some old in lib.list(object.get(base_record_or_empty, "waivers", []))
	is_object(old)
	is_object(w)
	object.get(old, "rule", null) == object.get(w, "rule", null)
]

waiver_before(w) := describe_waiver(same_rule_before(w)[0]) if count(same_rule_before(w)) > 0

waiver_before(w) := null if count(same_rule_before(w)) == 0

waiver_change(w) := "added" if count(same_rule_before(w)) == 0

waiver_change(w) := "extended" if {
	count(same_rule_before(w)) > 0
	old := same_rule_before(w)[0]
	sprintf("%v", [object.get(w, "expires", "9999-12-31")]) > sprintf("%v", [object.get(old, "expires", "9999-12-31")])
}

waiver_change(w) := "changed" if {
	count(same_rule_before(w)) > 0
	old := same_rule_before(w)[0]
	sprintf("%v", [object.get(w, "expires", "9999-12-31")]) <= sprintf("%v", [object.get(old, "expires", "9999-12-31")])
}

approval_keys := ["approved_by", "approved_at", "next_review"]

assessment(r) := a if {
	a := object.get(r, "impact_assessment", null)
	is_object(a)
}

shown(x) := "nothing" if x == null

shown(x) := x if is_string(x)

shown(x) := json.marshal(x) if {
	x != null
	not is_string(x)
}
