"""Writes the hostile fixture repository of tests/formats.rs into DIR.

Card values and file and directory names carry %, CR, LF, workflow commands,
',', ':', <script>, a CDATA end, Markdown table and link syntax and a mention.
Keep it in step with `hostile_repo()` in tests/formats.rs.
"""

import json
import os
import sys

H = "50% \r\n::error::pwned\r\n::add-mask::secret, a:b <script>alert(1)</script> ]]> | `x` [l](e) @octocat # h"
SYSTEM_DIR = "evil %25 \r\n::error file=x::pwned, a:b <script>]]> |`@octocat`"
ML_DIR = "ml %0A\r\n::warning::x, a:b <script>]]>"
TRAIN = "train \r\n::error::y, c:d %.py"

card = {
    "name": H,
    "owner": {"name": "Owner " + H, "contact": H},
    "risk": {"tier": "high", "rationale": H, "affects_people": True, "annex_iii_area": "employment"},
    "intended_use": {"primary": [H], "out_of_scope": [H]},
    "limitations": [H],
    "fairness": {
        "protected_attributes": [H],
        "results": [{"attribute": H, "metric": "demographic_parity_ratio", "value": 0.5,
                     "threshold": 0.8, "n": {"a": 1000, "b": 1000}}],
    },
    "impact_assessment": f"IA {H}.md",
    "waivers": [{"rule": "human-oversight", "reason": H, "approved_by": H, "expires": "2027-03-01"}],
}

root = sys.argv[1]
os.makedirs(os.path.join(root, SYSTEM_DIR), exist_ok=True)
with open(os.path.join(root, SYSTEM_DIR, "model_card.json"), "w", encoding="utf-8") as f:
    json.dump(card, f, indent=2)
os.makedirs(os.path.join(root, ML_DIR), exist_ok=True)
with open(os.path.join(root, ML_DIR, TRAIN), "w", encoding="utf-8") as f:
    f.write("from sklearn.linear_model import LogisticRegression\n\nLogisticRegression().fit(X, y)\n")
