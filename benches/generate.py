#!/usr/bin/env python3
"""Generates a synthetic ML monorepo for benchmarking aimsgate.

    python3 benches/generate.py N DEST [--seed S] [--code stub|realistic]

DEST/ gets N AI systems spread over teams (teams/tNN/<system>/), each with a
card in one of the supported formats (Markdown front matter, Hugging Face
README, YAML, JSON, TOML, with a sidecar now and then), an impact
assessment, fairness evidence JSON, a LightGBM training script, a link to a shared datasheet
(data/ds-NNNN/DATASHEET.md, one per 20 systems, with its DPIA). About a
quarter of the systems fail, each in one way:

    missing-ia     impact_assessment names a file that is not there
    no-ia          high-risk card without impact_assessment at all
    bias           a fairness result below its threshold
    no-oversight   high-risk card without human_oversight
    placeholder    TODO/TBD text in required fields
    broken-yaml    the card (or its front matter) does not parse
    traversal      a datasheet link that leaves the repository

The output is deterministic for a given N and seed, so runs compare.
"""

import argparse
import json
import random
import shutil
from pathlib import Path

FORMATS = ["md", "hf", "yaml", "json", "toml"]
FAILURES = ["missing-ia", "no-ia", "bias", "no-oversight", "placeholder", "broken-yaml", "traversal"]
FAIL_RATE = 0.25
NOW = "2026-11-29"


def record(i, tier, dataset, failure):
    """The governance record of system i, as a plain dict."""
    name = f"Model {i:05d}"
    r = {
        "name": name,
        "version": f"1.{i % 7}.{i % 3}",
        "owner": {"name": f"Team {i % 50:02d}", "contact": f"team{i % 50:02d}@acme.example"},
        "lifecycle": ["production", "development", "pilot"][i % 3],
        "risk": {
            "tier": tier,
            "rationale": "Scores applications that affect access to an essential service; "
            "human review before any adverse decision.",
            "annex_iii_area": "essential-services" if tier == "high" else "none",
            "affects_people": tier == "high",
        },
        "intended_use": {
            "primary": [f"Rank incoming cases for queue {i} by predicted urgency"],
            "users": ["Case handlers"],
            "out_of_scope": ["Fully automated decisions", "Use outside the EU"],
        },
        "limitations": [
            "Accuracy drops on cases older than two years",
            "Not calibrated for very small customer segments",
        ],
        "datasets": [{"id": dataset, "datasheet": f"../../../data/{dataset}/DATASHEET.md", "role": "train"}],
        "evaluation": [
            {"metric": "roc_auc", "value": round(0.8 + (i % 17) / 100, 3), "dataset": dataset, "split": "test"},
            {"metric": "recall", "value": round(0.7 + (i % 13) / 100, 3), "dataset": dataset, "split": "test"},
        ],
        "impact_assessment": "IMPACT_ASSESSMENT.md",
        "fairness": {
            "protected_attributes": ["sex", "age_band"],
            "evidence": "eval/fairness.json",
            "results": [
                {"attribute": "sex", "metric": "demographic_parity_ratio", "value": 0.91, "threshold": 0.8,
                 "groups": {"female": 0.19, "male": 0.21}, "n": {"female": 4821, "male": 5179}},
                {"attribute": "age_band", "metric": "demographic_parity_ratio", "value": 0.86, "threshold": 0.8,
                 "groups": {"18-39": 0.2, "40+": 0.19}, "n": {"18-39": 5100, "40+": 4900}},
            ],
        },
        "human_oversight": {
            "mode": "in-the-loop",
            "overseer": "Case handler (L2)",
            "can_override": True,
            "can_stop": True,
            "stop_mechanism": "Feature flag model_enabled; rules take over within one minute",
            "automation_bias_mitigation": "Handlers see reason codes; 5% of cases re-reviewed blind.",
        },
        "transparency": {"disclosure": "People affected are told an automated system ranked their case."},
        "monitoring": {
            "plan": "docs/monitoring.md",
            "metrics": ["psi", "precision", "flag_rate_by_group"],
            "review_frequency": "monthly",
            "incident_contact": f"oncall{i % 50:02d}@acme.example",
        },
        "suppliers": [{"name": "LightGBM", "component": "library", "version": "4.5.0", "license": "mit",
                       "assessment": "../../../governance/suppliers/lightgbm.md"}],
    }
    if tier != "high":
        r["risk"]["affects_people"] = False
    if failure == "missing-ia":
        r["impact_assessment"] = "IMPACT_ASSESMENT.md"  # typo: no such file
    elif failure == "no-ia":
        del r["impact_assessment"]
    elif failure == "bias":
        r["fairness"]["results"][1]["value"] = 0.71
    elif failure == "no-oversight":
        del r["human_oversight"]
    elif failure == "placeholder":
        r["intended_use"]["primary"] = ["TODO"]
        r["owner"]["name"] = "TBD"
    elif failure == "traversal":
        r["datasets"][0]["datasheet"] = "../../../../../etc/passwd.md"
    return r


