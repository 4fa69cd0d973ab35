#!/usr/bin/env python3
"""Times real OPA evaluating the built-in pack on the inputs aimsgate sees.

    python3 benches/opa_eval.py INSPECT.json [--policies DIR]

INSPECT.json is the output of `aimsgate inspect REPO --now DATE`. The
policies (every non-test .rego under DIR, default policies/) are loaded and
compiled first; then, per input document, every deny/warn/violation rule of
its kind (aimsgate.rules.* for systems, aimsgate.repository.* for the
repository) is evaluated in one query, as aimsgate does. Only that loop is
timed. OPA is the opa-golib-python-bindings wheel (scripts/tools.sh opa_py,
$OPA_PY); each call goes through ctypes and a JSON encoding of the input, so
the fixed cost of a call is measured too (a trivial query on the same
inputs) and reported, and subtracted, separately.

Prints one JSON object: inputs, results, eval_s, per_call_overhead_s,
eval_minus_overhead_s.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

RESULT_RULE = re.compile(r"^((deny|warn|violation)(_\w+)?)\b", re.M)
PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("inspect", type=Path)
    ap.add_argument("--policies", type=Path, default=Path(__file__).resolve().parents[1] / "policies")
    args = ap.parse_args()
    sys.path.insert(0, os.environ.get("OPA_PY", "/tmp/opa-py"))
    from opa_bindings import OpaEngine

    engine = OpaEngine()
    system_q, repo_q = [], []
    for f in sorted(args.policies.rglob("*.rego")):
        if f.name.endswith("_test.rego"):
            continue
        src = f.read_text()
        engine.add_policy(str(f), src)
        pkg = PACKAGE.search(src).group(1)
        for name in sorted({m.group(1) for m in RESULT_RULE.finditer(src)}):
            target = repo_q if pkg.startswith("aimsgate.repository") else system_q
            target.append(f"data.{pkg}.{name}")

    def batch(paths):
        return "x := [" + ", ".join(f"[r | r := {p}]" for p in paths) + "]"

    queries = {"system": batch(system_q), "repository": batch(repo_q)}
    inputs = json.loads(args.inspect.read_text())
    # Compile and warm up before timing.
    engine.eval_query(queries["system"], input=inputs[0])
    engine.eval_query("x := 1", input=inputs[0])

    results = 0
    t0 = time.perf_counter()
    for doc in inputs:
        rs = engine.eval_query(queries[doc["kind"]], input=doc)
        for lst in rs[0]["x"] if rs else []:
            for value in lst:
                results += len(value) if isinstance(value, list) else 1
    eval_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for doc in inputs:
        engine.eval_query("x := 1", input=doc)
    overhead_s = time.perf_counter() - t0

    print(json.dumps({
        "inputs": len(inputs),
        "queries_per_system": len(system_q),
        "results": results,
        "eval_s": round(eval_s, 3),
        "per_call_overhead_s": round(overhead_s, 3),
        "eval_minus_overhead_s": round(eval_s - overhead_s, 3),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
