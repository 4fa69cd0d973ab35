#!/usr/bin/env bash
# The built-in pack is valid OPA v1 Rego: its unit tests pass under real OPA,
# and OPA's deny/warn results equal aimsgate's on the examples and the corpus.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/tools.sh
opa_py
python3 scripts/opa_test.py policies
python3 tests/external/opa_compare.py
