// Writes a copy of GitHub's OpenAPI description whose example answer to
// "list issue comments" is aimsgate's own report comment (its marker in the
// body, by the user GET /user answers with), so Prism's mock makes aimsgate
// take the update path (PATCH). Only that example changes; every schema that
// requests are validated against is GitHub's, untouched.
// Usage: node with-marker.js IN.json OUT.json MARKER
"use strict";
const fs = require("fs");
const [input, output, marker] = process.argv.slice(2);
if (!input || !output || !marker) {
	console.error("usage: with-marker.js IN.json OUT.json MARKER");
	process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(input, "utf8"));
const example = spec.components.examples["issue-comment-items"];
const me = spec.components.examples["private-user-response-with-public-and-private-profile-information"];
if (!example || !Array.isArray(example.value) || !me) {
	console.error("with-marker.js: the description no longer has the expected examples");
	process.exit(2);
}
example.value[0].body = `${marker}\nAn earlier aimsgate report`;
example.value[0].user.login = me.value.login;
fs.writeFileSync(output, JSON.stringify(spec));
