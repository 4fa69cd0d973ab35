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

Unless --no-metadata is given, the package METADATA of every rule file (a
non-test file that declares `custom:`) is read back through OPA's own
annotation parser (rego.metadata.chain) and checked: title, description,
custom.id matching the package and file name, severity values, control ids,
remediation. Problems are printed as `METADATA file: ...` and make the exit
status 1.

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
METADATA_PROBE = "__opa_test_metadata"
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


def check_metadata(path, pkg, annotations):
    """Problems with a rule package's METADATA as OPA parsed it (a list)."""
    if not annotations:
        return ["no package-scoped # METADATA block above the package line"]
    problems = []
    for key in ("title", "description"):
        if not isinstance(annotations.get(key), str) or not annotations[key].strip():
            problems.append(f"{key} is missing")
    for r in annotations.get("related_resources") or []:
        if not str(r.get("ref", "")).startswith("https://"):
            problems.append(f"related_resources entry without an https ref: {r!r}")
    custom = annotations.get("custom")
    if not isinstance(custom, dict):
        return problems + ["custom is missing"]
    rule_id = custom.get("id")
    last = pkg.rsplit(".", 1)[-1]
    if not isinstance(rule_id, str) or rule_id.replace("-", "_") != last:
        problems.append(f"custom.id {rule_id!r} does not match package {pkg}")
    if path.stem != last:
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
    rule_files = []  # (file, package) whose METADATA is checked
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
        if not f.name.endswith("_test.rego") and "custom:" in source:
            rule_files.append((f, pkg))

    # OPA parses METADATA only for rego.metadata.*: one probe rule per package.
    if not args.no_metadata:
        for i, (f, pkg) in enumerate(rule_files):
            engine.add_policy(
                f"__opa_test_metadata_{i}.rego",
                f"package {pkg}\n\n{METADATA_PROBE} := rego.metadata.chain()\n",
            )

    # Compile everything once, so errors are reported as such.
    try:
        engine.eval_query("true")
    except OpaError as e:
        print(f"opa_test: error: the policies do not compile:\n{e.message}", file=sys.stderr)
        return 2

    meta_problems = []
    if not args.no_metadata:
        for f, pkg in rule_files:
            chain = engine.eval_document(f"{pkg}.{METADATA_PROBE}")
            pkg_path = pkg.split(".")
            annotations = next(
                (c.get("annotations") for c in chain if c.get("path") == pkg_path), None
            )
            meta_problems += [f"METADATA {f}: {p}" for p in check_metadata(f, pkg, annotations)]

    if args.run:
        rx = re.compile(args.run)
        tests = [t for t in tests if rx.search(f"data.{t[0]}")]

    # One evaluation for all tests (OPA prepares every distinct query anew,
    # which costs more than running the test): a probe module maps each test
    # to its value; a test missing from the result was undefined. When that
    # evaluation fails (a test raised an error), each test runs on its own.
    probe = "package __opa_test_runner\n\n" + "".join(
        f"t{i} := x if x := data.{query}\n\n" for i, (query, _) in enumerate(tests)
    )
    engine.add_policy("__opa_test_runner.rego", probe)
    try:
        values = engine.eval_document("__opa_test_runner", coverage=args.coverage)
        outcomes = [
            (True, "") if values.get(f"t{i}", False) is not False
            else (False, "false" if f"t{i}" in values else "undefined")
            for i in range(len(tests))
        ]
        coverages = [engine.last_coverage]
    except OpaError:
        outcomes, coverages = [], []
        for query, _ in tests:
            try:
                value = engine.eval_document(query, coverage=args.coverage)
                outcomes.append((value is not False, "" if value is not False else "false"))
            except OpaUndefinedError:
                outcomes.append((False, "undefined"))
            except OpaError as e:
                outcomes.append((False, f"error: {e.message}"))
            coverages.append(engine.last_coverage)

    covered, not_covered = {}, {}
    for report in coverages if args.coverage else []:
        for fname, rep in ((report or {}).get("files") or {}).items():
            if fname.startswith("__opa_test"):
                continue
            for key, acc in (("covered", covered), ("not_covered", not_covered)):
                for r in rep.get(key) or []:
                    acc.setdefault(fname, set()).update(range(r["start"]["row"], r["end"]["row"] + 1))

    passed = failed = 0
    for (query, f), (ok, detail) in zip(tests, outcomes):
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