# The code the benchmark held before discovery read code (the figures in
# docs/performance.md compare like with like), and a real training script
# and notebook (`--code realistic`), which discovery parses.
STUB_PY = "import lightgbm\n\n\ndef train():\n    pass\n"
STUB_NOTEBOOK = '{"cells": [], "nbformat": 4, "nbformat_minor": 5}'

TRAIN_PY = '''"""Train and evaluate model {i:05d}: LightGBM on the team's case data."""

import argparse
import json

import lightgbm as lgb
import pandas as pd
from sklearn.metrics import roc_auc_score

FEATURES = ["age_days", "amount", "channel", "prior_cases", "region"]


def split(df):
    month = df["opened"].dt.month
    return df[month <= 10], df[month == 11], df[month == 12]


def train(train_df, valid_df):
    params = {{"objective": "binary", "learning_rate": 0.05, "num_leaves": 63, "seed": {i}}}
    dtrain = lgb.Dataset(train_df[FEATURES], train_df["urgent"])
    dvalid = lgb.Dataset(valid_df[FEATURES], valid_df["urgent"], reference=dtrain)
    return lgb.train(params, dtrain, num_boost_round=500, valid_sets=[dvalid])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", default="model.txt")
    args = parser.parse_args()
    df = pd.read_parquet(args.data)
    train_df, valid_df, test_df = split(df)
    model = train(train_df, valid_df)
    model.save_model(args.out)
    auc = roc_auc_score(test_df["urgent"], model.predict(test_df[FEATURES]))
    print(json.dumps({{"roc_auc": round(auc, 3)}}))


if __name__ == "__main__":
    main()
'''

NOTEBOOK = json.dumps({
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Exploration\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": [
            "import pandas as pd\n",
            "from sklearn.linear_model import LogisticRegression\n",
            "df = pd.read_parquet('cases.parquet')\n",
            "LogisticRegression(max_iter=500).fit(df[['amount']], df['urgent'])\n",
        ]},
    ],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}, indent=1)


def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(v)  # a JSON string is a valid YAML double-quoted scalar


def to_yaml(v, indent=0):
    pad = "  " * indent
    lines = []
    if isinstance(v, dict):
        for k, x in v.items():
            key = json.dumps(k) if not k.replace("_", "").replace("-", "").isalnum() else k
            if isinstance(x, (dict, list)) and x:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(x, indent + 1))
            else:
                lines.append(f"{pad}{key}: {yaml_scalar(x) if not isinstance(x, (dict, list)) else json.dumps(x)}")
    else:
        for x in v:
            if isinstance(x, dict):
                # flow style keeps item lines short and exercises the flow parser
                lines.append(f"{pad}- {json.dumps(x)}")
            else:
                lines.append(f"{pad}- {yaml_scalar(x)}")
    return "\n".join(lines)


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + " }"


def to_toml(r):
    out = []
    tables = []
    for k, v in r.items():
        if isinstance(v, dict):
            tables.append((k, v))
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            tables.append((k, v))
        else:
            out.append(f"{k} = {toml_value(v)}")
    for k, v in tables:
        if isinstance(v, dict):
            out.append(f"\n[{k}]")
            for kk, vv in v.items():
                out.append(f"{json.dumps(kk)} = {toml_value(vv)}")
        else:
            for item in v:
                out.append(f"\n[[{k}]]")
                for kk, vv in item.items():
                    out.append(f"{json.dumps(kk)} = {toml_value(vv)}")
    return "\n".join(out) + "\n"


BODY = """
# {name}

A gradient-boosted model that ranks incoming cases by urgency. Case handlers
decide every case; the model never decides on its own.

## Uses

Ranking cases for the handler queue.

## Out-of-Scope Use

- Fully automated decisions.

## Bias, Risks, and Limitations

- Accuracy drops on old cases.

## Evaluation

| Metric | Value |
|---|---|
| ROC AUC | 0.9 |
"""


