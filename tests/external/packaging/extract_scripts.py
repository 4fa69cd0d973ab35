"""Writes the shell scripts embedded in CI files to OUT_DIR, one file each,
for shellcheck: the `run` blocks of GitHub workflows (bash) and the
`script` items of GitLab jobs (POSIX sh; a GitLab spec header is skipped).
Scripts that use ${{ }} expressions are rejected outright: inputs belong in
env, not spliced into a script."""
import os
import re
import sys

import yaml

out_dir, files = sys.argv[1], sys.argv[2:]
os.makedirs(out_dir, exist_ok=True)
count = 0


def write(name, shell, body, prelude=""):
    global count
    if "${{" in body:
        sys.exit(f"{name}: a run block uses a ${{{{ }}}} expression; pass it through env")
    count += 1
    path = os.path.join(out_dir, f"{count:02d}-{re.sub(r'[^A-Za-z0-9.-]+', '-', name)}.sh")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"#!/usr/bin/env {shell}\n# {name}\n{prelude}{body}\n")


for file in files:
    docs = list(yaml.safe_load_all(open(file, encoding="utf-8")))
    doc = docs[-1]
    base = os.path.basename(file)
    if "jobs" in doc:  # GitHub workflow
        for job_id, job in doc["jobs"].items():
            for i, step in enumerate(job.get("steps", [])):
                if "run" in step:
                    # As the runner starts `shell: bash`: bash -eo pipefail.
                    write(f"{base}-{job_id}-{i}", "bash", step["run"], "set -eo pipefail\n")
    else:  # GitLab jobs
        for job_id, job in doc.items():
            if isinstance(job, dict) and "script" in job:
                # Interpolated inputs are plain strings to the shell.
                body = "\n".join(job["script"])
                write(f"{base}-job", "sh", re.sub(r"\$\[\[[^\]]*\]\]", "x", body))
print(f"{count} scripts")
