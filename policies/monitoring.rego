# METADATA
# title: Production systems monitored
# description: >-
#   A system in production (lifecycle: production) has a monitoring plan
#   (monitoring.plan, a document or a description), the metrics watched
#   (monitoring.metrics, at least one), how often they are reviewed
#   (monitoring.review_frequency) and whom to call when something goes wrong
#   (monitoring.incident_contact). Not required for minimal-risk systems, or
#   before or after production (development, retired). lifecycle is one of
#   development, production or retired: any other value ("prod", "live") is
#   a finding and the system is judged as in production, and a high-risk
#   system must say which.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.6 AI system operation and monitoring, A.8.4 Communication of incidents
#   - ref: https://artificialintelligenceact.eu/article/72/
#     description: EU AI Act Article 72, Post-market monitoring
# custom:
#   id: monitoring
#   severity: {high: error, limited: warning, minimal: "off"}
#   controls: [iso42001:A.6.2.6, iso42001:A.8.4, eu-ai-act:art-72]
#   remediation: |-
#     Say which stage the system is in, and how it is watched in production:
#
#       lifecycle: production       # development | production | retired
#       monitoring:
#         plan: docs/monitoring.md
#         metrics: [psi, precision_at_review_rate, flag_rate_by_group]
#         review_frequency: monthly
#         incident_contact: ml-oncall@acme.example
package aimsgate.rules.monitoring

import data.aimsgate.lib
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.record

lifecycles := ["development", "production", "retired"]

lifecycle := object.get(record, "lifecycle", null)

lifecycle_blank if lib.blank(lifecycle)

# The lifecycle as one of lifecycles; undefined when blank or unknown.
stage := s if {
	is_string(lifecycle)
	s := lower(trim_space(lifecycle))
	s in lifecycles
}

# A lifecycle the gate does not know may be production: judged as such.
applies if {
	judged_tier != "minimal"
	stage == "production"
}

applies if {
	judged_tier != "minimal"
	unknown_lifecycle
}

unknown_lifecycle if {
	not lifecycle_blank
	not stage
}

deny contains {
	"msg": "lifecycle is missing: say whether the system is in development, production or retired; what a high-risk system must show in operation depends on it",
	"field": "lifecycle",
} if {
	judged_tier == "high"
	lifecycle_blank
}

deny contains {
	"msg": sprintf("lifecycle %s is not one of development, production or retired: write the stage the system is in (until then it is judged as in production)", [json.marshal(lifecycle)]),
	"field": "lifecycle",
} if {
	judged_tier != "minimal"
	unknown_lifecycle
}

monitoring := object.get(record, "monitoring", null)

monitoring_blank if lib.blank(monitoring)

# [key, value] of each key monitoring must give, read once per system.
fields := [[key, object.get(lib.mapping(monitoring), key, null)] | some key, _ in why]

deny contains {
	"msg": "monitoring is missing: a system in production needs a monitoring plan, the metrics watched, their review_frequency and an incident_contact",
	"field": "monitoring",
} if {
	applies
	monitoring_blank
}

deny contains {
	"msg": "monitoring must be a mapping with plan, metrics, review_frequency and incident_contact",
	"field": "monitoring",
} if {
	applies
	not monitoring_blank
	not is_object(monitoring)
}

why := {
	"plan": "link the monitoring plan, or describe it",
	"metrics": "list the metrics watched in production (e.g. [psi, flag_rate_by_group])",
	"review_frequency": "say how often the metrics are reviewed (e.g. monthly)",
	"incident_contact": "say whom to contact when the system misbehaves (e.g. ml-oncall@acme.example)",
}

deny contains {
	"msg": sprintf("monitoring.%s is missing: %s", [key, why[key]]),
	"field": sprintf("monitoring.%s", [key]),
} if {
	applies
	is_object(monitoring)
	not monitoring_blank
	some [key, value] in fields
	lib.blank(value)
}

# Given, but not a text (metrics: a list of names, or one name).
deny contains {
	"msg": sprintf("monitoring.%s must be %s", [key, shape[key]]),
	"field": sprintf("monitoring.%s", [key]),
} if {
	applies
	some [key, value] in fields
	not lib.blank(value)
	not lib.texts(value)
}

shape := {
	"plan": "a path or a description",
	"metrics": "a list of metric names",
	"review_frequency": "a text (e.g. monthly)",
	"incident_contact": "a text (an address, a rota or a team)",
}
