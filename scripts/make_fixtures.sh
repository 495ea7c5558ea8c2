#!/usr/bin/env bash
# Regenerates tests/fixtures/formats/ (see scripts/make_fixtures.py for how each file is made).
# The Noto CJK fonts, qpdf and python3-uno are needed only here, never by the tests (LibreOffice by both).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for package in libreoffice-writer fonts-noto-cjk qpdf python3-uno; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[[ -x .venv/bin/python ]] || bash scripts/setup.sh
.venv/bin/python scripts/make_fixtures.py "$@"
.venv/bin/python scripts/make_office_fixtures.py "$@"
