"""Report metrics to hypertune from Python training code.

    from hypertune_sdk import report
    report(3, accuracy=0.91, loss=0.2)   # prints: hypertune: step=3 accuracy=0.91 loss=0.2

A trial that may be preempted resumes from its checkpoint:

    from hypertune_sdk import load_checkpoint, save_checkpoint
    saved = load_checkpoint()              # None on the first attempt
    start = saved[0] + 1 if saved else 1
    for epoch in range(start, epochs + 1):
        ...
        save_checkpoint(epoch, pickle.dumps(state))
        report(epoch, accuracy=val_acc)

Copy this file next to your training script; it has no dependencies.
"""

import math
import numbers
import os
import re
import sys

__all__ = ["attempt", "checkpoint_dir", "format_line", "load_checkpoint", "report", "save_checkpoint"]

# Names that read back unchanged from the line format (see src/metrics/format.ts).
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/]*")


def format_line(step=None, **metrics):
    """The canonical metric line; raises ValueError for values hypertune would reject."""
    parts = ["hypertune:"]
    if step is not None:
        # numbers.Integral also admits numpy integers (e.g. from range over an array).
        if isinstance(step, bool) or not isinstance(step, numbers.Integral) or step < 0:
            raise ValueError(f"step must be a non-negative int, got {step!r}")
        parts.append(f"step={int(step)}")
    for name, value in metrics.items():
        if not _NAME.fullmatch(name) or name == "step":
            raise ValueError(f"invalid metric name {name!r}")
        if isinstance(value, (bool, str, bytes)):
            raise ValueError(f"metric {name} must be a number, got {value!r}")
        try:
            number = float(value)  # also accepts numpy and torch scalars
        except (TypeError, OverflowError) as error:
            raise ValueError(f"metric {name} is not a usable number: {value!r}") from error
        if not math.isfinite(number):
            raise ValueError(f"metric {name} is not finite: {value!r}")
        # repr() is the shortest text that reads back as the same double.
        parts.append(f"{name}={number!r}")
    return " ".join(parts)


def report(step=None, **metrics):
    """Print the metric line to stdout and flush, so the line is seen while training runs."""
    print(format_line(step, **metrics), file=sys.stdout, flush=True)


def attempt():
    """Which run of this trial this is: 1, then one more after each preemption."""
    return int(os.environ.get("HYPERTUNE_ATTEMPT", "1"))


def checkpoint_dir():
    """The trial's checkpoint directory, the same for every attempt; None where there is none."""
    return os.environ.get("HYPERTUNE_CHECKPOINT_DIR") or None


_CHECKPOINT = "hypertune-checkpoint"


def save_checkpoint(step, data):
    """Save `data` (bytes) as the checkpoint at `step`, atomically: a preemption mid-write leaves the last one whole."""
    directory = checkpoint_dir()
    if directory is None:
        return False
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, _CHECKPOINT)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as file:
        file.write(int(step).to_bytes(8, "big"))
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    return True


def load_checkpoint():
    """(step, data) of the last checkpoint an earlier attempt saved, or None: start from scratch."""
    directory = checkpoint_dir()
    if directory is None:
        return None
    try:
        with open(os.path.join(directory, _CHECKPOINT), "rb") as file:
            content = file.read()
    except FileNotFoundError:
        return None
    return int.from_bytes(content[:8], "big"), content[8:]


if __name__ == "__main__":
    report(0, accuracy=0.5)
