package aimsgate.rules.risk_classification_test

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