def write_card(d: Path, fmt: str, r: dict, i: int, broken: bool):
    if fmt in ("md", "hf"):
        front = to_yaml(r)
        if fmt == "hf":
            front = (
                "license: apache-2.0\nlibrary_name: lightgbm\npipeline_tag: tabular-classification\n"
                "tags: [tabular, ranking]\n" + front
            )
        if broken:
            front += "\nowner: [unclosed\n  - : {"
        name = "README.md" if fmt == "hf" else "MODEL_CARD.md"
        (d / name).write_text(f"---\n{front}\n---\n{BODY.format(name=r['name'])}")
    elif fmt == "yaml":
        text = to_yaml(r) + "\n"
        if broken:
            text += "risk:\n  tier: high\n bad_indent: [\n"
        (d / "model_card.yaml").write_text(text)
    elif fmt == "json":
        text = json.dumps(r, indent=2)
        if broken:
            text = text[: len(text) // 2]  # truncated
        (d / "model_card.json").write_text(text)
    else:
        text = to_toml(r)
        if broken:
            text += "\n[risk\ntier = \n"
        (d / "model_card.toml").write_text(text)
    # a sidecar on some systems: the record is split over two files
    if i % 23 == 0 and not broken:
        (d / "aimsgate.yaml").write_text(f"monitoring:\n  review_frequency: quarterly\n")


IMPACT = """---
system: {name}
approved_by: AI Governance Board
approved_at: 2026-06-01
next_review: 2027-06-01
impacts:
  - scope: individuals
    description: A case is ranked too low and handled late.
    severity: medium
    mitigation: Handlers see every case within the service level regardless of rank.
    residual: low
  - scope: groups
    description: Some age groups could be ranked lower on average.
    severity: medium
    mitigation: Monthly flag-rate ratio monitoring with a release gate at 0.8.
    residual: low
  - scope: society
    description: Automated ranking could normalise slower service for hard cases.
    severity: low
    mitigation: Service levels apply to every case; reviewed quarterly.
    residual: low
---

# Impact assessment: {name}

## Context

The model ranks cases for handlers.
"""

DATASHEET = """---
name: {ds}
license: LicenseRef-Acme-Internal
provenance:
  source: Case management system export
  collection_method: Nightly export joined to case outcomes
  period: 2023-01-01 to 2025-12-31
preprocessing: Identifiers replaced by salted tokens; free text dropped.
personal_data:
  present: true
  categories: [pseudonymised identifiers, case metadata, sex, age band]
  legal_basis: GDPR Art. 6(1)(f) legitimate interests
  dpia: DPIA.md
size: 120000 cases
splits: {{train: 2023-2024, validation: 2025-H1, test: 2025-H2}}
---

# Datasheet: {ds}

## Motivation

Built to train case-ranking models.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--code", choices=["stub", "realistic"], default="stub",
                    help="each system's train.py: a stub (as before discovery read code) or a real script")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    dest: Path = args.dest
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    (dest / "governance/suppliers").mkdir(parents=True)
    (dest / "governance/suppliers/lightgbm.md").write_text("# LightGBM supplier assessment\n\nMIT; reviewed.\n")
    datasets = max(1, args.n // 20)
    for k in range(datasets):
        ds = f"ds-{k:04d}"
        dd = dest / "data" / ds
        dd.mkdir(parents=True)
        (dd / "DATASHEET.md").write_text(DATASHEET.format(ds=ds))
        (dd / "DPIA.md").write_text(f"# DPIA for {ds}\n\nApproved 2026-01-10.\n")
    counts = {f: 0 for f in FAILURES}
    counts["pass"] = 0
    for i in range(args.n):
        failure = rng.choice(FAILURES) if rng.random() < FAIL_RATE else None
        counts[failure or "pass"] += 1
        fmt = FORMATS[i % len(FORMATS)]
        tier = "high" if i % 4 != 3 else ["limited", "minimal"][i % 2]
        if failure in ("no-ia", "no-oversight", "missing-ia"):
            tier = "high"
        ds = f"ds-{i % datasets:04d}"
        d = dest / "teams" / f"t{i % 50:02d}" / f"sys-{i:05d}"
        (d / "eval").mkdir(parents=True)
        (d / "docs").mkdir()
        r = record(i, tier, ds, failure)
        write_card(d, fmt, r, i, failure == "broken-yaml")
        (d / "IMPACT_ASSESSMENT.md").write_text(IMPACT.format(name=r["name"]))
        (d / "eval/fairness.json").write_text(json.dumps({"results": r["fairness"]["results"]}, indent=2))
        (d / "docs/monitoring.md").write_text("# Monitoring plan\n\nPSI weekly, flag rate by group monthly.\n")
        if args.code == "realistic":
            (d / "train.py").write_text(TRAIN_PY.format(i=i))
        else:
            (d / "train.py").write_text(STUB_PY)
        if i % 10 == 0:
            (d / "model.onnx").write_bytes(b"\x08\x07onnx-bench")
    # ML code without a card: the repository-level rule
    orphans = dest / "notebooks"
    orphans.mkdir()
    for k in range(max(1, args.n // 100)):
        if args.code == "realistic":
            (orphans / f"explore-{k:03d}.ipynb").write_text(NOTEBOOK)
        else:
            (orphans / f"explore-{k:03d}.ipynb").write_text(STUB_NOTEBOOK)
    (dest / "generated.json").write_text(json.dumps({"systems": args.n, "seed": args.seed, "code": args.code, "now": NOW, "kinds": counts}, indent=2))
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
