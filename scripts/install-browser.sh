#!/usr/bin/env bash
# What the clinic web page (bot/web.py) and its browser tests need besides the Python packages:
#   1. the socket.io client the page serves to browsers: npm package socket.io-client, pinned in
#      package-lock.json, installed into node_modules/ (needs node + npm);
#   2. unless --client-only: Debian's chromium at /usr/bin/chromium for the Playwright tests
#      (tests/e2e/test_web.py). Installed with apt-get only when it is missing. Playwright's own
#      browser download ('playwright install') is never used.
# Re-running is cheap: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENT_ONLY=0
case "${1:-}" in
  --client-only) CLIENT_ONLY=1 ;;
  "") ;;
  *) echo "usage: $0 [--client-only]" >&2; exit 2 ;;
esac

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "install-browser: need root to run: $*" >&2
    return 1
  fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# 1. socket.io client ------------------------------------------------------------------------
CLIENT=node_modules/socket.io-client/dist/socket.io.min.js
STAMP=node_modules/.lock-installed
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$CLIENT" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-browser: npm not found; installing Debian's nodejs and npm"
    apt_install nodejs npm
  fi
  echo "install-browser: installing the socket.io client from package-lock.json (npm ci)"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  echo "$want" > "$STAMP"
fi

[ "$CLIENT_ONLY" -eq 1 ] && exit 0

# 2. Chromium for the browser tests --------------------------------------------------------------
if [ ! -x /usr/bin/chromium ]; then
  echo "install-browser: installing Debian's chromium for the browser tests (a minute or two)"
  apt_install chromium
fi
if ! .venv/bin/python -c "import playwright" >/dev/null 2>&1; then
  echo "install-browser: the Python package playwright is missing from .venv: run 'make setup'" >&2
  exit 1
fi
