"""Gradient boosting on the Wisconsin breast cancer data (ships inside scikit-learn).

    python train.py --learning-rate=0.1 --n-estimators=200 --max-depth=3 --subsample=0.8

Grows the ensemble 10 trees at a time and reports validation accuracy and
log-loss after each, with the number of trees as the step, so early stopping
can compare trials as they grow and stop weak ones part-way:

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
    # warm_start grows the same ensemble REPORT_EVERY trees at a time, so each
    # report comes while training goes on and an early-stopped trial saves the rest.
    model = GradientBoostingClassifier(
        learning_rate=args.learning_rate,
        max_depth=args.max_depth,
        subsample=args.subsample,
        random_state=args.seed,
        warm_start=True,
    )
    for trees in range(REPORT_EVERY, args.n_estimators + REPORT_EVERY, REPORT_EVERY):
        trees = min(trees, args.n_estimators)
        model.set_params(n_estimators=trees).fit(x_train, y_train)
        proba = model.predict_proba(x_val)
        accuracy = accuracy_score(y_val, proba.argmax(axis=1))
        report(trees, val_accuracy=round(accuracy, 4), val_loss=round(log_loss(y_val, proba), 4))


if __name__ == "__main__":
    main()
