"""Train and evaluate the Acme Bank fraud detector.

Usage:
    python train.py --data transactions-2024.parquet --out model.txt
    python train.py --data transactions-2024.parquet --out model.txt --evaluate

The data split is out-of-time: January-October 2024 train, November
validation, December test (see ../data/transactions-2024/DATASHEET.md).
"""

import argparse
import json

import fairlearn
import lightgbm as lgb
import pandas as pd
from fairlearn.metrics import MetricFrame, demographic_parity_ratio, selection_rate
from sklearn.metrics import roc_auc_score

FEATURES = [
    "amount_eur", "merchant_category", "merchant_age_days", "hour_of_day",
    "card_age_days", "txn_count_24h", "amount_vs_30d_median", "new_device",
    "billing_shipping_match", "country_mismatch",
]
CATEGORICAL = ["merchant_category"]
# Used for bias testing only, never as features.
PROTECTED = ["sex", "age_band"]
REVIEW_RATE = 0.02
RATIO_THRESHOLD = 0.8


def split(df):
    month = df["timestamp"].dt.month
    return df[month <= 10], df[month == 11], df[month == 12]


def train(train_df, valid_df):
    params = {
        "objective": "binary",
        "learning_rate": 0.05,
        "num_leaves": 63,
        "min_data_in_leaf": 200,
        "scale_pos_weight": 20.0,
        "seed": 2024,
    }
    dtrain = lgb.Dataset(train_df[FEATURES], train_df["is_fraud"], categorical_feature=CATEGORICAL)
    dvalid = lgb.Dataset(valid_df[FEATURES], valid_df["is_fraud"], reference=dtrain)
    return lgb.train(params, dtrain, num_boost_round=2000, valid_sets=[dvalid],
                     callbacks=[lgb.early_stopping(100)])


def evaluate(model, test_df):
    scores = model.predict(test_df[FEATURES])
    cutoff = pd.Series(scores).quantile(1 - REVIEW_RATE)
    flagged = (scores >= cutoff).astype(int)
    y = test_df["is_fraud"]
    metrics = {
        "roc_auc": round(roc_auc_score(y, scores), 2),
        "recall_at_2pct_review": round(flagged[y.to_numpy() == 1].mean(), 2),
    }
    fairness = {
        "generated_by": "train.py --evaluate, Fairlearn " + fairlearn.__version__,
        "dataset": "transactions-2024",
        "split": "test",
        "decision": "flagged for review (score >= 2% review-rate threshold)",
        "results": [],
    }
    for attribute in PROTECTED:
        groups = test_df[attribute]
        frame = MetricFrame(metrics=selection_rate, y_true=y, y_pred=flagged, sensitive_features=groups)
        fairness["results"].append({
            "attribute": attribute,
            "metric": "demographic_parity_ratio",
            "value": round(demographic_parity_ratio(y, flagged, sensitive_features=groups), 2),
            "threshold": RATIO_THRESHOLD,
            "groups": {str(k): round(v, 4) for k, v in frame.by_group.items()},
            "n": {str(k): int(v) for k, v in groups.value_counts().sort_index().items()},
        })
    return metrics, fairness


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--evaluate", action="store_true")
    args = parser.parse_args()

    df = pd.read_parquet(args.data)
    train_df, valid_df, test_df = split(df)
    model = train(train_df, valid_df)
    model.save_model(args.out)
    if args.evaluate:
        metrics, fairness = evaluate(model, test_df)
        # The model card's fairness.results must be updated to match this file.
        with open("eval/fairness.json", "w") as f:
            json.dump(fairness, f, indent=2)
            f.write("\n")
        print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
