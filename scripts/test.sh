#!/usr/bin/env bash
# Install the project with its test tools into .venv and run the whole test suite.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/core -x).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
# Three distributions (docs/architecture.md): the core, the hub, and the client with its test tools.
.venv/bin/python -m pip install -q -e ./core -e ./hub -e ".[dev]"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
exec .venv/bin/python -m pytest "$@"
