#!/usr/bin/env bash
# Optuna for `npm run bench:search`, in a private virtual environment outside
# the repository. Pinned. torch comes from PyPI (the only index here): its
# wheel pulls the CUDA libraries too (~5.6 GiB in all, ~3 min), which
# GPSampler does not use on CPU but cannot be told apart from on PyPI.
set -euo pipefail
VENV="${HYPERTUNE_BENCH_VENV:-$HOME/.cache/hypertune/bench-venv}"
PYTHON="${PYTHON:-python3}"
PINS=(optuna==5.0.0 scipy==1.17.1 numpy==2.4.6 torch==2.15.0 greenlet==3.5.6)
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import optuna, torch, scipy; assert optuna.__version__ == '5.0.0'" 2>/dev/null; then
  echo "bench venv ready: $VENV" >&2
  exit 0
fi
echo "creating $VENV and installing ${PINS[*]} (a few minutes)" >&2
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}"
"$VENV/bin/python" -c "import optuna; print('optuna', optuna.__version__)" >&2
