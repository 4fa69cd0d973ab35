package aimsgate.rules.governance_change_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.governance_change as rule

commit := "0123456789abcdef0123456789abcdef01234567"

# under_base(inp, base_record): inp as `check --base` evaluates it, with the
# system's record at the base revision.
under_base(inp, base_record) := object.union(inp, {"base": {"commit": commit, "record": base_record}})

# changed(patch): the valid input, its record merged with patch, against the valid record.
changed(patch) := under_base(fx.with_record(patch), fx.record)

results := fx.record.fairness.results

test_no_base_no_findings if {
	count(rule.deny) == 0 with input as fx.with_record({"risk": {"tier": "minimal"}})
}

test_unchanged_record_passes if {
	count(rule.deny) == 0 with input as under_base(fx.input_high, fx.record)
}

test_tier_lowered if {
	rule.deny == {{
		"msg": "risk.tier lowered since 0123456789ab (was high, now minimal): a change that lowers what the gate demands needs a governance approver's approval",
		"field": "risk.tier",
	}} with input as changed({"risk": {"tier": "minimal"}})
}

test_tier_raised_passes if {
	low := json.patch(fx.record, [{"op": "replace", "path": "/risk/tier", "value": "limited"}])
	count(rule.deny) == 0 with input as under_base(fx.input_high, low)
}

test_invalid_tier_counts_as_high if {
	fx.fields(rule.deny) == {"risk.tier"} with input as under_base(
		fx.with_record({"risk": {"tier": "minimal"}}),
		json.patch(fx.record, [{"op": "replace", "path": "/risk/tier", "value": "severe"}]),
	)
}

test_affects_people_set_to_false if {
	fx.fields(rule.deny) == {"risk.affects_people"} with input as changed({"risk": {"affects_people": false}})
}

test_moved_out_of_production if {
	fx.msgs(rule.deny) == {"lifecycle moved out of production since 0123456789ab (was production, now retired): a change that lowers what the gate demands needs a governance approver's approval"} with input as changed({"lifecycle": "retired"})
}

test_protected_attribute_dropped if {
	inp := fx.replacing("fairness", {"protected_attributes": ["sex"], "results": [results[0]]})
	fx.msgs(rule.deny) == {"fairness.protected_attributes dropped a protected attribute since 0123456789ab (was age_band, now nothing): a change that lowers what the gate demands needs a governance approver's approval"} with input as under_base(inp, fx.record)
}

test_ratio_threshold_loosened if {
	inp := fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "results": [object.union(results[0], {"threshold": 0.7}), results[1]]})
	fx.msgs(rule.deny) == {"fairness.results.0.threshold loosened since 0123456789ab (was 0.8, now 0.7): a change that lowers what the gate demands needs a governance approver's approval"} with input as under_base(inp, fx.record)
}

test_difference_threshold_loosened if {
	inp := fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "results": [results[0], object.union(results[1], {"threshold": 0.2})]})
	fx.fields(rule.deny) == {"fairness.results.1.threshold"} with input as under_base(inp, fx.record)
}

test_dropping_a_threshold_falls_back_to_params if {
	loose := object.remove(results[0], ["threshold"])
	inp := fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "results": [loose, results[1]]})
	fx.fields(rule.deny) == {"fairness.results.0.threshold"} with input as under_base(inp, fx.record) with input.params.bias_ratio_min as 0.6
	count(rule.deny) == 0 with input as under_base(inp, fx.record)
}

test_tightened_threshold_passes if {
	inp := fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "results": [object.union(results[0], {"threshold": 0.9}), results[1]]})
	count(rule.deny) == 0 with input as under_base(inp, fx.record)
}

test_thresholds_compared_from_the_evidence_file if {
	base := json.patch(fx.record, [{"op": "replace", "path": "/fairness", "value": {"protected_attributes": ["sex", "age_band"], "evidence": {"results": results}}}])
	inp := fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "results": [object.union(results[0], {"threshold": 0.5}), results[1]]})
	fx.fields(rule.deny) == {"fairness.results.0.threshold"} with input as under_base(inp, base)
}

