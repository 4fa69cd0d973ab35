"""Checks what gitlab-ci-local made of the aimsgate component.

gitlab_check.py PREVIEW.yml JOB STAGE FAIL_ON INSTALL
    the merged configuration (--preview) has the job in the stage, with the
    inputs as variables, the Code Quality and JUnit reports kept `when:
    always`, and the command that writes them.
gitlab_check.py --reports ARTIFACTS_DIR [RULE PATH]
    the job's artifacts: Code Quality JSON as GitLab reads it (with a finding
    of RULE at PATH, or none at all) and well-formed JUnit XML.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

import yaml


def fail(message):
    sys.exit(f"gitlab_check: {message}")


def preview(path, job_name, stage, fail_on, install):
    text = open(path, encoding="utf-8").read()
    config = yaml.safe_load(text)
    job = config.get(job_name) or fail(f"no job {job_name!r} in {sorted(config)}")
    if job["stage"] != stage:
        fail(f"stage {job['stage']!r}, not {stage!r}")
    if stage not in config.get("stages", []):
        fail(f"stage {stage!r} not among {config.get('stages')}")
    variables = job["variables"]
    if variables["AIMSGATE_FAIL_ON"] != fail_on or variables["AIMSGATE_INSTALL"] != install:
        fail(f"inputs not interpolated: {variables}")
    artifacts = job["artifacts"]
    if artifacts.get("when") != "always":
        fail("artifacts are not kept when the gate fails (when: always)")
    reports = artifacts["reports"]
    if reports.get("codequality") != "gl-code-quality-report.json":
        fail(f"codequality report: {reports}")
    if reports.get("junit") != "aimsgate-junit.xml":
        fail(f"junit report: {reports}")
    script = "\n".join(job["script"])
    for needed in (
        "--output gitlab=gl-code-quality-report.json",
        "--output junit=aimsgate-junit.xml",
        '--changed-since "$base"',
        "CI_MERGE_REQUEST_DIFF_BASE_SHA",
    ):
        if needed not in script:
            fail(f"the script lacks {needed!r}")
    if "$[[" in text:
        fail("an input was left uninterpolated")
    print(f"{job_name}: stage {stage}, fail-on {fail_on}, install {install}, reports {reports}")


def reports(directory, rule=None, path=None):
    quality = json.load(open(os.path.join(directory, "gl-code-quality-report.json"), encoding="utf-8"))
    if not isinstance(quality, list):
        fail("the Code Quality report is not a JSON array")
    fingerprints = set()
    for issue in quality:
        for key in ("description", "check_name", "fingerprint", "severity"):
            if not isinstance(issue.get(key), str) or not issue[key]:
                fail(f"Code Quality issue without {key}: {issue}")
        if issue["severity"] not in ("info", "minor", "major", "critical", "blocker"):
            fail(f"severity {issue['severity']!r}")
        location = issue.get("location", {})
        if not isinstance(location.get("path"), str) or not isinstance(location.get("lines", {}).get("begin"), int):
            fail(f"location: {location}")
        if issue["fingerprint"] in fingerprints:
            fail(f"fingerprint repeated: {issue['fingerprint']}")
        fingerprints.add(issue["fingerprint"])
    if rule is None:
        if quality:
            fail(f"expected no issues, got {quality}")
    elif not any(i["check_name"] == rule and i["location"]["path"] == path for i in quality):
        fail(f"no {rule} issue at {path}: {quality}")
    root = ET.parse(os.path.join(directory, "aimsgate-junit.xml")).getroot()
    if root.tag not in ("testsuites", "testsuite"):
        fail(f"JUnit root element {root.tag!r}")
    failures = root.findall(".//failure")
    if rule is not None and not failures:
        fail("the JUnit report has no failure")
    print(f"{len(quality)} Code Quality issues, {len(root.findall('.//testcase'))} JUnit cases, {len(failures)} failures")


if sys.argv[1] == "--reports":
    reports(*sys.argv[2:])
else:
    preview(*sys.argv[1:])
