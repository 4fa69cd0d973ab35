#!/usr/bin/env bash
# Runs every test on a fresh machine: builds, then the Rust suite (unit,
# integration, property tests) and the Rego unit tests of the built-in pack.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --locked --quiet
cargo test --locked --quiet 2>&1
echo "== Rego policy unit tests (built-in pack)"
cargo run --locked --quiet -- test --coverage --threshold 90 policies
