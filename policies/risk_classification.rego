# METADATA
# title: Risk tier classified
# description: >-
#   The card declares the system's EU AI Act risk tier (prohibited, high,
#   limited or minimal) with a rationale, and a high-risk system names its
#   Annex III area or states that it falls under Annex I. Every other rule's
#   severity depends on the tier; a system without one is judged as high-risk.
#   The tier cannot be talked down: a card that names an Annex III area (or
#   Annex I) is judged high-risk whatever risk.tier says, and one whose
#   intended use or rationale falls in an Annex III area (employment,
#   credit, education, biometrics, essential services, law enforcement,
#   migration, justice) must be classified high or state its Article 6(3)
#   exception in risk.article_6_3. A high-risk system cannot declare
#   affects_people: false to skip the bias rules.
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/6/
#     description: EU AI Act Article 6, Classification rules for high-risk AI systems
#   - ref: https://artificialintelligenceact.eu/annex/3/
#     description: EU AI Act Annex III, High-risk AI systems referred to in Article 6(2)
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.5.2 AI system impact assessment process
#   - ref: https://airc.nist.gov/airmf-resources/airmf/5-sec-core/
#     description: NIST AI RMF, MAP 1.1 intended purposes and context
# custom:
#   id: risk-classification
#   severity: error
#   controls: [iso42001:A.5.2, eu-ai-act:art-6, nist-ai-rmf:MAP-1.1]
#   remediation: |-
#     Classify the system and say why; a high-risk system also names its
#     Annex III area (or sets annex_i: true for a product safety component):
#
#       risk:
#         tier: high        # prohibited | high | limited | minimal
#         rationale: Credit decisions about people (EU AI Act Annex III 5(b))
#         annex_iii_area: essential-services
package aimsgate.rules.risk_classification

import data.aimsgate.lib
import data.aimsgate.lib.declared_tier
import data.aimsgate.lib.record
import data.aimsgate.lib.risk as risk_mapping
import data.aimsgate.lib.valid_tiers

risk := object.get(record, "risk", null)

tier := declared_tier

tiers_text := "prohibited, high, limited or minimal"

deny contains {
	"msg": sprintf("risk.tier is missing: classify the system as %s; until then it is judged as high-risk", [tiers_text]),
	"field": "risk.tier",
} if {
	is_null(tier)
	not has_wrong_type_risk
}

deny contains {
	"msg": sprintf("risk must be a mapping with tier and rationale, not %s; the system is judged as high-risk", [type_name(risk)]),
	"field": "risk",
} if {
	has_wrong_type_risk
}

has_wrong_type_risk if {
	not is_null(risk)
	not is_object(risk)
}

deny contains {
	"msg": sprintf("risk.tier %s is not a risk tier: write one of %s (lower case); the system is judged as high-risk", [json.marshal(tier), tiers_text]),
	"field": "risk.tier",
} if {
	not is_null(tier)
	not tier in valid_tiers
}

deny contains {
	"msg": "risk.rationale is missing: say why the system has its risk tier (e.g. the EU AI Act Annex III point it falls under, or why none applies)",
	"field": "risk.rationale",
} if {
	not has_wrong_type_risk
	not lib.texts(object.get(risk_mapping, "rationale", null))
}

deny contains {
	"msg": sprintf("risk.tier is %s, but the card places the system in %s: such a system is high-risk under EU AI Act Article 6 whatever its tier says, and is judged as high-risk", [declared_tier, annex_named]),
	"field": "risk.tier",
} if {
	lib.talked_down
}

annex_named := sprintf("Annex III area %v", [risk_mapping.annex_iii_area]) if {
	is_string(object.get(risk_mapping, "annex_iii_area", null))
	not object.get(risk_mapping, "annex_i", false) == true
} else := "Annex I (a product safety component)"

# An intended use in an Annex III area, declared below high without naming
# the area: the tier is talked down in words. Each entry: area, and
# lower-case phrases (regular expressions) of uses that fall in it.
annex_iii_uses := {
	"biometrics": [`biometric identification`, `face recognition`, `facial recognition`, `emotion recognition`, `biometric categori[sz]ation`],
	"critical-infrastructure": [`(traffic|water|gas|heating|electricity) (supply|network|grid) (control|management|safety)`],
	"education": [`(admission|admit) (of )?(students|applicants)`, `grad(e|ing) (exams|students|essays)`, `proctor`, `(assess|evaluate) (the )?learning outcomes`],
	"employment": [`recruit`, `hiring`, `screen(ing)? (cvs|resumes|candidates|applicants)`, `job applica`, `(promotion|termination) decisions`, `(monitor|evaluate) (the )?(performance|behaviou?r) of (workers|employees)`],
	"essential-services": [`credit ?(scor|worth)`, `loan (approval|applications|decisions)`, `(life|health) insurance (pricing|risk)`, `eligib(le|ility) for (public )?(benefits|assistance|services)`, `emergency (call|dispatch) (triage|priorit)`],
	"law-enforcement": [`law enforcement`, `(assess|predict) (the )?risk of (re)?offending`, `polygraph`, `evidence reliability`],
	"migration": [`asylum`, `visa applica`, `border control`, `migration risk`],
	"justice": [`judicial`, `court (decisions|rulings)`, `sentencing`, `(influence|influencing) (the outcome of )?(an )?election`],
}

stated_uses contains lower(text) if {
	some text in lib.list(object.get(lib.mapping(object.get(record, "intended_use", {})), "primary", []))
	is_string(text)
}

stated_uses contains lower(text) if {
	text := object.get(risk_mapping, "rationale", null)
	is_string(text)
}

deny contains {
	"msg": sprintf("risk.tier is %s, but the intended use %q falls under EU AI Act Annex III (%s): classify the system as high-risk with risk.annex_iii_area: %s, or state the Article 6(3) exception that applies in risk.article_6_3", [declared_tier, use, area, area]),
	"field": "risk.tier",
} if {
	declared_tier in {"limited", "minimal"}
	not lib.annex_signal
	not lib.texts(object.get(risk_mapping, "article_6_3", null))
	some area, phrases in annex_iii_uses
	some use in stated_uses
	some phrase in phrases
	regex.match(phrase, use)
	not negated(use, phrase)
}

# "not used for hiring decisions" does not place a system in employment.
negated(use, phrase) if regex.match(sprintf(`(^|[^a-z])(not|never|no)[^a-z][^.;]{0,40}(%s)`, [phrase]), use)

deny contains {
	"msg": "risk.affects_people is false on a high-risk system: a system high-risk under the EU AI Act affects people by definition, so the bias and oversight rules apply to it",
	"field": "risk.affects_people",
} if {
	lib.tier == "high"
	object.get(risk_mapping, "affects_people", null) == false
}

deny contains {
	"msg": "risk.annex_iii_area is missing: a high-risk system names its EU AI Act Annex III area (e.g. essential-services, employment), or sets risk.annex_i: true when it is a product safety component under Annex I",
	"field": "risk.annex_iii_area",
} if {
	tier == "high"
	not lib.text(object.get(risk_mapping, "annex_iii_area", null))
	object.get(risk_mapping, "annex_i", false) != true
}
