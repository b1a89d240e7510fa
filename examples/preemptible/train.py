"""A training loop that survives preemption: plain Python, no dependencies.

    python3 train.py --lr=0.1 --momentum=0.9 --epochs=30

Minimises a noisy quadratic with SGD and momentum, one "epoch" per second.
After every epoch it saves its state with `save_checkpoint`; when the trial
is preempted (its pod evicted, its spot node taken back, or locally a SIGTERM
hypertune did not send), hypertune runs it again as the next attempt, and
`load_checkpoint` hands it the state to go on from. Its reports carry the
epoch as the step, so the attempts join into one curve.
"""

import argparse
import json
import os
import random
import sys
import time

try:
    from hypertune_sdk import attempt, load_checkpoint, report, save_checkpoint
except ImportError:  # running from a checkout of the hypertune repository
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sdk", "python"))
    from hypertune_sdk import attempt, load_checkpoint, report, save_checkpoint


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--momentum", type=float, required=True)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seconds-per-epoch", type=float, default=float(os.environ.get("SECONDS_PER_EPOCH", "1")))
    args = parser.parse_args()

    state = {"w": [3.0, -2.0], "v": [0.0, 0.0], "epoch": 0}
    saved = load_checkpoint()
    if saved is not None:
        state = json.loads(saved[1])
    print(f"attempt {attempt()}: starting after epoch {state['epoch']}", flush=True)

    rng = random.Random(state["epoch"])
    for epoch in range(state["epoch"] + 1, args.epochs + 1):
        for _ in range(20):
            grad = [2 * w + rng.gauss(0, 0.5) for w in state["w"]]
            state["v"] = [args.momentum * v - args.lr * g for v, g in zip(state["v"], grad)]
            state["w"] = [w + v for w, v in zip(state["w"], state["v"])]
        state["epoch"] = epoch
        loss = sum(w * w for w in state["w"])
        save_checkpoint(epoch, json.dumps(state).encode())
        report(epoch, loss=min(loss, 1e6))
        time.sleep(args.seconds_per_epoch)


if __name__ == "__main__":
    main()
