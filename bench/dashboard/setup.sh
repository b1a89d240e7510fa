#!/usr/bin/env bash
# optuna-dashboard for `npm run bench:dashboard`, in a private virtual
# environment outside the repository (no torch: unlike bench/search/setup.sh's,
# this one needs only Optuna and the dashboard, ~60 MB, under a minute). Pinned.
set -euo pipefail
VENV="${HYPERTUNE_DASHBOARD_VENV:-$HOME/.cache/hypertune/dashboard-venv}"
PYTHON="${PYTHON:-python3}"
PINS=(optuna==5.0.0 optuna-dashboard==0.21.0 numpy==2.4.6 sqlalchemy==2.1.9 alembic==1.20.1 bottle==0.13.4)
if [ -x "$VENV/bin/optuna-dashboard" ] && "$VENV/bin/python" -c "import optuna, optuna_dashboard; assert optuna.__version__ == '5.0.0' and optuna_dashboard.__version__ == '0.21.0'" 2>/dev/null; then
  echo "dashboard bench venv ready: $VENV" >&2
  exit 0
fi
echo "creating $VENV and installing ${PINS[*]}" >&2
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}"
"$VENV/bin/python" -c "import optuna, optuna_dashboard; print('optuna', optuna.__version__, 'optuna-dashboard', optuna_dashboard.__version__)" >&2
