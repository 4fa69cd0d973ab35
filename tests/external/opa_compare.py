#!/usr/bin/env python3
"""The built-in pack under real OPA gives the same deny/warn results as aimsgate.

Builds a repository from the example systems and every third-party card in
tests/corpus (each under a default card name in its own directory), takes the
input documents from `aimsgate inspect`, evaluates every rule package's
deny/warn/violation rules with OPA (from the opa-golib-python-bindings wheel),
and compares (system, rule, message) with `aimsgate check --format json`.
Exit 0 when they agree; prints the differences and exits 1 otherwise.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AIMSGATE = os.environ.get("AIMSGATE", str(ROOT / "target/debug/aimsgate"))
NOW = "2026-11-29"
RESULT_RULE = re.compile(r"^((deny|warn|violation)(_\w+)?)\b", re.M)
PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)


def build_repo(dest: Path) -> None:
    shutil.copytree(ROOT / "examples", dest / "examples")
    corpus = ROOT / "tests/corpus"
    for i, f in enumerate(sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")):
        text = f.read_text(errors="replace")
        if f.suffix == ".md":
            name = "MODEL_CARD.md"
        elif '"bomFormat"' in text:
            name = "bom.json"
        else:
            name = "model_card.json"
        d = dest / "corpus" / f"{i:02d}-{f.stem}"
        d.mkdir(parents=True)
        shutil.copy(f, d / name)


def run(args, cwd):
    return subprocess.run([AIMSGATE, *args], cwd=cwd, capture_output=True, text=True)


def main() -> int:
    sys.path.insert(0, os.environ.get("OPA_PY", "/tmp/opa-py"))
    from opa_bindings import OpaEngine, OpaUndefinedError

    engine = OpaEngine()
    queries = []  # (package, rule name, rule id)
    for f in sorted((ROOT / "policies").rglob("*.rego")):
        if f.name.endswith("_test.rego"):
            continue
        src = f.read_text()
        engine.add_policy(str(f.relative_to(ROOT)), src)
        pkg = PACKAGE.search(src).group(1)
        m = re.search(r"^#\s+id:\s*(\S+)", src, re.M)
        rule_id = m.group(1) if m else pkg.rsplit(".", 1)[-1].replace("_", "-")
        for name in sorted({m.group(1) for m in RESULT_RULE.finditer(src)}):
            queries.append((pkg, name, rule_id))

    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        build_repo(repo)
        inspected = run(["inspect", ".", "--now", NOW], repo)
        if inspected.returncode != 0:
            print(inspected.stderr, file=sys.stderr)
            return 2
        checked = run(["check", ".", "--now", NOW, "--format", "json"], repo)
        if checked.returncode not in (0, 1):
            print(checked.stderr, file=sys.stderr)
            return 2
        inputs = json.loads(inspected.stdout)
        report = json.loads(checked.stdout)

    # A card that does not parse reports only card-invalid in aimsgate; compare the rest.
    unreadable = {
        doc["system"]["id"]
        for doc in inputs
        if doc["kind"] == "system"
        and any(p["file"] == doc["system"]["card"] and "field" not in p for p in doc["problems"])
    }
    opa = set()
    for doc in inputs:
        system = doc["system"]["id"] if doc["kind"] == "system" else None
        if system in unreadable:
            continue
        prefix = "aimsgate.repository" if doc["kind"] == "repository" else "aimsgate.rules"
        for pkg, name, rule_id in queries:
            if not pkg.startswith(prefix):
                continue
            try:
                results = engine.eval_document(f"{pkg}.{name}", input=doc)
            except OpaUndefinedError:
                continue
            for r in results or []:
                msg = r if isinstance(r, str) else r["msg"]
                opa.add((system, rule_id, msg))
    ours = {
        (f["system"], f["rule"], f["message"])
        for f in report["findings"]
        if f["rule"] != "waiver" and f["system"] not in unreadable
    }
    only_opa, only_ours = opa - ours, ours - opa
    for label, diff in (("only under OPA", only_opa), ("only under aimsgate", only_ours)):
        for item in sorted(diff, key=str):
            print(f"{label}: {item}")
    print(f"compared {len(ours)} aimsgate findings with {len(opa)} OPA results over {len(inputs)} inputs")
    return 1 if only_opa or only_ours else 0


if __name__ == "__main__":
    sys.exit(main())
