#!/usr/bin/env bash
# The report formats under third-party validators, on the example repository
# and on a hostile fixture (tests/external/formats/hostile.py):
#   SARIF   the SARIF 2.1.0 JSON schema shipped in @microsoft/sarif-multitool,
#           checked by check-jsonschema; and the Multitool's own `validate`
#           with the GitHub and SARIF rule kinds (no error-level result);
#   JUnit   junitparser reads the suites and cases the JSON report implies;
#   GitLab  a Code Quality schema (tests/external/formats/, from GitLab's
#           documented fields: GitLab publishes none) and unique fingerprints;
#   Markdown markdown-it renders no markup from card text and intact tables;
#   CycloneDX the inventory's ML-BOM under cyclonedx-python-lib's strict
#           1.6 validator, agreeing with the JSON register.
# Exits non-zero, naming each failed check, when any fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/tools.sh

SARIF_MULTITOOL_VERSION=5.7.0
pip_tool check-jsonschema==0.39.0 junitparser==5.0.3 markdown-it-py==4.3.0 \
	"cyclonedx-python-lib[json-validation]==11.12.0"
platform="$(node -p process.platform)"
npm_tool "@microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION" \
	"@microsoft/sarif-multitool-$platform@$SARIF_MULTITOOL_VERSION"
MULTITOOL_DIR="$TOOLS_DIR/node/node_modules/@microsoft/sarif-multitool-$platform"
SARIF_SCHEMA="$MULTITOOL_DIR/sarif-2.1.0.json"
# The package's bin.js runs the tool through a shell, which splits
# --rule-kind "Gh;Sarif" at the `;`; run the binary it points at instead.
MULTITOOL="$(cd "$TOOLS_DIR/node" && node -p "require('@microsoft/sarif-multitool')")"
chmod u+x "$MULTITOOL"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
PY="$TOOLS_DIR/venv/bin/python"
CHECK="tests/external/formats/check.py"

if [ ! -x "$AIMSGATE" ]; then
	cargo build --quiet
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=()

# run NAME COMMAND...: one check, its output indented, remembered when it fails.
run() {
	local name="$1"
	shift
	echo "== $name"
	if "$@" 2>&1 | sed 's/^/  /'; then
		echo "   ok"
	else
		echo "   FAILED"
		failed+=("$name")
	fi
}

# report DIR PREFIX ROOT: every format of `check ROOT`, run in DIR.
report() {
	local dir="$1" prefix="$2" root="$3" status
	(cd "$dir" && "$AIMSGATE" check "$root" --now 2026-11-29 --format json \
		--output "sarif=$prefix.sarif" --output "junit=$prefix.xml" \
		--output "gitlab=$prefix.gitlab.json" --output "markdown=$prefix.md" \
		>"$prefix.json")
	status=$?
	if [ "$status" -gt 1 ]; then
		echo "aimsgate check $root failed with exit $status" >&2
		failed+=("aimsgate check $root")
	fi
}

report "$PWD" "$work/examples" examples
mkdir "$work/hostile"
"$PY" tests/external/formats/hostile.py "$work/hostile"
report "$work/hostile" "$work/hostile-report" .
# A legacy repository: the examples with a baseline of their findings, one
# of which is since fixed (stale) and one past its due date.
cp -r examples "$work/legacy"
"$AIMSGATE" baseline "$work/legacy" --now 2026-11-29 --due 2027-06-30 >/dev/null
"$PY" - "$work/legacy" <<'PY'
import json, sys
root = sys.argv[1]
path = f"{root}/aimsgate-baseline.json"
doc = json.load(open(path))
for entry in doc["entries"]:
    if entry["rule"] == "impact-assessment":
        entry["due"] = "2026-10-01"
json.dump(doc, open(path, "w"), indent=2)
card = f"{root}/hiring-screener/MODEL_CARD.md"
text = open(card).read()
assert "value: 0.71" in text
open(card, "w").write(text.replace("value: 0.71", "value: 0.85"))
PY
report "$work/legacy" "$work/legacy-report" .
run "legacy-report: SARIF baselineState" \
	"$PY" "$CHECK" sarif-baseline "$work/legacy-report.sarif" "$work/legacy-report.json"

for name in examples hostile-report legacy-report; do
	run "$name: SARIF 2.1.0 schema (check-jsonschema)" \
		check-jsonschema --schemafile "$SARIF_SCHEMA" "$work/$name.sarif"
	rm -f "$work/$name.multitool.sarif"
	run "$name: sarif-multitool validate --rule-kind Gh;Sarif" bash -c '
		"$1" validate --rule-kind "Gh;Sarif" --level "Error;Warning" -o "$2" "$3" >/dev/null \
			&& "$4" "$5" multitool "$2"' _ \
		"$MULTITOOL" "$work/$name.multitool.sarif" "$work/$name.sarif" "$PY" "$CHECK"
	run "$name: JUnit XML (junitparser)" \
		"$PY" "$CHECK" junit "$work/$name.xml" "$work/$name.json"
	run "$name: GitLab Code Quality schema (check-jsonschema)" \
		check-jsonschema --schemafile tests/external/formats/gitlab-code-quality.schema.json \
		"$work/$name.gitlab.json"
	run "$name: GitLab Code Quality fingerprints" \
		"$PY" "$CHECK" gitlab "$work/$name.gitlab.json" "$work/$name.json"
	run "$name: Markdown (markdown-it)" \
		"$PY" "$CHECK" markdown "$work/$name.md" "$work/$name.json"
done

# The ML-BOM: the examples, the hostile fixture, and an LLM application
# whose code names models and providers, carded and not.
mkdir -p "$work/llm-app/chat" "$work/llm-app/ranker"
cat >"$work/llm-app/chat/bot.py" <<'PY'
from openai import OpenAI
from transformers import AutoTokenizer

client = OpenAI()
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")


def answer(q):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": q}])
PY
cp examples/spam-filter/model_card.json "$work/llm-app/chat/model_card.json"
cat >"$work/llm-app/ranker/score.ts" <<'TS'
import Anthropic from "@anthropic-ai/sdk";
const client = new Anthropic();
export const rank = (q: string) => client.messages.create({ model: "claude-3-5-haiku-latest", max_tokens: 64, messages: [] });
TS
echo '{"name": "ranker", "dependencies": {"@anthropic-ai/sdk": "^0.30"}}' >"$work/llm-app/ranker/package.json"
for name in examples hostile llm-app; do
	root="$work/$name"
	[ "$name" = examples ] && root=examples
	"$AIMSGATE" inventory "$root" --now 2026-11-29 --format cyclonedx >"$work/$name.cdx.json"
	"$AIMSGATE" inventory "$root" --now 2026-11-29 --format json >"$work/$name.register.json"
	run "$name: CycloneDX 1.6 ML-BOM (cyclonedx-python-lib)" \
		"$PY" "$CHECK" cyclonedx "$work/$name.cdx.json" "$work/$name.register.json"
done

if [ "${#failed[@]}" -gt 0 ]; then
	echo
	echo "formats.sh: ${#failed[@]} check(s) failed:"
	printf '  - %s\n' "${failed[@]}"
	exit 1
fi
echo
echo "formats.sh: all checks passed"
