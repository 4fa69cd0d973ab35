#!/usr/bin/env bash
# Runs every test on a fresh machine: the Rust suite (unit, integration,
# property tests), the Rego unit tests of the built-in pack with coverage,
# then tests/external/*.sh, which check outputs with real third-party tools
# (installed into .tools/ from PyPI, npm and Debian on first use).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --locked --quiet
cargo test --locked --quiet 2>&1
echo "== Rego policy unit tests (built-in pack), coverage at least 90%"
./target/debug/aimsgate test --coverage --threshold 90 policies

passed=0
failed=0
for test in tests/external/*.sh; do
	[ -e "$test" ] || continue
	echo "== $test"
	if bash "$test"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $test"
		failed=$((failed + 1))
	fi
done
echo "external: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
