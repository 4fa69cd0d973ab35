# Helpers shared by the built-in aimsgate rules.
#
# Portability rules keep the pack behaving the same under regorus and OPA:
# - regorus raises an error (OPA: undefined) when a builtin gets an operand
#   of the wrong type, so no card value reaches a builtin unchecked;
# - OPA makes `not f(x.missing)` undefined (regorus: true) when an argument
#   is undefined, so arguments are always defined: read optional keys with
#   get(x, key, default), never as x.key, in a call;
# - regorus fails a set rule (OPA: skips the element) whose head value is
#   undefined for one element, so head values that may be undefined are
#   bound in the body: `s contains y if { some x in xs; y := f(x) }`;
# - regorus's regex has no \s, \d or \w classes: write them out ([ \t\r\n]).
#
# Speed: rules import the values they read (import data.aimsgate.lib.record):
# reading one through the package (lib.record) makes regorus evaluate every
# value of this package first. Helpers are single functions with `else`,
# because every body of a function is tried on each call. A rule that tests
# lib.blank(x) in several bodies tests a value rule (x_blank) instead, which
# is evaluated once per system.
# This package holds no deny rules and no METADATA custom.id: it is not a rule.
package aimsgate.lib

# The EU AI Act risk tiers a card may declare in risk.tier.
valid_tiers := {"prohibited", "high", "limited", "minimal"}

# The human oversight modes a card may declare in human_oversight.mode.
oversight_modes := {"in-the-loop", "on-the-loop", "in-command", "none"}

# ---------------------------------------------------------------------------
# Safe access

# has(x, key): x is a mapping holding key with a non-null value.
has(x, key) if {
	is_object(x)
	x[key] != null
}

# get(x, key, d): x[key] when has(x, key), else d.
get(x, key, d) := v if {
	is_object(x)
	v := x[key]
	v != null
} else := d

# mapping(x): x when it is a mapping, else {}.
mapping(x) := x if is_object(x) else := {}

# list(x): x when it is a list, else [].
list(x) := x if is_array(x) else := []

# ---------------------------------------------------------------------------
# Blank and text checks

# blank(x): null, a string of only whitespace, or an empty list or mapping.
blank(x) if x in {null, [], {}}

blank(x) if {
	is_string(x)
	trim_space(x) == ""
}

# text(x): a string that is not blank.
text(x) if {
	is_string(x)
	trim_space(x) != ""
}

# text_item(x): an entry of a text list: a non-blank string, or a mapping
# with a non-blank description or name (Model Card Toolkit writes
# considerations as [{description: ...}]).
text_item(x) if {
	is_string(x)
	trim_space(x) != ""
}

text_item(x) if {
	is_object(x)
	some key in ["description", "name"]
	text(x[key])
}

# texts(x): a non-blank string, or a non-empty list whose every entry is a
# text_item. (text(x), written out: texts runs for most fields of every
# card, and a function call costs about as much as the body.)
texts(x) if {
	is_string(x)
	trim_space(x) != ""
}

texts(x) if {
	is_array(x)
	count(x) > 0
	every item in x {
		text_item(item)
	}
}

# answer(x): text that answers the question: texts(x), and not a word that
# says there is none ("none", "nobody", "n/a"...). For fields where "none"
# is no answer: who oversees, how it is stopped, who accepted a risk.
answer(x) if {
	texts(x)
	not non_answer(x)
}

non_answer(x) if {
	is_string(x)
	regex.replace(lower(trim_space(x)), `[.!]+$`, "") in non_answers
}

non_answers := {"none", "nobody", "no one", "noone", "nothing", "n/a", "na", "nil", "null", "unknown", "-", "tbd", "me", "myself", "self"}

# prose(x): an answer in words, not one word: a string of at least two
# words, or a non-empty list whose every entry is. "Mitigated", "Yes" and
# "Handled" say that something was done, not what.
prose(x) if {
	is_string(x)
	two_words(x)
	not non_answer(x)
}

prose(x) if {
	is_array(x)
	count(x) > 0
	every item in x {
		prose_item(item)
	}
}

prose_item(x) if {
	is_string(x)
	two_words(x)
}

prose_item(x) if {
	is_object(x)
	some key in ["description", "name"]
	is_string(x[key])
	two_words(x[key])
}

two_words(s) if regex.match(`[^ \t\r\n]+[ \t\r\n]+[^ \t\r\n]`, trim_space(s))

# owner_name: record.owner.name, or record.owner written as a string.
owner_name := n if {
	n := record.owner.name
	is_string(n)
} else := n if {
	n := record.owner
	is_string(n)
}

# is_owner(x): x names the system's owner (case and spacing aside): an
# approval or acceptance by the team that builds the system is not someone
# else's.
is_owner(x) if {
	is_string(x)
	lower(trim_space(x)) == lower(trim_space(owner_name))
}

# blank_entries(x): the indexes of the entries of list x that are not text.
blank_entries(x) := {i | some i, item in list(x); not text_item(item)}

# entry_problem(x): what is wrong with a list entry that is not text.
entry_problem(x) := "is blank" if blank(x)

entry_problem(x) := "is not a text" if {
	not blank(x)
	not text_item(x)
}

# given(obj, key): obj[key] is present and not blank (a string, list or
# mapping with content, a number or a boolean).
given(obj, key) if {
	has(obj, key)
	not blank(obj[key])
}

# ---------------------------------------------------------------------------
# The system being judged

