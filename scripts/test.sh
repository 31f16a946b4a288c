#!/usr/bin/env bash
# The README's test command: install what the tests need, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the tests use: a CJK font to render test PDFs, Chromium for the web UI test,
# tesseract (chi_sim) to OCR scanned pages, LibreOffice to convert .doc/.wps.
pkgs="fonts-wqy-zenhei chromium chromium-driver tesseract-ocr tesseract-ocr-chi-sim libreoffice-writer-nogui"
missing=""
if command -v dpkg >/dev/null 2>&1; then
  for pkg in $pkgs; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
fi
if [ -n "$missing" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
python3 -m pip install -q -e '.[test]'
python3 -m pytest "$@"
