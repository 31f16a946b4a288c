#!/usr/bin/env bash
# The README's test command: install what the tests need, then run the whole suite.
# Runs in the active virtualenv, else in ./.venv (created here): a Debian python3 refuses to
# pip install outside one (PEP 668), and the tests must see only what setup.cfg installs.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {  # Debian packages, installed only where dpkg says they are missing
  command -v dpkg >/dev/null 2>&1 || return 0
  local missing=""
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
  [ -n "$missing" ] || return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# A CJK font to render test PDFs, Chromium for the web UI test.
apt_install fonts-wqy-zenhei chromium chromium-driver

if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ ! -x .venv/bin/python ]; then
    # Debian's python3 makes virtualenvs only with python3-venv installed.
    python3 -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; python3 -m venv .venv; }
  fi
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
python -m pip install -q -e '.[test]'
python -m pytest "$@"
