#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, the layering (import-linter,
# contracts in pyproject.toml), types (mypy), then pytest (unit, property, API,
# real-server and headless-Chromium browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check app schemas tests scripts config.py
.venv/bin/lint-imports
.venv/bin/mypy
# Two test processes (pytest-xdist): most time goes to real servers and browsers waiting,
# so the suite takes about half as long on the two cores; PYTEST_WORKERS=0 runs it in one.
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
