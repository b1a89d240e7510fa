"""Gradient boosting on the Wisconsin breast cancer data (ships inside scikit-learn).

    python train.py --learning-rate=0.1 --n-estimators=200 --max-depth=3 --subsample=0.8

Reports validation accuracy and log-loss every 10 trees, with the number of
trees as the step, so early stopping can compare trials as they grow:

    hypertune: step=10 val_accuracy=0.9386 val_loss=0.2654
"""

import argparse
import os
import sys

from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

try:
    from hypertune_sdk import report
except ImportError:  # running from a checkout of the hypertune repository
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sdk", "python"))
    from hypertune_sdk import report

REPORT_EVERY = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--n-estimators", type=int, default=100)
    parser.add_argument("--max-depth", type=int, default=3)
    parser.add_argument("--subsample", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    x, y = load_breast_cancer(return_X_y=True)
    # A fixed, stratified split: every trial is scored on the same 114 patients.
    x_train, x_val, y_train, y_val = train_test_split(x, y, test_size=0.2, stratify=y, random_state=42)
    model = GradientBoostingClassifier(
        learning_rate=args.learning_rate,
        n_estimators=args.n_estimators,
        max_depth=args.max_depth,
        subsample=args.subsample,
        random_state=args.seed,
    ).fit(x_train, y_train)

    # staged_predict_proba yields the model after 1, 2, ... trees without refitting.
    for trees, proba in enumerate(model.staged_predict_proba(x_val), start=1):
        if trees % REPORT_EVERY == 0 or trees == args.n_estimators:
            accuracy = accuracy_score(y_val, proba.argmax(axis=1))
            report(trees, val_accuracy=round(accuracy, 4), val_loss=round(log_loss(y_val, proba), 4))


if __name__ == "__main__":
    main()
