#!/usr/bin/env python3
"""Run the Rego unit tests of a policy directory under real OPA.

A development tool: it checks that the built-in policies stay valid OPA v1
Rego (they must also run under `opa eval` and conftest), independently of
the regorus engine that aimsgate embeds.

Usage:
    python3 scripts/opa_test.py [DIR ...] [--run REGEX] [-v] [--coverage]
                                [--no-metadata]

DIR defaults to policies/. Every .rego file below each DIR is loaded; every
rule named test_* (found by scanning the sources, per package) is evaluated
as data.<package>.<test>. A test passes when it is defined and true, as
with `opa test`. Prints a line per failing test and closes with
`N passed, M failed`; exits 1 when a test fails, 2 when the policies do not
compile or OPA cannot be loaded.

Unless --no-metadata is given, each package-scoped `# METADATA` block of a
non-test file is also checked (YAML, custom.id, severity, controls);
problems are printed as `METADATA file: ...` and make the exit status 1.

OPA comes from the PyPI package opa-golib-python-bindings (OPA's Go engine
in a c-shared library, driven with ctypes). Its wheel declares Python
>= 3.14 but runs on 3.10+, so fetch it without installing:

    pip download --no-deps opa-golib-python-bindings==0.4.4 \\
        --python-version 3.14 --only-binary=:all: -d /tmp/opa-wheel
    mkdir -p /tmp/opa-py && unzip -o -q /tmp/opa-wheel/*.whl -d /tmp/opa-py

This script imports opa_bindings from the environment, else from $OPA_PY
(default /tmp/opa-py).
"""

import argparse
import os
import re
import sys
from pathlib import Path

PACKAGE_RE = re.compile(r"^package\s+([A-Za-z_][\w.]*)", re.M)
TEST_RE = re.compile(r"^(test_\w+)\b", re.M)
SEVERITIES = {"error", "warning", "note", "off"}
TIERS = {"high", "limited", "minimal"}
CONTROL_RE = re.compile(
    r"^(iso42001:A\.\d+(\.\d+)*|eu-ai-act:art-\d+|nist-ai-rmf:[A-Z]+-\d+(\.\d+)?)$"
)


def load_opa():
    try:
        import opa_bindings  # noqa: F401
    except ImportError:
        sys.path.insert(0, os.environ.get("OPA_PY", "/tmp/opa-py"))
        try:
            import opa_bindings  # noqa: F401
        except ImportError:
            sys.exit(
                "opa_test: error: cannot import opa_bindings; see the download "
                "steps at the top of scripts/opa_test.py"
            )
    from opa_bindings import OpaEngine, OpaError, OpaUndefinedError

    return OpaEngine, OpaError, OpaUndefinedError


def rego_files(dirs):
    files = []
    for d in dirs:
        p = Path(d)
        if p.is_file():
            files.append(p)
        elif p.is_dir():
            files.extend(sorted(p.rglob("*.rego")))
        else:
            sys.exit(f"opa_test: error: no such file or directory: {d}")
    return files


def metadata_block(source):
    """The package-scoped # METADATA block as YAML text, or None."""
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if PACKAGE_RE.match(line):
            j = i - 1
            block = []
            while j >= 0 and lines[j].startswith("#"):
                block.append(lines[j])
                j -= 1
            block.reverse()
            if not block or block[0].strip() != "# METADATA":
                # the METADATA line may sit below other comments
                for k, b in enumerate(block):
                    if b.strip() == "# METADATA":
                        block = block[k:]
                        break
                else:
                    return None
            body = []
            for b in block[1:]:
                body.append(b[2:] if b.startswith("# ") else b[1:])
            return "\n".join(body)
    return None


