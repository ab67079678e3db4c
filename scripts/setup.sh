#!/usr/bin/env bash
# Install everything the service and its tests need, on a fresh Debian machine as root:
# Debian packages (Chromium for browser tests, CJK fonts for the PDFs, poppler to render
# PDFs in tests, certutil from libnss3-tools to install the CA in a test Chromium's store),
# then a virtual environment at .venv with the pinned Python packages.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium fonts-noto-cjk fonts-wqy-zenhei poppler-utils libzbar0 nginx libnss3-tools)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo ">> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo ">> pip install -r requirements.txt -r requirements-dev.txt"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
