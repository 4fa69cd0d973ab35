package aimsgate.rules.owner_test

import data.aimsgate.lib.fixtures_test as fx
import data.aimsgate.rules.owner

test_valid_owner_passes if {
	count(owner.deny) == 0 with input as fx.input_high
}

test_missing_owner if {
	findings := owner.deny with input as fx.without(["owner"])
	findings == {{
		"msg": "owner is missing: name the accountable team or person (owner.name) and how to reach them (owner.contact)",
		"field": "owner",
	}}
}

test_blank_owner_is_missing if {
	fx.fields(owner.deny) == {"owner"} with input as fx.with_record({"owner": "  "})
}

test_missing_contact if {
	findings := owner.deny with input as fx.without(["owner/contact"])
	findings == {{"msg": "owner.contact is missing: the owner needs a name and a contact", "field": "owner.contact"}}
}

test_blank_name if {
	fx.fields(owner.deny) == {"owner.name"} with input as fx.with_record({"owner": {"name": " "}})
}

test_empty_mapping_is_missing if {
	fx.fields(owner.deny) == {"owner"} with input as fx.without(["owner/name", "owner/contact"])
}

test_plain_string_owner_needs_contact if {
	fx.fields(owner.deny) == {"owner.contact"} with input as fx.with_record({"owner": "Risk ML Team"})
}

test_owner_of_wrong_type if {
	fx.fields(owner.deny) == {"owner"} with input as fx.with_record({"owner": 42})
}

test_owner_list_passes if {
	count(owner.deny) == 0 with input as fx.with_record({"owner": [{"name": "Risk ML Team", "contact": "risk-ml@acme.example"}]})
}

test_owner_list_entry_without_contact if {
	fx.fields(owner.deny) == {"owner.1.contact"} with input as fx.with_record({"owner": [
		{"name": "Risk ML Team", "contact": "risk-ml@acme.example"},
		{"name": "Jane Doe"},
	]})
}

test_applies_at_every_tier if {
	every t in ["high", "limited", "minimal", "prohibited"] {
		fx.fields(owner.deny) == {"owner.contact"} with input as fx.at_tier_without(t, ["owner/contact"])
	}
}

test_contact_reaches_someone if {
	every contact in [
		"risk-ml@acme.example",
		"Risk ML on-call <risk-ml@acme.example>",
		"https://acme.example/teams/risk-ml",
		"mailto:risk-ml@acme.example",
		"#risk-ml-oncall",
		"Slack: #risk-ml",
		"@acme/risk-ml",
		"+44 20 7946 0958",
	] {
		count(owner.deny) == 0 with input as fx.with_record({"owner": {"name": "Risk ML Team", "contact": contact}})
	}
}

test_contact_that_reaches_nobody if {
	every contact in ["Risk ML Team", "TBD", "ask around", "n/a", "email", "risk-ml@", "#", "call 123"] {
		findings := owner.deny with input as fx.with_record({"owner": {"name": "Risk ML Team", "contact": contact}})
		findings == {{
			"msg": sprintf("owner.contact %s is not a way to reach the owner: give an email address, a URL, a chat channel (#team) or a phone number", [json.marshal(contact)]),
			"field": "owner.contact",
		}}
	}
	fx.fields(owner.deny) == {"owner.1.contact"} with input as fx.with_record({"owner": [
		{"name": "Risk ML Team", "contact": "risk-ml@acme.example"},
		{"name": "Jane Doe", "contact": "Jane"},
	]})
}
