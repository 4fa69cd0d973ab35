# METADATA
# title: No template placeholders left in the card
# description: >-
#   The card and the documents it links hold no template filler: no value
#   that is `[More Information Needed]`, TODO, TBD, FIXME, a `{{ }}` template
#   field or lorem ipsum, and no value that answers nothing (N/A, TBD, "see
#   above", "-"), however it is written: markers hidden by zero-width
#   characters, non-breaking spaces, fullwidth forms or Cyrillic and Greek
#   look-alikes are found too (input.placeholders, found by aimsgate in
#   every value of the record, required or not, after NFKC and the Unicode
#   confusables skeleton), and no section whose own text is
#   such filler, only the template's guidance (paragraphs wholly in italics,
#   as the Datasheets-for-Datasets template writes under each question) or
#   nothing at all (input.placeholder_sections, in the card,
#   its sidecar and linked documents). Each is reported where it is, so a
#   generated card is finished before it counts as evidence. A body that is
#   only a title (a document whose content is all in its front matter) is
#   not a section to fill.
# related_resources:
#   - ref: https://www.iso.org/standard/81230.html
#     description: ISO/IEC 42001:2023, Annex A.6.2.7 AI system technical documentation
# custom:
#   id: placeholder-text
#   severity: {high: error, limited: warning, minimal: warning}
#   controls: [iso42001:A.6.2.7]
#   remediation: |-
#     Replace the placeholder with the real content, or remove the key or
#     section if it does not apply to the system. For example, instead of:
#
#       limitations: ["[More Information Needed]"]
#
#     write:
#
#       limitations: [Lower recall on merchants younger than 30 days]
package aimsgate.rules.placeholder_text

import data.aimsgate.lib

# input.placeholders: record paths ("limitations.0") holding filler.
deny contains {
	"msg": sprintf("%s holds placeholder text: write the real content, or remove it if it does not apply", [path]),
	"field": path,
} if {
	some path in lib.list(lib.get(input, "placeholders", []))
	lib.text(path)
}

# input.placeholder_sections: [{file, title, line, reason}], sections whose
# own text is filler, empty, or only the template's guidance.
deny contains {
	"msg": sprintf("section %s of %s %s: write it, or remove the section if it does not apply", [json.marshal(title), file, unfinished(section)]),
	"file": file,
	"line": line,
} if {
	some section in lib.list(lib.get(input, "placeholder_sections", []))
	file := lib.get(section, "file", null)
	lib.text(file)
	line := lib.get(section, "line", null)
	is_number(line)
	not [file, line] in title_only
	title := title_of(section)
}

# title_only: [file, line] of the one section of a file whose body is only
# a heading: the card's sections are input.sections, a linked document's
# are in input.documents.
title_only contains [file, line] if {
	some document in read_files
	file := lib.get(document, "file", null)
	sections := lib.list(lib.get(document, "sections", []))
	count(sections) == 1
	line := lib.get(sections[0], "line", null)
	lib.blank(lib.get(sections[0], "text", null))
}

read_files := array.concat(
	[{"file": lib.get(lib.mapping(lib.get(input, "system", {})), "card", null), "sections": lib.get(input, "sections", [])}],
	[document | some document in lib.mapping(lib.get(input, "documents", {}))],
)

unfinished(section) := why if {
	why := {
		"placeholder": "holds placeholder text",
		"empty": "is empty",
		"guidance": "holds only the template's guidance (text in italics), no answer",
	}[object.get(section, "reason", null)]
} else := "holds placeholder text or nothing"

title_of(section) := section.title if is_string(lib.get(section, "title", null))

title_of(section) := "" if not is_string(lib.get(section, "title", null))
