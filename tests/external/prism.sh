#!/usr/bin/env bash
# aimsgate's GitHub API calls are valid requests by GitHub's own OpenAPI
# description (@octokit/openapi): Prism mocks api.github.com from it on
# loopback, validating every request (--errors answers an invalid one with a
# 4xx, which aimsgate would report as a warning), and its log must show no
# violation. Two mocks: the description as published (no report comment yet:
# POST the comment; the check run with 60 annotations: POST then PATCH), and
# one whose comment-list example is aimsgate's own comment (PATCH it), which
# also serves --changed-only's files API (the fixture is no git checkout).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/tools.sh
npm_tool @stoplight/prism-cli@5.14.2 @octokit/openapi@23.0.2
PRISM="$TOOLS_DIR/node/node_modules/.bin/prism"
SPEC="$TOOLS_DIR/node/node_modules/@octokit/openapi/generated/api.github.com.json"
[ -x "$AIMSGATE" ] || cargo build --quiet
MARKER="$(sed -n 's/^pub const COMMENT_MARKER: &str = "\(.*\)";$/\1/p' src/report/markdown.rs)"
[ -n "$MARKER" ] || { echo "prism.sh: cannot read COMMENT_MARKER from src/report/markdown.rs"; exit 1; }

work="$(mktemp -d)"
prism_pids=()
cleanup() {
	for pid in "${prism_pids[@]}"; do
		kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_prism NAME SPEC: Prism in its own process group, log in $work/NAME.log
start_prism() {
	local port
	port="$(free_port)"
	setsid "$PRISM" mock --host 127.0.0.1 --port "$port" --errors "$2" >"$work/$1.log" 2>&1 &
	prism_pids+=("$!")
	echo "$port" >"$work/$1.port"
}

wait_ready() {
	local i
	for i in $(seq 1 240); do
		if grep -q "Prism is listening" "$work/$1.log"; then
			return 0
		fi
		sleep 1
	done
	echo "prism.sh: Prism ($1) did not start within 4 minutes:"
	tail -20 "$work/$1.log"
	exit 1
}

node tests/external/prism/with-marker.js "$SPEC" "$work/marked.json" "$MARKER"
start_prism published "$SPEC"
start_prism marked "$work/marked.json"

# A fixture: 60 projects of ML code without a card (60 errors: more than
# one batch of 50 check run annotations) and a card with warnings.
repo="$work/repo"
for i in $(seq -w 1 60); do
	mkdir -p "$repo/ml/m$i"
	echo "scikit-learn" >"$repo/ml/m$i/requirements.txt"
	printf 'from sklearn.linear_model import LogisticRegression\n\nLogisticRegression().fit(X, y)\n' >"$repo/ml/m$i/train.py"
done
mkdir -p "$repo/scoring"
printf 'name: Scorer\nowner: {name: Team, contact: team@example.com}\nrisk: {tier: minimal, rationale: Internal triage}\n' \
	>"$repo/scoring/model_card.yaml"
cat >"$work/event.json" <<'EOF'
{"action": "synchronize", "number": 1347,
 "pull_request": {"number": 1347,
  "base": {"sha": "1111111111111111111111111111111111111111"},
  "head": {"sha": "2222222222222222222222222222222222222222"}}}
EOF

wait_ready published
wait_ready marked

# run NAME PRISM ARGS...: aimsgate as a pull request step against that mock
run() {
	local name="$1" mock="$2"
	shift 2
	local code=0
	(cd "$repo" && env -u GITHUB_WORKSPACE \
		GITHUB_ACTIONS=true GITHUB_EVENT_NAME=pull_request \
		GITHUB_EVENT_PATH="$work/event.json" GITHUB_REPOSITORY=octocat/Hello-World \
		GITHUB_API_URL="http://127.0.0.1:$(cat "$work/$mock.port")" \
		GITHUB_TOKEN=ghs_prismTestToken000000000000000000000 \
		GITHUB_SHA=3333333333333333333333333333333333333333 \
		GITHUB_STEP_SUMMARY="$work/summary.md" GITHUB_OUTPUT="$work/output.txt" \
		"$AIMSGATE" check . --now 2026-11-29 "$@" >"$work/$name.out" 2>"$work/$name.err") || code=$?
	echo "$code" >"$work/$name.code"
}

run create published --github-comment --github-check
run update marked --github-comment --changed-only

failed=0
fail() {
	echo "FAIL: $*"
	failed=1
}
expect_code() {
	local got
	got="$(cat "$work/$1.code")"
	[ "$got" = "$2" ] || fail "aimsgate ($1) exited $got, expected $2: $(cat "$work/$1.err")"
}
expect_request() { # LOG METHOD PATH
	grep -qF "[HTTP SERVER] $2 $3 " "$work/$1.log" || fail "no $2 $3 reached Prism ($1)"
}

expect_code create 1 # the findings decide
expect_code update 0 # no system among the pull request's example files
for name in create update; do
	if grep -q '::warning::' "$work/$name.err"; then
		fail "aimsgate ($name) warned: $(grep '::warning::' "$work/$name.err")"
	fi
done
for log in published marked; do
	if grep -E 'Violation|did not pass the validation rules|Request terminated with error' "$work/$log.log"; then
		fail "Prism ($log) reported request validation violations"
	fi
	received=$(grep -c 'Request received' "$work/$log.log" || true)
	passed=$(grep -c 'The request passed the validation rules' "$work/$log.log" || true)
	[ "$received" = "$passed" ] || fail "Prism ($log): $received requests, $passed passed validation"
done
r=/repos/octocat/Hello-World
expect_request published get "$r/issues/1347/comments"
expect_request published post "$r/issues/1347/comments"
expect_request published post "$r/check-runs"
expect_request published patch "$r/check-runs/4"
expect_request marked get /user
expect_request marked patch "$r/issues/comments/1"
expect_request marked get "$r/pulls/1347/files"
if grep -qF "[HTTP SERVER] post $r/issues/1347/comments " "$work/marked.log"; then
	fail "aimsgate created a second comment instead of updating its own"
fi
grep -q '^errors=60$' "$work/output.txt" || fail "GITHUB_OUTPUT lacks errors=60: $(cat "$work/output.txt")"

requests=$(cat "$work/published.log" "$work/marked.log" | grep -c '\[HTTP SERVER\]' || true)
if [ "$failed" -ne 0 ]; then
	echo "--- aimsgate stderr"; cat "$work/create.err" "$work/update.err"
	exit 1
fi
echo "prism: $requests requests to GitHub's API, all valid by its OpenAPI description"
