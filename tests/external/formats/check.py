"""Third-party checks of aimsgate's report formats, one subcommand each.

  multitool OUT.sarif          the SARIF Multitool's own log: no error-level result
  sarif-baseline LOG.sarif REPORT.json  baselineState new/unchanged per finding
  junit REPORT.xml REPORT.json junitparser reads the suites and cases the JSON implies
  gitlab REPORT.json FINDINGS.json   required keys, unique fingerprints, one issue per finding
  markdown REPORT.md FINDINGS.json   markdown-it renders no markup from card text, intact tables

Each prints what it checked and exits 1 with the reasons on a failure.
"""

import html
import json
import re
import sys
import unicodedata

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def findings_of(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc, doc["findings"]


def visible(text):
    """aimsgate's terminal escaping: control and bidi characters as \\u{..}."""
    out = []
    for c in text:
        if unicodedata.category(c) == "Cc" or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069:
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def multitool(log_path):
    with open(log_path, encoding="utf-8") as f:
        log = json.load(f)
    results = [r for run in log.get("runs", []) for r in run.get("results", [])]
    for r in results:
        level = r.get("level", "warning")
        text = r.get("message", {}).get("text") or ",".join(r.get("message", {}).get("arguments", []))
        print(f"  {level} {r.get('ruleId')}: {text[:300]}")
        check(level != "error", f"multitool {r.get('ruleId')}: {text[:300]}")
    notifications = [
        n
        for run in log.get("runs", [])
        for inv in run.get("invocations", [])
        for n in inv.get("toolExecutionNotifications", []) + inv.get("toolConfigurationNotifications", [])
        if n.get("level") == "error"
    ]
    for n in notifications:
        check(False, f"multitool could not run: {n.get('message', {}).get('text')}")
    print(f"  {len(results)} multitool results, none an error" if not failures else "")


def junit(xml_path, json_path):
    from junitparser import JUnitXml, Failure, Skipped

    doc, findings = findings_of(json_path)
    systems = [s["id"] for s in doc["systems"]]
    xml = JUnitXml.fromfile(xml_path)
    suites = list(xml)
    names = [s.name for s in suites]
    expected = [visible(s) for s in systems] + ["(repository)"]
    check(names == expected, f"suites {names!r} != {expected!r}")

    def suite_of(f):
        return visible(f["system"]) if f["system"] in systems else "(repository)"

    failing, waived_only, rules = set(), {}, {}
    for f in findings:
        key = (suite_of(f), visible(f["rule"]))
        rules.setdefault(key[0], set()).add(key[1])
        excused = f["waived"] or f.get("baselined", False)
        if not excused and f["severity"] == "error":
            failing.add(key)
        waived_only[key] = waived_only.get(key, True) and excused
    skipped = {k for k, v in waived_only.items() if v}

    seen_failing, seen_skipped, cases = set(), set(), 0
    for suite in suites:
        case_names = [c.name for c in suite]
        cases += len(case_names)
        check(len(set(case_names)) == len(case_names), f"{suite.name}: duplicate test cases")
        check(suite.tests == len(case_names), f"{suite.name}: tests={suite.tests} but {len(case_names)} cases")
        for rule in rules.get(suite.name, ()):
            check(rule in case_names, f"{suite.name}: no test case for {rule}")
        for case in suite:
            check(case.classname == suite.name, f"{suite.name}/{case.name}: classname {case.classname!r}")
            kinds = [type(r) for r in case.result]
            if Failure in kinds:
                seen_failing.add((suite.name, case.name))
                failure = next(r for r in case.result if isinstance(r, Failure))
                check("\n" not in (failure.message or ""), f"{case.name}: multi-line failure message")
                check(failure.type == case.name, f"{case.name}: failure type {failure.type!r}")
            if Skipped in kinds:
                seen_skipped.add((suite.name, case.name))
    check(seen_failing == failing, f"failing cases {sorted(seen_failing)} != {sorted(failing)}")
    check(seen_skipped == skipped, f"skipped cases {sorted(seen_skipped)} != {sorted(skipped)}")
    print(f"  junitparser: {len(suites)} suites, {cases} cases, {len(failing)} failing, {len(skipped)} skipped")


def sarif_baseline(log_path, json_path):
    """Against a baseline, every result says whether it is new."""
    _, findings = findings_of(json_path)
    with open(log_path, encoding="utf-8") as f:
        results = json.load(f)["runs"][0]["results"]
    check(len(results) == len(findings), f"{len(results)} results for {len(findings)} findings")
    states = [r.get("baselineState") for r in results]
    expected = ["unchanged" if f.get("baselined") else "new" for f in findings]
    check(states == expected, f"baselineState {states} != {expected}")
    check("unchanged" in states and "new" in states, f"baselineState {states}: no mix to check")
    print(f"  {states.count('unchanged')} unchanged, {states.count('new')} new")


def gitlab(report_path, json_path):
    _, findings = findings_of(json_path)
    with open(report_path, encoding="utf-8") as f:
        issues = json.load(f)
    kept = [f for f in findings if not f["waived"]]
    check(len(issues) == len(kept), f"{len(issues)} issues for {len(kept)} unwaived findings")
    prints = [i["fingerprint"] for i in issues]
    check(len(set(prints)) == len(prints), "duplicate fingerprints")
    for issue, f in zip(issues, kept):
        for key in ("description", "check_name", "fingerprint", "severity"):
            check(isinstance(issue.get(key), str) and issue[key], f"issue without {key}: {issue}")
        check(issue["check_name"] == f["rule"], f"check_name {issue['check_name']!r} != {f['rule']!r}")
        check(issue["location"]["path"] == f["file"], f"path {issue['location']['path']!r} != {f['file']!r}")
        check(issue["location"]["lines"]["begin"] == f["line"], f"line of {issue}")
        if f.get("baselined"):
            check(issue["severity"] == "info", f"baselined finding not info: {issue}")
        check(not re.search(r"[\r\n]", issue["description"]), f"multi-line description {issue['description']!r}")
    print(f"  {len(issues)} issues, {len(set(prints))} distinct fingerprints")


def markdown(md_path, json_path):
    from markdown_it import MarkdownIt

    _, findings = findings_of(json_path)
    with open(md_path, encoding="utf-8") as f:
        text = f.read()
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    check("<script" not in rendered.lower(), "a <script> element in the rendered HTML")
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", rendered))
    allowed = {"h2", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "strong", "sub", "a", "p", "blockquote"}
    check(tags <= allowed, f"unexpected elements {sorted(tags - allowed)}")
    for href in re.findall(r'href="([^"]*)"', rendered):
        check(href.startswith("https://github.com/aimsgate/aimsgate/"), f"link to {href}")
    rows = re.findall(r"<tr>(.*?)</tr>", rendered, re.S)
    body = [r for r in rows if "<td" in r]
    finding_rows = [r for r in body if len(re.findall(r"<td", r)) == 4]
    check(len(body) == len(finding_rows) + 1, f"{len(body)} table rows, some with the wrong number of cells")
    check(len(finding_rows) == len(findings), f"{len(finding_rows)} finding rows for {len(findings)} findings")
    cells = []
    for r in finding_rows:
        tds = re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
        cells.append([html.unescape(re.sub(r"<[^>]+>", "", td)).replace("\u200b", "") for td in tds])
    for f in findings:
        message = re.sub(r"[\r\n\t]", " ", f["message"])
        location = re.sub(r"[\r\n\t]", " ", f["file"]) + f":{f['line']}"
        check(
            any(c[1] == f["rule"] and c[2] == location and c[3].startswith(message) for c in cells),
            f"no row shows {f['rule']} at {location!r}: {message!r}",
        )
    check(not re.search(r"@[A-Za-z0-9]", html.unescape(re.sub(r"<[^>]+>", "", rendered))), "an @mention survives")
    print(f"  markdown-it: {len(finding_rows)} finding rows, elements {sorted(tags)}")


def cyclonedx(bom_path, register_path):
    """The ML-BOM is valid CycloneDX 1.6 (cyclonedx-python-lib's strict
    validator) and holds what the JSON register holds: a component per
    system, one per model the code names, a service per provider, and each
    system's dependencies on them."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = open(bom_path).read()
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    check(error is None, f"CycloneDX 1.6 schema: {error}")
    bom = json.loads(text)
    register = json.load(open(register_path))
    components = {c["bom-ref"]: c for c in bom.get("components", [])}
    services = {s["bom-ref"]: s for s in bom.get("services", [])}
    depends = {d["ref"]: set(d.get("dependsOn", [])) for d in bom.get("dependencies", [])}
    rows = [(r["system"], r["code"]) for r in register["systems"]]
    rows += [(u["dir"], u["code"]) for u in register["systems_without_card"]]
    for system, code in rows:
        ref = f"system:{system}"
        check(ref in components, f"no component for {system}")
        wanted = {f"model:{m['model']}" for m in code["models"]}
        wanted |= {f"service:{p['provider']}" for p in code["providers"]}
        check(wanted <= set(components) | set(services), f"{system}: {wanted} not all in the BOM")
        check(depends.get(ref, set()) == wanted, f"{system} depends on {depends.get(ref)}, not {wanted}")
    check(depends.get("repository") == {f"system:{s}" for s, _ in rows}, "the repository does not depend on every system")
    models = [c for c in components.values() if c["bom-ref"].startswith("model:")]
    print(f"  cyclonedx: {len(rows)} systems, {len(models)} models, {len(services)} services, valid 1.6")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {
        "multitool": multitool,
        "junit": junit,
        "gitlab": gitlab,
        "markdown": markdown,
        "sarif-baseline": sarif_baseline,
        "cyclonedx": cyclonedx,
    }[command](*args)
    if failures:
        for f in failures:
            print(f"  FAIL: {f}")
        sys.exit(1)
