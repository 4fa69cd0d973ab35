#!/usr/bin/env bash
# Runs the gate for the GitHub Action (action.yml). The inputs arrive as
# environment variables, never spliced into the script, and become separate
# arguments: nothing in them is evaluated by a shell.
#
# Inside GitHub Actions aimsgate itself writes the annotations, the job
# summary and the step outputs (errors, warnings, systems, sarif); its exit
# status is the step's: 0 passes, 1 findings at or above fail-on, 2 a tool error.
#
# Environment (set by action.yml):
#   AIMSGATE_BIN           the binary the install step put in place
#   AIMSGATE_PATHS         `path`: one or more roots, one per line
#   AIMSGATE_CONFIG        `config`: a configuration file, or empty
#   AIMSGATE_POLICIES      `policy`: policy directories, one per line, or empty
#   AIMSGATE_FAIL_ON       `fail-on`: error or warning
#   AIMSGATE_CHANGED_ONLY  `changed-only`: auto, true or false
#   AIMSGATE_COMMENT       `comment`: true or false
#   AIMSGATE_CHECK         `check`: true or false
#   AIMSGATE_SARIF         `sarif`: a path for the SARIF report, or empty for none
#   AIMSGATE_BASE          `base`: auto (the pull request's base commit), a
#                          commit or ref, or false
#   GITHUB_TOKEN           `token`, read by aimsgate from the environment
set -euo pipefail

escape_data() {
	local s="$1"
	s="${s//'%'/%25}"
	s="${s//$'\r'/%0D}"
	s="${s//$'\n'/%0A}"
	printf '%s' "$s"
}

die() {
	echo "::error title=aimsgate::$(escape_data "$*")"
	exit 2
}

# is_true NAME VALUE: the input said true (or false); anything else is a mistake.
is_true() {
	case "$2" in
		true | True | TRUE) return 0 ;;
		false | False | FALSE) return 1 ;;
		*) die "input '$1' must be true or false, not '$2'" ;;
	esac
}

bin="${AIMSGATE_BIN:?the install step did not run}"
args=(check)

root=""
while IFS= read -r line || [ -n "$line" ]; do
	line="${line%$'\r'}"
	[ -n "$line" ] && args+=("$line") && root="${root:-$line}"
done <<<"${AIMSGATE_PATHS:-.}"

if [ -n "${AIMSGATE_CONFIG:-}" ]; then
	args+=(--config "$AIMSGATE_CONFIG")
fi

while IFS= read -r line || [ -n "$line" ]; do
	line="${line%$'\r'}"
	[ -n "$line" ] && args+=(--policy "$line")
done <<<"${AIMSGATE_POLICIES:-}"

case "${AIMSGATE_FAIL_ON:-error}" in
	error | warning) args+=(--fail-on "${AIMSGATE_FAIL_ON:-error}") ;;
	*) die "input 'fail-on' must be error or warning, not '${AIMSGATE_FAIL_ON}'" ;;
esac

changed_only="${AIMSGATE_CHANGED_ONLY:-auto}"
if [ "$changed_only" = auto ]; then
	case "${GITHUB_EVENT_NAME:-}" in
		pull_request | pull_request_target) changed_only=true ;;
		*) changed_only=false ;;
	esac
fi
if is_true changed-only "$changed_only"; then
	args+=(--changed-only)
fi
if is_true comment "${AIMSGATE_COMMENT:-false}"; then
	args+=(--github-comment)
fi
if is_true check "${AIMSGATE_CHECK:-false}"; then
	args+=(--github-check)
fi

if [ -n "${AIMSGATE_SARIF:-}" ]; then
	args+=(--output "sarif=$AIMSGATE_SARIF")
fi

# The trusted revision the demands come from (docs/security.md): on a pull
# request, its base commit from the event. A base that cannot be had is an
# error, never a run without one.
base="${AIMSGATE_BASE:-auto}"
if [ "$base" = auto ]; then
	base=false
	case "${GITHUB_EVENT_NAME:-}" in
		pull_request | pull_request_target | pull_request_review)
			command -v jq >/dev/null || die "input 'base' auto reads the event with jq, which is not installed; set base to the commit"
			base="$(jq -r '.pull_request.base.sha // empty' "${GITHUB_EVENT_PATH:?}")" ||
				die "cannot read the pull request's base commit from the event file"
			[ -n "$base" ] || die "the event names no pull_request.base.sha"
			;;
	esac
fi
case "$base" in
	false | False | FALSE | "") ;;
	-* | *[[:space:]]*) die "input 'base' must be a commit or a ref, not '$base'" ;;
	*)
		if ! git -C "${root:-.}" cat-file -e "$base^{commit}" 2>/dev/null; then
			# actions/checkout fetches one commit; the base is fetched alone.
			git -C "${root:-.}" fetch --quiet --no-tags --depth=1 origin "$base" ||
				die "cannot fetch the base commit $base from origin"
		fi
		args+=(--base "$base")
		;;
esac

# The command line, never the token (aimsgate reads it from GITHUB_TOKEN).
# The "+" keeps a hostile path from starting a line with "::".
echo "+ aimsgate ${args[*]}"
exec "$bin" "${args[@]}"
