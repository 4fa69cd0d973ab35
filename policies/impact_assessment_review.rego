# METADATA
# title: Impact assessment approved recently and reviewed on time
# description: >-
#   The impact assessment is current on the day of the check (input.now, the
#   clock or --now): its approved_at date is not in the future and not older
#   than the max_assessment_age_days param (default 365 days), and its
#   next_review date, when given, has not passed. Dates are written
#   YYYY-MM-DD (years 1900 to 2199); one that is not, or that is not on the
#   calendar, is itself a finding. An assessed_at date, when given, is not
#   after approved_at. Checked once the assessment has been read (impact-assessment
#   reports a missing one); not required for minimal-risk systems.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.5.3 Documentation of AI system impact assessments
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MAP 5.1 likelihood and magnitude of impacts
# custom:
#   id: impact-assessment-review
#   severity: {high: error, limited: warning, minimal: "off"}
#   controls: [iso42001:A.5.3, nist-ai-rmf:MAP-5.1]
#   remediation: |-
#     Review the impact assessment, have it approved again, and record when
#     it was approved and when it is next due (dates are YYYY-MM-DD):
#
#       assessed_at: 2026-09-15    # optional; not after approved_at
#       approved_by: AI Governance Board
#       approved_at: 2026-10-01
#       next_review: 2027-10-01
package aimsgate.rules.impact_assessment_review

import data.aimsgate.lib
import data.aimsgate.lib.judged_tier
import data.aimsgate.lib.max_assessment_age_days
import data.aimsgate.lib.record

applies if judged_tier != "minimal"

assessment := object.get(record, "impact_assessment", null)

# Only an assessment that was read (a mapping) has dates to check: when it is
# absent, impact-assessment reports it; when still a path, card-invalid does.
read if is_object(assessment)

approved_at := lib.get(assessment, "approved_at", null)

next_review := lib.get(assessment, "next_review", null)

assessed_at := lib.get(assessment, "assessed_at", null)

# Rules, not calls: a rule is computed once per system, a function on every call.
approved_at_is_date if date(approved_at)

next_review_is_date if date(next_review)

assessed_at_is_date if date(assessed_at)

# ---------------------------------------------------------------------------
# Dates

# date(d): d is a date written YYYY-MM-DD that is on the calendar, in the
# years 1900 to 2199. Checked before time.parse_ns, which raises in regorus
# on a date such as 2026-02-30, or one out of the range of nanosecond times.
# Written with string builtins rather than a regular expression: regorus
# clones a cached regex per call, and the clone's first match costs several
# times all the checks below. The fields are digits, so comparing them as
# strings compares the numbers.
date(d) if {
	is_string(d)
	count(d) == 10
	substring(d, 4, 1) == "-"
	substring(d, 7, 1) == "-"
	digits := replace(d, "-", "")
	count(digits) == 8
	trim_left(digits, "0123456789") == ""
	year := substring(d, 0, 4)
	year >= "1900"
	year < "2200"
	day := substring(d, 8, 2)
	day >= "01"
	day <= days_in[substring(d, 5, 2)]
	not common_year_february_29(d)
}

# days_in[month]: the last day of the month in a leap year, as two digits
# (days compare as strings). A table and one check for 29 February keep
# date, which runs for every date in every card, free of function calls.
days_in := {
	"01": "31", "02": "29", "03": "31", "04": "30", "05": "31", "06": "30",
	"07": "31", "08": "31", "09": "30", "10": "31", "11": "30", "12": "31",
}

common_year_february_29(d) if {
	substring(d, 5, 5) == "02-29"
	not leap(to_number(substring(d, 0, 4)))
}

leap(year) if year % 400 == 0

leap(year) if {
	year % 4 == 0
	year % 100 != 0
}

ns(d) := time.parse_ns("2006-01-02", d)

day_ns := ((24 * 60) * 60) * 1000000000

# today_ns: input.now (aimsgate always gives it); the clock when a caller
# (plain OPA, conftest) gives none.
now := lib.get(input, "now", null)

now_is_date if date(now)

today_ns := ns(now) if now_is_date

today_ns := time.now_ns() if not now_is_date

# The dates as times, computed once per system.
approved_ns := ns(approved_at) if approved_at_is_date

next_review_ns := ns(next_review) if next_review_is_date

assessed_ns := ns(assessed_at) if assessed_at_is_date

# ---------------------------------------------------------------------------
# Findings

# A date left as template filler ("TODO: YYYY-MM-DD") is reported by
# placeholder-text alone.
placeholders := {path | some path in lib.list(lib.get(input, "placeholders", [])); is_string(path)}

deny contains {
	"msg": sprintf("impact_assessment.approved_at %s is not a date: write the date the assessment was approved as YYYY-MM-DD (e.g. 2026-10-01)", [json.marshal(approved_at)]),
	"field": "impact_assessment.approved_at",
} if {
	applies
	read
	lib.text(approved_at)
	not approved_at_is_date
	not "impact_assessment.approved_at" in placeholders
}

deny contains {
	"msg": "impact_assessment.approved_at must be a date written YYYY-MM-DD (e.g. 2026-10-01)",
	"field": "impact_assessment.approved_at",
} if {
	applies
	read
	not lib.blank(approved_at)
	not is_string(approved_at)
}

deny contains {
	"msg": sprintf("impact_assessment.approved_at %s is in the future: give the date the impact assessment was actually approved", [approved_at]),
	"field": "impact_assessment.approved_at",
} if {
	applies
	read
	approved_ns > today_ns
}

deny contains {
	"msg": sprintf("impact_assessment.approved_at %s is %v days old, older than max_assessment_age_days (%v): review the impact assessment and record its new approval date", [approved_at, age, max_assessment_age_days]),
	"field": "impact_assessment.approved_at",
} if {
	applies
	read
	age := round((today_ns - approved_ns) / day_ns)
	age > max_assessment_age_days
}

deny contains {
	"msg": sprintf("impact_assessment.next_review %s is not a date: write the date of the next review as YYYY-MM-DD (e.g. 2027-10-01)", [json.marshal(next_review)]),
	"field": "impact_assessment.next_review",
} if {
	applies
	read
	lib.text(next_review)
	not next_review_is_date
	not "impact_assessment.next_review" in placeholders
}

deny contains {
	"msg": "impact_assessment.next_review must be a date written YYYY-MM-DD (e.g. 2027-10-01)",
	"field": "impact_assessment.next_review",
} if {
	applies
	read
	not lib.blank(next_review)
	not is_string(next_review)
}

deny contains {
	"msg": sprintf("impact_assessment.next_review %s has passed: review the impact assessment, record its new approval date and set the next review", [next_review]),
	"field": "impact_assessment.next_review",
} if {
	applies
	read
	next_review_ns < today_ns
}

deny contains {
	"msg": sprintf("impact_assessment.assessed_at %s is not a date: write the date the assessment was carried out as YYYY-MM-DD (e.g. 2026-09-15)", [json.marshal(assessed_at)]),
	"field": "impact_assessment.assessed_at",
} if {
	applies
	read
	not lib.blank(assessed_at)
	not assessed_at_is_date
	not "impact_assessment.assessed_at" in placeholders
}

# An approval given before the assessment was carried out approved
# something else.
deny contains {
	"msg": sprintf("impact_assessment.assessed_at %s is after approved_at %s: an assessment is approved once it has been carried out; approve it again and record the date", [assessed_at, approved_at]),
	"field": "impact_assessment.assessed_at",
} if {
	applies
	read
	assessed_ns > approved_ns
}
