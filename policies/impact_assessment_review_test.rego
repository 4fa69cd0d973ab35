package aimsgate.rules.impact_assessment_review_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.impact_assessment_review as rule

# with_dates(approved_at, next_review): the valid input with the
# assessment's dates replaced (null: not given).
with_dates(approved_at, next_review) := fx.with_record({"impact_assessment": {"approved_at": approved_at, "next_review": next_review}})

test_valid_passes if {
	count(rule.deny) == 0 with input as fx.input_high
}

test_valid_limited_passes if {
	count(rule.deny) == 0 with input as fx.at_tier("limited")
}

test_approved_today_passes if {
	count(rule.deny) == 0 with input as with_dates("2026-11-29", "2026-11-29")
}

test_approved_in_the_future if {
	findings := rule.deny with input as with_dates("2026-11-30", "2027-10-01")
	findings == {{
		"msg": "impact_assessment.approved_at 2026-11-30 is in the future: give the date the impact assessment was actually approved",
		"field": "impact_assessment.approved_at",
	}}
}

test_approved_too_long_ago if {
	findings := rule.deny with input as with_dates("2025-11-28", "2027-10-01")
	findings == {{
		"msg": "impact_assessment.approved_at 2025-11-28 is 366 days old, older than max_assessment_age_days (365): review the impact assessment and record its new approval date",
		"field": "impact_assessment.approved_at",
	}}
}

test_approved_exactly_max_age_ago_passes if {
	count(rule.deny) == 0 with input as with_dates("2025-11-29", "2027-10-01")
}

test_max_age_from_params if {
	inp := with_dates("2026-09-29", "2027-10-01")
	fx.msgs(rule.deny) == {"impact_assessment.approved_at 2026-09-29 is 61 days old, older than max_assessment_age_days (60): review the impact assessment and record its new approval date"} with input as inp with input.params.max_assessment_age_days as 60
	count(rule.deny) == 0 with input as inp with input.params.max_assessment_age_days as 61
}

test_max_age_defaults_to_365 if {
	old := object.remove(with_dates("2025-11-28", "2027-10-01"), ["params"])
	fx.fields(rule.deny) == {"impact_assessment.approved_at"} with input as old
	count(rule.deny) == 0 with input as object.remove(with_dates("2025-11-29", "2027-10-01"), ["params"])
	fx.fields(rule.deny) == {"impact_assessment.approved_at"} with input as with_dates("2025-11-28", "2027-10-01") with input.params.max_assessment_age_days as "30"
}

test_next_review_passed if {
	findings := rule.deny with input as with_dates("2026-10-01", "2026-11-28")
	findings == {{
		"msg": "impact_assessment.next_review 2026-11-28 has passed: review the impact assessment, record its new approval date and set the next review",
		"field": "impact_assessment.next_review",
	}}
}

test_next_review_is_optional if {
	count(rule.deny) == 0 with input as fx.without(["impact_assessment/next_review"])
	count(rule.deny) == 0 with input as with_dates("2026-10-01", "")
}

test_approved_at_not_a_date if {
	findings := rule.deny with input as with_dates("1 October 2026", "2027-10-01")
	findings == {{
		"msg": "impact_assessment.approved_at \"1 October 2026\" is not a date: write the date the assessment was approved as YYYY-MM-DD (e.g. 2026-10-01)",
		"field": "impact_assessment.approved_at",
	}}
}

test_placeholder_dates_left_to_placeholder_text if {
	inp := object.union(with_dates("TODO: YYYY-MM-DD", "TBD"), {"placeholders": ["impact_assessment.approved_at", "impact_assessment.next_review", 3]})
	count(rule.deny) == 0 with input as inp
	fx.fields(rule.deny) == {"impact_assessment.next_review"} with input as object.union(inp, {"placeholders": ["impact_assessment.approved_at"]})
}

test_dates_not_on_the_calendar if {
	every d in ["2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "2026-10-01T00:00:00Z", "0999-01-01", "1899-12-31", "2200-01-01", "9999-12-31"] {
		inp := with_dates(d, "2027-10-01")
		fx.fields(rule.deny) == {"impact_assessment.approved_at"} with input as inp
	}
}

test_leap_days if {
	every d in ["2024-02-29", "2000-02-29", "1900-01-01", "2026-01-31", "2026-02-28", "2026-06-30", "2025-12-31"] {
		inp := with_dates("2026-10-01", d)
		fx.fields(rule.deny) == {"impact_assessment.next_review"} with input as inp
		msg := sprintf("impact_assessment.next_review %s has passed: review the impact assessment, record its new approval date and set the next review", [d])
		fx.msgs(rule.deny) == {msg} with input as inp
	}
	every d in ["2100-02-29", "1900-02-29", "2027-02-29"] {
		inp := with_dates("2026-10-01", d)
		fx.msgs(rule.deny) == {sprintf("impact_assessment.next_review %s is not a date: write the date of the next review as YYYY-MM-DD (e.g. 2027-10-01)", [json.marshal(d)])} with input as inp
	}
}

