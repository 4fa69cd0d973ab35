# Fixtures shared by the built-in rules' tests: a compact input for a
# high-risk system that passes every rule, and helpers to derive failing
# variants from it. aimsgate skips *_test.rego files when it checks.
package aimsgate.lib.fixtures_test

record := {
	"name": "Fraud Detector",
	"version": "1.4.0",
	"owner": {"name": "Risk ML Team", "contact": "risk-ml@acme.example"},
	"lifecycle": "production",
	"risk": {
		"tier": "high",
		"rationale": "Credit decisions about people (EU AI Act Annex III 5(b))",
		"annex_iii_area": "essential-services",
		"affects_people": true,
	},
	"intended_use": {
		"primary": ["Score transactions for fraud review"],
		"users": ["Fraud analysts"],
		"out_of_scope": ["Automatic account closure"],
	},
	"limitations": ["Lower recall on merchants younger than 30 days"],
	"datasets": [{"id": "transactions-2024", "role": "train", "datasheet": {
		"name": "Transactions 2024",
		"license": "proprietary",
		"provenance": {"source": "core banking", "collection_method": "export", "period": "2024"},
		"preprocessing": "deduplicated",
		"personal_data": {"present": true, "categories": ["card holder"], "legal_basis": "GDPR Art. 6(1)(c)", "dpia": "DPIA.md"},
	}}],
	"evaluation": [{"metric": "auc", "value": 0.91, "dataset": "transactions-2024", "split": "test"}],
	"impact_assessment": {
		"approved_by": "AI Governance Board",
		"approved_at": "2026-10-01",
		"next_review": "2027-10-01",
		"impacts": [
			{"scope": "individuals", "description": "Wrongly flagged payment", "severity": "high", "mitigation": "Analyst review", "residual": "medium"},
			{"scope": "groups", "description": "Young merchants flagged more often", "severity": "medium", "mitigation": "Age-aware thresholds", "residual": "low"},
			{"scope": "society", "description": "Trust in payments", "severity": "low", "mitigation": "Appeals process", "residual": "high", "accepted_by": "Chief Risk Officer"},
		],
	},
	"fairness": {
		"protected_attributes": ["sex", "age_band"],
		"results": [
			{
				"attribute": "sex", "metric": "demographic_parity_ratio", "value": 0.91, "threshold": 0.8,
				"groups": {"female": 0.12, "male": 0.13}, "n": {"female": 5120, "male": 6011},
			},
			{
				"attribute": "age_band", "metric": "equal_opportunity_difference", "value": 0.04, "threshold": 0.1,
				"groups": {"18-25": 0.81, "26+": 0.85}, "n": {"18-25": 940, "26+": 10191},
			},
		],
	},
	"human_oversight": {
		"mode": "in-the-loop",
		"overseer": "Fraud analyst (L2)",
		"can_override": true,
		"can_stop": true,
		"stop_mechanism": "Feature flag fraud_model_enabled",
		"automation_bias_mitigation": "Reason codes shown; 5% of approvals re-reviewed",
	},
	"transparency": {"disclosure": "Users are told the score comes from a model"},
	"monitoring": {
		"plan": "docs/monitoring.md",
		"metrics": ["psi"],
		"review_frequency": "monthly",
		"incident_contact": "ml-oncall@acme.example",
	},
	"base_model": "bert-base-uncased",
	"suppliers": [{"name": "bert-base-uncased", "component": "model", "license": "apache-2.0", "assessment": "docs/vendors/bert.md"}],
}

input_high := {
	"kind": "system",
	"system": {
		"id": "examples/fraud-detector",
		"path": "examples/fraud-detector",
		"card": "examples/fraud-detector/MODEL_CARD.md",
		"format": "markdown",
		"ml_files": ["examples/fraud-detector/train.py"],
	},
	"tier": "high",
	"record": record,
	"sections": [],
	"documents": {},
	"problems": [],
	"placeholders": [],
	"placeholder_sections": [],
	"changed": false,
	"changed_files": [],
	"now": "2026-11-29",
	"params": {"bias_ratio_min": 0.8, "bias_difference_max": 0.1, "min_group_size": 30, "max_assessment_age_days": 365},
}

# patched(patch): input_high with patch merged into it (mappings merge key by
# key, anything else replaces).
patched(patch) := object.union(input_high, patch)

# with_record(patch): input_high with patch merged into its record.
with_record(patch) := patched({"record": patch})

# replacing(key, value): input_high with record[key] set to value as is
# (not merged into the fixture's value).
replacing(key, value) := object.union(
	object.remove(input_high, ["record"]),
	{"record": object.union(object.remove(record, [key]), {key: value})},
)

# without(paths): input_high with the given record paths removed; a path is
# "owner/contact" (slash-separated, as json.remove takes them).
without(paths) := json.remove(input_high, [sprintf("record/%s", [p]) | some p in paths])

# at_tier(t): input_high for a system of tier t (input.tier and risk.tier).
at_tier(t) := patched({"tier": t, "record": {"risk": {"tier": t}}}) if not t in {"limited", "minimal"}

# Below high, the fixture's Annex III area would make the system high-risk.
at_tier(t) := json.remove(patched({"tier": t, "record": {"risk": {"tier": t}}}), ["record/risk/annex_iii_area"]) if t in {"limited", "minimal"}

# at_tier_with(t, patch): at_tier(t) with patch merged into the record.
at_tier_with(t, patch) := object.union(at_tier(t), {"record": patch})

# at_tier_without(t, paths): at_tier(t) with the given record paths removed.
at_tier_without(t, paths) := json.remove(at_tier(t), [sprintf("record/%s", [p]) | some p in paths])

# to_tier(inp, t): inp for a system of tier t (input.tier and risk.tier).
to_tier(inp, t) := object.union(inp, {"tier": t, "record": {"risk": {"tier": t}}}) if not t in {"limited", "minimal"}

to_tier(inp, t) := json.remove(object.union(inp, {"tier": t, "record": {"risk": {"tier": t}}}), ["record/risk/annex_iii_area"]) if t in {"limited", "minimal"}

# fields(findings): the field of every finding.
fields(findings) := {f.field | some f in findings}

# msgs(findings): the message of every finding.
msgs(findings) := {f.msg | some f in findings}
