"""Report metrics to hypertune from Python training code.

    from hypertune_sdk import report
    report(3, accuracy=0.91, loss=0.2)   # prints: hypertune: step=3 accuracy=0.91 loss=0.2

Copy this file next to your training script; it has no dependencies.
"""

import math
import numbers
import re
import sys

__all__ = ["format_line", "report"]

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


if __name__ == "__main__":
    report(0, accuracy=0.5)
