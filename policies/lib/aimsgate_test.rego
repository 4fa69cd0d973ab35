package aimsgate.lib_test

import data.aimsgate.lib

test_blank if {
	every x in [null, "", " \n\t", [], {}] {
		lib.blank(x)
	}
	every x in ["a", [""], {"a": null}, 0, false] {
		not lib.blank(x)
	}
}

test_texts if {
	every x in ["a", ["a", "b"], [{"description": "a"}], [{"name": "a"}]] {
		lib.texts(x)
	}
	every x in ["", " ", [], ["a", ""], ["a", {}], [{"description": " "}], 3, {"a": "b"}] {
		not lib.texts(x)
	}
}

test_blank_entries if {
	lib.blank_entries(["a", "", {"description": "x"}, 3]) == {1, 3}
	lib.blank_entries("not a list") == set()
	lib.entry_problem("") == "is blank"
	lib.entry_problem(3) == "is not a text"
}

test_get_and_given if {
	lib.get({"a": 1}, "a", 0) == 1
	lib.get({"a": null}, "a", 0) == 0
	lib.get("string", "a", 0) == 0
	lib.given({"a": "x"}, "a")
	not lib.given({"a": " "}, "a")
	not lib.given(["a"], "a")
}

test_tier_from_input if {
	lib.tier == "limited" with input as {"tier": "limited", "record": {"risk": {"tier": "minimal"}}}
}

test_tier_from_record_without_input_tier if {
	lib.tier == "minimal" with input as {"record": {"risk": {"tier": "minimal"}}}
}

test_tier_defaults_to_high if {
	lib.tier == "high" with input as {"record": {}}
	lib.tier == "high" with input as {"record": {"risk": {"tier": "unacceptable"}}}
	lib.tier == "high" with input as {"tier": "bogus", "record": {"risk": "high"}}
	lib.tier == "high" with input as {}
}

test_judged_tier if {
	lib.judged_tier == "high" with input as {"tier": "prohibited"}
	lib.judged_tier == "minimal" with input as {"tier": "minimal"}
}

test_affects_people_defaults_to_true if {
	lib.affects_people with input as {"record": {}}
	lib.affects_people with input as {"record": {"risk": "high"}}
	lib.affects_people with input as {"record": {"risk": {"affects_people": null}}}
	not lib.affects_people with input as {"tier": "minimal", "record": {"risk": {"tier": "minimal", "affects_people": false}}}

	# High-risk systems affect people whatever the card says.
	lib.affects_people with input as {"record": {"risk": {"affects_people": false}}}
}

test_param_defaults if {
	lib.bias_ratio_min == 0.8 with input as {}
	lib.bias_difference_max == 0.1 with input as {"params": {}}
	lib.min_group_size == 30 with input as {"params": {"min_group_size": "30"}}
	lib.max_assessment_age_days == 365 with input as {"params": null}
	lib.min_group_size == 50 with input as {"params": {"min_group_size": 50}}
}

test_fairness_results_inline if {
	lib.fairness_results == [{"a": 1}] with input as {"record": {"fairness": {"results": [{"a": 1}], "evidence": {"results": [{"b": 2}]}}}}
	lib.fairness_results_path == "fairness.results" with input as {"record": {"fairness": {"results": [{"a": 1}]}}}
}

test_fairness_results_from_evidence if {
	inp := {"record": {"fairness": {"results": [], "evidence": {"results": [{"b": 2}]}}}}
	lib.fairness_results == [{"b": 2}] with input as inp
	lib.fairness_results_path == "fairness.evidence.results" with input as inp
}

test_fairness_results_absent if {
	lib.fairness_results == [] with input as {"record": {}}
	lib.fairness_results == [] with input as {"record": {"fairness": {"evidence": "eval/fairness.json"}}}
	lib.fairness_results == [] with input as {"record": {"fairness": {"results": {"sex": 1}}}}
	lib.fairness_results_path == "fairness.results" with input as {"record": {}}
}