# The values below are evaluated for every system: they read known mappings
# directly (x.key, object.get) rather than through the helpers above, as a
# function call costs regorus's VM several builtin calls.

# record: input.record, or {} when it is absent or not a mapping.
record := r if {
	r := input.record
	is_object(r)
} else := {}

# risk: record.risk, or {} when it is absent or not a mapping.
risk := r if {
	r := record.risk
	is_object(r)
} else := {}

# declared_tier: record.risk.tier as written (null when absent).
declared_tier := object.get(risk, "tier", null)

# tier: the effective risk tier, input.tier as aimsgate computed it; when a
# caller (plain OPA, conftest) gives none, record.risk.tier when valid; else
# "high" (unknown means strictest).
tier := stated_tier if not talked_down

tier := "high" if talked_down

stated_tier := input.tier if object.get(input, "tier", null) in valid_tiers

stated_tier := declared_tier if {
	not object.get(input, "tier", null) in valid_tiers
	declared_tier in valid_tiers
}

default stated_tier := "high"

# talked_down: the card names an EU AI Act Annex III area (or Annex I) but
# declares a lower tier. Such a system is high-risk (Article 6) whatever
# risk.tier says; aimsgate computes input.tier the same way.
talked_down if {
	declared_tier in {"limited", "minimal"}
	annex_signal
}

# annex_signal: risk.annex_iii_area names an area, or risk.annex_i is true.
annex_signal if {
	area := object.get(risk, "annex_iii_area", null)
	is_string(area)
	not lower(trim_space(area)) in {"", "none", "n/a", "no", "false"}
}

annex_signal if object.get(risk, "annex_i", false) == true

# judged_tier: the tier whose column of the severity table applies.
# A prohibited system is judged as high: every high-risk rule applies to it
# as well as prohibited-practice.
judged_tier := "high" if tier == "prohibited"

judged_tier := tier if tier != "prohibited"

# affects_people: record.risk.affects_people unless it is false (default true).
affects_people if object.get(risk, "affects_people", true) != false

# A high-risk system affects people whatever it says: the bias rules apply.
affects_people if tier in {"high", "prohibited"}

# ---------------------------------------------------------------------------
# Params (input.params, from config) with their documented defaults

params := p if {
	p := input.params
	is_object(p)
} else := {}

# Each param is params.<name> when it is a number, else its default.
bias_ratio_min := v if {
	v := params.bias_ratio_min
	is_number(v)
} else := 0.8

bias_difference_max := v if {
	v := params.bias_difference_max
	is_number(v)
} else := 0.1

min_group_size := v if {
	v := params.min_group_size
	is_number(v)
} else := 30

max_assessment_age_days := v if {
	v := params.max_assessment_age_days
	is_number(v)
} else := 365

# ---------------------------------------------------------------------------
# Fairness

# fairness: record.fairness, or {} when absent or not a mapping.
fairness := f if {
	f := record.fairness
	is_object(f)
} else := {}

# evidence: the fairness evidence file's mapping when it was read and grafted
# into fairness.evidence ({} when absent or still a path).
evidence := e if {
	e := fairness.evidence
	is_object(e)
} else := {}

# inline_results: fairness.results when it is a list, else [].
inline_results := r if {
	r := fairness.results
	is_array(r)
} else := []

# results_from_evidence: fairness.results is absent or empty and the evidence
# file holds a results list, so the results are read from it.
results_from_evidence if {
	count(inline_results) == 0
	is_array(object.get(evidence, "results", null))
}

nonempty_list(x) if {
	is_array(x)
	count(x) > 0
}

# fairness_results: the bias test results, inline or from the evidence file.
fairness_results := evidence.results if results_from_evidence

fairness_results := inline_results if not results_from_evidence

# fairness_results_path: the record path of fairness_results, for findings
# (fairness.results.0.value or fairness.evidence.results.0.value).
fairness_results_path := "fairness.evidence.results" if results_from_evidence

default fairness_results_path := "fairness.results"

# The fairness metrics the gate knows, by their fairlearn and AIF360 names
# (lower case), with their direction: "ratio" (1 is parity, higher is
# fairer) or "difference" (0 is parity, closer is fairer). An organisation
# adds its own with [params] bias_metrics = {name = "ratio"}.
known_metrics := {
	"demographic_parity_ratio": "ratio",
	"demographic_parity_difference": "difference",
	"equalized_odds_ratio": "ratio",
	"equalized_odds_difference": "difference",
	"equal_opportunity_ratio": "ratio",
	"equal_opportunity_difference": "difference",
	"true_positive_rate_ratio": "ratio",
	"true_positive_rate_difference": "difference",
	"false_positive_rate_ratio": "ratio",
	"false_positive_rate_difference": "difference",
	"false_negative_rate_ratio": "ratio",
	"false_negative_rate_difference": "difference",
	"selection_rate_ratio": "ratio",
	"selection_rate_difference": "difference",
	"disparate_impact": "ratio",
	"disparate_impact_ratio": "ratio",
	"statistical_parity_difference": "difference",
	"average_odds_difference": "difference",
	"average_abs_odds_difference": "difference",
}

bias_metrics := object.union(known_metrics, mapping(object.get(mapping(object.get(input, "params", {})), "bias_metrics", {})))

# metric_kind(name): the direction of a lower-cased metric name; undefined
# for a metric the gate does not know (bias-threshold reports it).
metric_kind(name) := kind if {
	kind := bias_metrics[name]
	kind in {"ratio", "difference"}
}
