# METADATA
# title: No prohibited AI practice
# description: >-
#   A system classified as prohibited (EU AI Act Article 5: e.g. social
#   scoring, manipulative techniques, untargeted scraping of facial images)
#   may not be placed on the market or put into service at all, so its card
#   always fails the gate. No waiver, severity override or Statement of
#   Applicability entry can change that.
# related_resources:
#   - ref: https://artificialintelligenceact.eu/article/5/
#     description: EU AI Act Article 5, Prohibited AI practices
# custom:
#   id: prohibited-practice
#   severity: error
#   controls: [eu-ai-act:art-5]
#   remediation: |-
#     Remove the prohibited practice from the system's purpose and design and
#     classify it again, or retire the system. If the classification is wrong,
#     correct it and give the reason:
#
#       risk:
#         tier: high
#         rationale: Scores transactions, not people's social behaviour
#         annex_iii_area: essential-services
package aimsgate.rules.prohibited_practice

import data.aimsgate.lib
import data.aimsgate.lib.declared_tier
import data.aimsgate.lib.tier

deny contains {
	"msg": "risk.tier is prohibited: the EU AI Act (Article 5) forbids placing this AI practice on the market or putting it into service",
	"field": "risk.tier",
} if {
	prohibited
}

prohibited if declared_tier == "prohibited"

# Article 5 practices, as an intended use states them (lower case, regular
# expressions), whatever the tier says. Out-of-scope uses are not read: that
# is where a card says what the system must never do.
article_5_uses := {
	"social scoring (Art. 5(1)(c))": [`social scor`, `(citizen|trust|social) (credit )?score of (people|citizens|individuals)`],
	"emotion recognition at work or in education (Art. 5(1)(f))": [`emotion(s|al)? (recognition|detection|analysis)[^.;]{0,60}(work|employee|staff|school|student|classroom|pupil)`, `(employee|worker|student|pupil)s?'? emotion`, `(detect|recogni[sz]e|infer|read|monitor)(s|ing)? (the )?emotions? of (employees|workers|staff|students|pupils)`],
	"untargeted scraping of facial images (Art. 5(1)(e))": [`scrap(e|ing) (facial|face) images`, `(facial|face) (images|photos) (scraped|collected) from the (internet|web)`, `untargeted scraping`],
	"manipulative or subliminal techniques (Art. 5(1)(a))": [`subliminal`, `manipulat(e|ive|ion)[^.;]{0,40}(behaviou?r|decisions|users|people)`, `exploit(ing)? (the )?vulnerabilit`],
	"predictive policing of individuals (Art. 5(1)(d))": [`predict(s|ing)? (whether|if|which) (a )?(person|individual|people|someone)[^.;]{0,40}(commit|offend)`, `predictive policing`, `crime (risk )?prediction (for|of) individuals`],
	"biometric categorisation by sensitive traits (Art. 5(1)(g))": [`(infer|deduce|categori[sz]e)[^.;]{0,40}(race|ethnicity|political opinion|religio|sexual orientation|trade union)`],
}

practice_uses contains [practice, use] if {
	some text in lib.list(object.get(lib.mapping(object.get(lib.record, "intended_use", {})), "primary", []))
	is_string(text)
	use := lower(text)
	some practice, phrases in article_5_uses
	some phrase in phrases
	regex.match(phrase, use)
}

deny contains {
	"msg": sprintf("intended_use.primary %q is %s, which the EU AI Act forbids whatever risk.tier says", [use, practice]),
	"field": "intended_use.primary",
} if {
	some [practice, use] in practice_uses
}

prohibited if tier == "prohibited"