test_risk_acceptance_added_and_changed if {
	accepted := object.union(results[0], {"value": 0.7, "mitigation": "Pilot", "risk_accepted_by": "Mallory"})
	inp := fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "results": [accepted, results[1]]})
	fx.msgs(rule.deny) == {"fairness.results.0.risk_accepted_by added since 0123456789ab (was nothing, now Mallory): a change that lowers what the gate demands needs a governance approver's approval"} with input as under_base(inp, fx.record)
	base := json.patch(fx.record, [{"op": "add", "path": "/fairness/results/0/risk_accepted_by", "value": "CRO"}])
	fx.msgs(rule.deny) == {"fairness.results.0.risk_accepted_by changed since 0123456789ab (was CRO, now Mallory): a change that lowers what the gate demands needs a governance approver's approval"} with input as under_base(inp, base)
	count(rule.deny) == 0 with input as under_base(inp, json.patch(fx.record, [{"op": "replace", "path": "/fairness/results/0", "value": accepted}]))
}

test_not_applicable_added if {
	na := {"justification": "Machine telemetry", "approved_by": "Mallory"}
	fx.fields(rule.deny) == {"fairness.not_applicable"} with input as under_base(fx.replacing("fairness", {"protected_attributes": ["sex", "age_band"], "not_applicable": na}), fx.record)

	# Declaring not_applicable in place of the tests also drops the attributes.
	fx.fields(rule.deny) == {"fairness.not_applicable", "fairness.protected_attributes"} with input as under_base(fx.replacing("fairness", {"not_applicable": na}), fx.record)
}

test_waivers_added_extended_changed if {
	w := {"rule": "monitoring", "reason": "Soon", "approved_by": "Mallory", "expires": "2027-01-01"}
	fx.msgs(rule.deny) == {"waivers.0 added since 0123456789ab (was nothing, now monitoring until 2027-01-01): a change that lowers what the gate demands needs a governance approver's approval"} with input as changed({"waivers": [w]})
	base := object.union(fx.record, {"waivers": [object.union(w, {"expires": "2026-12-31"})]})
	fx.msgs(rule.deny) == {"waivers.0 extended since 0123456789ab (was monitoring until 2026-12-31, now monitoring until 2027-01-01): a change that lowers what the gate demands needs a governance approver's approval"} with input as under_base(fx.with_record({"waivers": [w]}), base)
	changed_reason := object.union(w, {"reason": "Other"})
	fx.msgs(rule.deny) == {"waivers.0 changed since 0123456789ab (was monitoring until 2027-01-01, now monitoring until 2027-01-01): a change that lowers what the gate demands needs a governance approver's approval"} with input as under_base(fx.with_record({"waivers": [changed_reason]}), object.union(fx.record, {"waivers": [w]}))
	count(rule.deny) == 0 with input as under_base(fx.with_record({"waivers": [w]}), object.union(fx.record, {"waivers": [w]}))
	fx.fields(rule.deny) == {"waivers.0"} with input as changed({"waivers": ["not a mapping"]})
}

test_assessment_approval_rewritten if {
	inp := fx.with_record({"impact_assessment": {"approved_by": "Mallory", "approved_at": "2026-11-28"}})
	fx.fields(rule.deny) == {"impact_assessment.approved_by", "impact_assessment.approved_at"} with input as under_base(inp, fx.record)
}

test_assessment_changed_under_its_old_approval if {
	ia := fx.record.impact_assessment
	inp := fx.with_record({"impact_assessment": object.union(ia, {"impacts": [ia.impacts[0]]})})
	fx.msgs(rule.deny) == {"impact_assessment changed under its old approval: have it approved again since 0123456789ab (was 2026-10-01, now changed content): a change that lowers what the gate demands needs a governance approver's approval"} with input as under_base(inp, fx.record)
}

test_a_new_system_is_compared_with_nothing if {
	w := {"rule": "monitoring", "reason": "Soon", "approved_by": "Mallory", "expires": "2027-01-01"}
	fx.fields(rule.deny) == {"waivers.0"} with input as object.union(fx.with_record({"waivers": [w]}), {"base": {"commit": commit, "record": null}})
	count(rule.deny) == 0 with input as object.union(fx.input_high, {"base": {"commit": commit, "record": null}})
}

test_base_without_a_commit_is_named_generically if {
	inp := object.union(fx.with_record({"risk": {"tier": "minimal"}}), {"base": {"record": fx.record}})
	fx.msgs(rule.deny) == {"risk.tier lowered since the base revision (was high, now minimal): a change that lowers what the gate demands needs a governance approver's approval"} with input as inp
}

test_values_are_shown_as_json_when_not_text if {
	fx.msgs(rule.deny) == {"risk.affects_people set to false since 0123456789ab (was true, now false): a change that lowers what the gate demands needs a governance approver's approval"} with input as changed({"risk": {"affects_people": false}})
}
