#!/usr/bin/env bash
# Sets up a fresh machine: the Debian packages the tests need (scripts/debian-packages.txt)
# and a virtual environment with plancheck and its Python dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r package; do
  [[ -z "$package" || "$package" == \#* ]] && continue
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done < scripts/debian-packages.txt
if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e ".[test]"
