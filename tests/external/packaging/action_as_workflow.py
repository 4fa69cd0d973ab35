"""Prints action.yml's composite steps as a reusable workflow (workflow_call
with the action's inputs), so that actionlint, which reads workflows, checks
their expressions, step ids and shells like a job's."""
import sys

import yaml

action = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
inputs = {
    name: {"type": "string", "required": False, "default": spec.get("default", "")}
    for name, spec in action["inputs"].items()
}
# github.token is not allowed in a workflow_call input default; the action's
# default is checked by check-jsonschema and zizmor instead.
for spec in inputs.values():
    if "${{" in str(spec["default"]):
        spec["default"] = ""
workflow = {
    "name": "action steps",
    "on": {"workflow_call": {"inputs": inputs}},
    "permissions": {},
    "jobs": {
        "action": {
            "name": "action",
            "runs-on": "ubuntu-latest",
            "steps": action["runs"]["steps"],
        }
    },
}
yaml.safe_dump(workflow, sys.stdout, sort_keys=False)