test_approved_at_wrong_type if {
	findings := rule.deny with input as with_dates(20261001, "2027-10-01")
	findings == {{
		"msg": "impact_assessment.approved_at must be a date written YYYY-MM-DD (e.g. 2026-10-01)",
		"field": "impact_assessment.approved_at",
	}}
}

test_next_review_wrong_type if {
	findings := rule.deny with input as with_dates("2026-10-01", ["2027-10-01"])
	findings == {{
		"msg": "impact_assessment.next_review must be a date written YYYY-MM-DD (e.g. 2027-10-01)",
		"field": "impact_assessment.next_review",
	}}
}

test_missing_approved_at_left_to_impact_assessment if {
	count(rule.deny) == 0 with input as fx.without(["impact_assessment/approved_at", "impact_assessment/next_review"])
	count(rule.deny) == 0 with input as with_dates(" ", null)
}

test_only_a_read_assessment_is_checked if {
	count(rule.deny) == 0 with input as fx.without(["impact_assessment"])
	count(rule.deny) == 0 with input as fx.replacing("impact_assessment", "IMPACT_ASSESSMENT.md")
	count(rule.deny) == 0 with input as fx.replacing("impact_assessment", ["2020-01-01"])
}

test_now_from_input if {
	count(rule.deny) == 0 with input as with_dates("2020-01-01", "2020-06-01") with input.now as "2020-03-01"
	fx.fields(rule.deny) == {"impact_assessment.approved_at"} with input as with_dates("2020-01-01", "2020-06-01") with input.now as "2019-12-31"
}

test_now_defaults_to_the_clock if {
	every now in [null, "", "yesterday", "2026-02-30"] {
		old := object.union(with_dates("2001-01-01", "2001-06-01"), {"now": now})
		fx.fields(rule.deny) == {"impact_assessment.approved_at", "impact_assessment.next_review"} with input as old
		future := object.union(with_dates("2199-12-31", "2199-12-31"), {"now": now})
		fx.fields(rule.deny) == {"impact_assessment.approved_at"} with input as future
	}
	fx.fields(rule.deny) == {"impact_assessment.approved_at", "impact_assessment.next_review"} with input as object.remove(with_dates("2001-01-01", "2001-06-01"), ["now"])
}

# One input per check, each failing it.
failing := [
	with_dates("2026-11-30", "2027-10-01"),
	with_dates("2025-01-01", "2027-10-01"),
	with_dates("soon", "2027-10-01"),
	with_dates(true, "2027-10-01"),
	with_dates("2026-10-01", "2026-11-01"),
	with_dates("2026-10-01", "next year"),
	with_dates("2026-10-01", 2027),
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
	fx.fields(rule.deny) == {"impact_assessment.next_review"} with input as object.remove(json.remove(with_dates("2026-10-01", "2026-11-01"), ["record/risk"]), ["tier"])
}

# date(d) accepts exactly the dates on the calendar from 1900 to 2199.
test_date_accepts_calendar_dates if {
	every d in ["1900-01-01", "2199-12-31", "2024-02-29", "2000-02-29", "2026-04-30", "2026-01-31"] {
		rule.date(d)
	}
}

test_date_rejects_everything_else if {
	every d in [
		"1899-12-31", "2200-01-01", "2026-02-29", "1900-02-29", "2026-04-31", "2026-00-10",
		"2026-13-01", "2026-01-00", "2026-01-32", "2026-1-01", "2026-01-1", "2026/01/01",
		"20260101", "2026-01-01 ", " 2026-01-01", "2026-0:-01", "2026-01-0:", "2026--1-01",
		"202a-01-01", "２０２６-01-01", "", 20260101, null,
	] {
		not rule.date(d)
	}
}

test_assessed_before_or_on_approval_passes if {
	count(rule.deny) == 0 with input as fx.with_record({"impact_assessment": {"assessed_at": "2026-09-15"}})
	count(rule.deny) == 0 with input as fx.with_record({"impact_assessment": {"assessed_at": "2026-10-01"}})
}

test_assessed_after_approval if {
	findings := rule.deny with input as fx.with_record({"impact_assessment": {"assessed_at": "2026-10-02"}})
	findings == {{
		"msg": "impact_assessment.assessed_at 2026-10-02 is after approved_at 2026-10-01: an assessment is approved once it has been carried out; approve it again and record the date",
		"field": "impact_assessment.assessed_at",
	}}
}

test_assessed_at_not_a_date if {
	fx.msgs(rule.deny) == {"impact_assessment.assessed_at \"last autumn\" is not a date: write the date the assessment was carried out as YYYY-MM-DD (e.g. 2026-09-15)"} with input as fx.with_record({"impact_assessment": {"assessed_at": "last autumn"}})
	fx.fields(rule.deny) == {"impact_assessment.assessed_at"} with input as fx.with_record({"impact_assessment": {"assessed_at": 20260915}})
	count(rule.deny) == 0 with input as fx.patched({"record": {"impact_assessment": {"assessed_at": "TBD"}}, "placeholders": ["impact_assessment.assessed_at"]})
}