def check_metadata(path, source):
    """Problems with a rule file's METADATA block (an empty list when fine)."""
    try:
        import yaml
    except ImportError:
        return []
    text = metadata_block(source)
    if text is None:
        return ["no package-scoped # METADATA block above the package line"]
    try:
        meta = yaml.safe_load(text)
    except yaml.YAMLError as e:
        return [f"METADATA is not valid YAML: {e}"]
    problems = []
    if not isinstance(meta, dict):
        return ["METADATA is not a mapping"]
    for key in ("title", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(f"{key} is missing")
    for r in meta.get("related_resources") or []:
        if not isinstance(r, dict) or not str(r.get("ref", "")).startswith("https://"):
            problems.append(f"related_resources entry without an https ref: {r!r}")
    custom = meta.get("custom")
    if not isinstance(custom, dict):
        return problems + ["custom is missing"]
    rule_id = custom.get("id")
    pkg = PACKAGE_RE.search(source).group(1)
    if not isinstance(rule_id, str) or rule_id.replace("-", "_") != pkg.rsplit(".", 1)[-1]:
        problems.append(f"custom.id {rule_id!r} does not match package {pkg}")
    if path.stem != pkg.rsplit(".", 1)[-1]:
        problems.append(f"file name does not match package {pkg}")
    sev = custom.get("severity")
    if isinstance(sev, dict):
        if set(sev) != TIERS:
            problems.append(f"custom.severity must name exactly {sorted(TIERS)}")
        bad = [v for v in sev.values() if v not in SEVERITIES]
    else:
        bad = [sev] if sev not in SEVERITIES else []
    if bad:
        problems.append(
            f"custom.severity values must be one of {sorted(SEVERITIES)} "
            f"(quote \"off\": YAML 1.1 reads it as false): {bad!r}"
        )
    controls = custom.get("controls")
    if not isinstance(controls, list) or not controls:
        problems.append("custom.controls is missing")
    else:
        for c in controls:
            if not isinstance(c, str) or not CONTROL_RE.match(c):
                problems.append(f"control id {c!r} is not in the iso42001:/eu-ai-act:/nist-ai-rmf: form")
    if not isinstance(custom.get("remediation"), str) or not custom["remediation"].strip():
        problems.append("custom.remediation is missing")
    return problems


def main():
    ap = argparse.ArgumentParser(description="Run Rego test_* rules under OPA.")
    ap.add_argument("dirs", nargs="*", default=["policies"], metavar="DIR")
    ap.add_argument("--run", metavar="REGEX", help="only tests whose data.<pkg>.<name> matches")
    ap.add_argument("-v", "--verbose", action="store_true", help="print passing tests too")
    ap.add_argument("--coverage", action="store_true", help="print line coverage per file")
    ap.add_argument("--no-metadata", action="store_true", help="skip the METADATA checks")
    args = ap.parse_args()

    OpaEngine, OpaError, OpaUndefinedError = load_opa()
    files = rego_files(args.dirs)
    if not files:
        sys.exit("opa_test: error: no .rego files found")

    engine = OpaEngine()
    engine.print_handler = lambda msg, loc: print(f"  print {loc}: {msg}")
    tests = []  # (query, file)
    meta_problems = []
    for f in files:
        source = f.read_text()
        try:
            engine.add_policy(str(f), source)
        except OpaError as e:
            print(f"opa_test: error: {f}: {e}", file=sys.stderr)
            return 2
        m = PACKAGE_RE.search(source)
        if not m:
            print(f"opa_test: error: {f}: no package line", file=sys.stderr)
            return 2
        pkg = m.group(1)
        seen = set()
        for name in TEST_RE.findall(source):
            if name not in seen:
                seen.add(name)
                tests.append((f"{pkg}.{name}", f))
        is_rule = not f.name.endswith("_test.rego") and "custom:" in source
        if is_rule and not args.no_metadata:
            meta_problems += [f"METADATA {f}: {p}" for p in check_metadata(f, source)]

    # Compile everything once, so errors are reported as such.
    try:
        engine.eval_query("true")
    except OpaError as e:
        print(f"opa_test: error: the policies do not compile:\n{e.message}", file=sys.stderr)
        return 2

    if args.run:
        rx = re.compile(args.run)
        tests = [t for t in tests if rx.search(f"data.{t[0]}")]

    passed = failed = 0
    covered, not_covered = {}, {}
    for query, f in tests:
        try:
            value = engine.eval_document(query, coverage=args.coverage)
            ok = value is not False
            detail = "" if ok else "false"
        except OpaUndefinedError:
            ok, detail = False, "undefined"
        except OpaError as e:
            ok, detail = False, f"error: {e.message}"
        if args.coverage and engine.last_coverage:
            for fname, rep in (engine.last_coverage.get("files") or {}).items():
                for key, acc in (("covered", covered), ("not_covered", not_covered)):
                    for r in rep.get(key) or []:
                        lines = range(r["start"]["row"], r["end"]["row"] + 1)
                        acc.setdefault(fname, set()).update(lines)
        if ok:
            passed += 1
            if args.verbose:
                print(f"PASS data.{query}")
        else:
            failed += 1
            print(f"FAIL data.{query} ({f}): {detail}")

    for p in meta_problems:
        print(p)
    if args.coverage:
        total_c = total_n = 0
        for fname in sorted(set(covered) | set(not_covered)):
            c = covered.get(fname, set())
            n = not_covered.get(fname, set()) - c
            total_c, total_n = total_c + len(c), total_n + len(n)
            pct = 100.0 * len(c) / max(1, len(c) + len(n))
            missing = ",".join(str(x) for x in sorted(n))
            print(f"coverage {pct:5.1f}% {fname}" + (f"  not covered: {missing}" if n else ""))
        print(f"coverage {100.0 * total_c / max(1, total_c + total_n):.1f}% overall")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or meta_problems else 0


if __name__ == "__main__":
    sys.exit(main())
