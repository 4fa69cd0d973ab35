package aimsgate.rules.risk_classification_test

import data.aimsgate.lib
import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.risk_classification as rule

test_valid_high_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_valid_other_tiers_pass if {
	every t in ["limited", "minimal", "prohibited"] {
		count(rule.deny) == 0 with input as fx.at_tier_without(t, ["risk/annex_iii_area"])
	}
}

test_annex_i_instead_of_annex_iii_area if {
	count(rule.deny) == 0 with input as json.remove(fx.with_record({"risk": {"annex_i": true}}), ["record/risk/annex_iii_area"])
}

test_missing_tier if {
	findings := rule.deny with input as object.remove(fx.without(["risk/tier"]), ["tier"])
	findings == {{
		"msg": "risk.tier is missing: classify the system as prohibited, high, limited or minimal; until then it is judged as high-risk",
		"field": "risk.tier",
	}}
}

test_missing_risk if {
	fx.fields(rule.deny) == {"risk.tier", "risk.rationale"} with input as fx.without(["risk"])
}

test_risk_of_wrong_type if {
	findings := rule.deny with input as fx.with_record({"risk": "high"})
	findings == {{
		"msg": "risk must be a mapping with tier and rationale, not string; the system is judged as high-risk",
		"field": "risk",
	}}
}

test_invalid_tier if {
	findings := rule.deny with input as fx.with_record({"risk": {"tier": "High"}})
	findings == {{
		"msg": "risk.tier \"High\" is not a risk tier: write one of prohibited, high, limited or minimal (lower case); the system is judged as high-risk",
		"field": "risk.tier",
	}}
}

test_non_string_tier if {
	fx.fields(rule.deny) == {"risk.tier"} with input as fx.with_record({"risk": {"tier": 3}})
}

test_missing_rationale if {
	fx.fields(rule.deny) == {"risk.rationale"} with input as fx.without(["risk/rationale"])
}

test_blank_rationale if {
	fx.fields(rule.deny) == {"risk.rationale"} with input as fx.with_record({"risk": {"rationale": "   "}})
}

test_high_without_annex if {
	fx.fields(rule.deny) == {"risk.annex_iii_area"} with input as fx.without(["risk/annex_iii_area"])
}

test_high_with_annex_i_false if {
	fx.fields(rule.deny) == {"risk.annex_iii_area"} with input as json.remove(fx.with_record({"risk": {"annex_i": false}}), ["record/risk/annex_iii_area"])
}

test_annex_not_needed_below_high if {
	every t in ["limited", "minimal"] {
		not "risk.annex_iii_area" in fx.fields(rule.deny) with input as fx.at_tier_without(t, ["risk/annex_iii_area"])
	}
}

test_missing_tier_does_not_need_annex if {
	not "risk.annex_iii_area" in fx.fields(rule.deny) with input as fx.without(["risk/tier", "risk/annex_iii_area"])
}

# The fixture names Annex III essential-services: below high it is talked down.
test_tier_talked_down_by_its_annex_iii_area if {
	inp := fx.patched({"tier": "high", "record": {"risk": {"tier": "minimal"}}})
	fx.msgs(rule.deny) == {"risk.tier is minimal, but the card places the system in Annex III area essential-services: such a system is high-risk under EU AI Act Article 6 whatever its tier says, and is judged as high-risk"} with input as inp
	lib.tier == "high" with input as object.remove(inp, ["tier"])
}

test_tier_talked_down_by_annex_i if {
	inp := json.patch(fx.input_high, [
		{"op": "replace", "path": "/record/risk/tier", "value": "limited"},
		{"op": "remove", "path": "/record/risk/annex_iii_area"},
		{"op": "add", "path": "/record/risk/annex_i", "value": true},
	])
	fx.msgs(rule.deny) == {"risk.tier is limited, but the card places the system in Annex I (a product safety component): such a system is high-risk under EU AI Act Article 6 whatever its tier says, and is judged as high-risk"} with input as inp
}

test_annex_iii_area_none_is_no_signal if {
	inp := json.patch(fx.at_tier("minimal"), [{"op": "add", "path": "/record/risk/annex_iii_area", "value": "None"}])
	count(rule.deny) == 0 with input as inp
}

uses(primary) := json.patch(fx.at_tier("minimal"), [{"op": "replace", "path": "/record/intended_use/primary", "value": primary}])

test_intended_use_in_an_annex_iii_area if {
	fx.msgs(rule.deny) == {"risk.tier is minimal, but the intended use \"screen cvs for hiring managers\" falls under EU AI Act Annex III (employment): classify the system as high-risk with risk.annex_iii_area: employment, or state the Article 6(3) exception that applies in risk.article_6_3"} with input as uses(["Screen CVs for hiring managers"])
	fx.fields(rule.deny) == {"risk.tier"} with input as uses(["Credit scoring of retail customers"])
	fx.fields(rule.deny) == {"risk.tier"} with input as uses(["Facial recognition at the door"])
}

test_a_rationale_in_an_annex_iii_area if {
	inp := json.patch(fx.at_tier("limited"), [{"op": "replace", "path": "/record/risk/rationale", "value": "Helps with loan decisions"}])
	fx.fields(rule.deny) == {"risk.tier"} with input as json.patch(inp, [{"op": "replace", "path": "/record/risk/rationale", "value": "Used in asylum interviews"}])
}

test_negated_and_exempted_uses_pass if {
	count(rule.deny) == 0 with input as uses(["Summarise tickets; not used for hiring decisions"])
	exempt := json.patch(uses(["Screen CVs for hiring managers"]), [{"op": "add", "path": "/record/risk/article_6_3", "value": "Only detects duplicate CVs; a recruiter reads every one (Art. 6(3)(a))"}])
	count(rule.deny) == 0 with input as exempt
	count(rule.deny) == 0 with input as uses(["Quarantine bulk email"])
}

test_high_risk_does_not_affect_people_is_a_finding if {
	fx.fields(rule.deny) == {"risk.affects_people"} with input as fx.with_record({"risk": {"affects_people": false}})
	count(rule.deny) == 0 with input as json.patch(fx.at_tier("minimal"), [{"op": "add", "path": "/record/risk/affects_people", "value": false}])
}
