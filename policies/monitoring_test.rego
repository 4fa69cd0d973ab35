package aimsgate.rules.monitoring_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.monitoring as rule

monitoring := fx.record.monitoring

# with_monitoring(m): the valid input with record.monitoring replaced.
with_monitoring(m) := fx.replacing("monitoring", m)

# without_key(key): the valid input without monitoring[key].
without_key(key) := with_monitoring(object.remove(monitoring, [key]))

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
	count(rule.deny) == 0 with input as fx.at_tier("limited")
}

test_missing if {
	findings := rule.deny with input as fx.without(["monitoring"])
	findings == {{
		"msg": "monitoring is missing: a system in production needs a monitoring plan, the metrics watched, their review_frequency and an incident_contact",
		"field": "monitoring",
	}}
	fx.fields(rule.deny) == {"monitoring"} with input as with_monitoring({})
	fx.fields(rule.deny) == {"monitoring"} with input as with_monitoring("")
}

test_wrong_type if {
	findings := rule.deny with input as with_monitoring("we watch it")
	findings == {{
		"msg": "monitoring must be a mapping with plan, metrics, review_frequency and incident_contact",
		"field": "monitoring",
	}}
}

test_missing_keys if {
	msgs := {
		"plan": "monitoring.plan is missing: link the monitoring plan, or describe it",
		"metrics": "monitoring.metrics is missing: list the metrics watched in production (e.g. [psi, flag_rate_by_group])",
		"review_frequency": "monitoring.review_frequency is missing: say how often the metrics are reviewed (e.g. monthly)",
		"incident_contact": "monitoring.incident_contact is missing: say whom to contact when the system misbehaves (e.g. ml-oncall@acme.example)",
	}
	every key, msg in msgs {
		inp := without_key(key)
		findings := rule.deny with input as inp
		findings == {{"msg": msg, "field": sprintf("monitoring.%s", [key])}}
	}
}

test_blank_values_are_missing if {
	inp := with_monitoring({"plan": " ", "metrics": [], "review_frequency": null, "incident_contact": ""})
	fx.fields(rule.deny) == {"monitoring.plan", "monitoring.metrics", "monitoring.review_frequency", "monitoring.incident_contact"} with input as inp
}

test_values_of_the_wrong_shape if {
	inp := with_monitoring({"plan": {"doc": "x"}, "metrics": ["psi", 3], "review_frequency": 30, "incident_contact": true})
	fx.msgs(rule.deny) == {
		"monitoring.plan must be a path or a description",
		"monitoring.metrics must be a list of metric names",
		"monitoring.review_frequency must be a text (e.g. monthly)",
		"monitoring.incident_contact must be a text (an address, a rota or a team)",
	} with input as inp
}

test_one_metric_as_text if {
	count(rule.deny) == 0 with input as with_monitoring(object.union(monitoring, {"metrics": "psi"}))
}

test_only_in_production if {
	every lifecycle in ["development", "retired", "Retired "] {
		inp := object.union(fx.without(["monitoring"]), {"record": {"lifecycle": lifecycle}})
		count(rule.deny) == 0 with input as inp
	}
	count(rule.deny) == 0 with input as fx.at_tier_without("limited", ["monitoring", "lifecycle"])
	fx.fields(rule.deny) == {"monitoring"} with input as object.union(fx.without(["monitoring"]), {"record": {"lifecycle": " Production"}})
}

test_high_risk_says_its_lifecycle if {
	every inp in [fx.without(["monitoring", "lifecycle"]), object.union(fx.without(["monitoring"]), {"record": {"lifecycle": ""}})] {
		findings := rule.deny with input as inp
		findings == {{
			"msg": "lifecycle is missing: say whether the system is in development, production or retired; what a high-risk system must show in operation depends on it",
			"field": "lifecycle",
		}}
	}
	count(rule.deny) == 0 with input as fx.at_tier_without("minimal", ["monitoring", "lifecycle"])
}

# "prod" is not "not production": an unknown stage is judged as production.
test_unknown_lifecycle_is_judged_as_production if {
	every lifecycle in ["prod", "live", 3, ["production"], "production-ish"] {
		inp := object.union(fx.without(["monitoring"]), {"record": {"lifecycle": lifecycle}})
		findings := rule.deny with input as inp
		findings == {
			{
				"msg": sprintf("lifecycle %s is not one of development, production or retired: write the stage the system is in (until then it is judged as in production)", [json.marshal(lifecycle)]),
				"field": "lifecycle",
			},
			{
				"msg": "monitoring is missing: a system in production needs a monitoring plan, the metrics watched, their review_frequency and an incident_contact",
				"field": "monitoring",
			},
		}
	}
	fx.fields(rule.deny) == {"lifecycle"} with input as fx.replacing("lifecycle", "prod")
	count(rule.deny) == 0 with input as fx.to_tier(fx.replacing("lifecycle", "prod"), "minimal")
}

# One input per check, each failing it.
failing := [
	fx.without(["monitoring"]),
	with_monitoring(["psi"]),
	without_key("plan"),
	without_key("metrics"),
	without_key("review_frequency"),
	without_key("incident_contact"),
	with_monitoring(object.union(monitoring, {"metrics": [3]})),
	fx.replacing("lifecycle", "prod"),
]

test_failing_inputs_fail_at_high_limited_and_prohibited if {
	every t in ["high", "limited", "prohibited"] {
		every inp in failing {
			count(rule.deny) == 1 with input as fx.to_tier(inp, t)
		}
	}
}

test_off_for_minimal if {
	every inp in failing {
		count(rule.deny) == 0 with input as fx.to_tier(inp, "minimal")
	}
}

test_missing_tier_judged_high if {
	fx.fields(rule.deny) == {"monitoring"} with input as object.remove(fx.without(["monitoring", "risk"]), ["tier"])
}
