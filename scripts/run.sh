#!/usr/bin/env bash
# Install everything, create a demo congress on first start, and run the service with
# gunicorn on http://0.0.0.0:${PORT:-8000}/ (SQLite file in ./instance unless UNION_DATABASE is set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export UNION_INSTANCE_DIR="${UNION_INSTANCE_DIR:-$PWD/instance}"
if [ ! -f "$UNION_INSTANCE_DIR/.demo-created" ]; then
  mkdir -p "$UNION_INSTANCE_DIR"
  .venv/bin/flask --app app demo | tail -n 1 > "$UNION_INSTANCE_DIR/.demo-created"
  echo ">> demo congress created: $(cat "$UNION_INSTANCE_DIR/.demo-created")"
fi
# UNION_HTTPS=1: serve HTTPS instead (tablets get the live camera only over HTTPS) with this
# installation's own certificates, made or refreshed for the current LAN addresses (README).
TLS_ARGS=()
if [ "${UNION_HTTPS:-0}" = "1" ]; then
  .venv/bin/flask --app app tls
  TLS_ARGS=(--certfile "$UNION_INSTANCE_DIR/tls/server.crt" --keyfile "$UNION_INSTANCE_DIR/tls/server.key")
fi
exec .venv/bin/gunicorn --config scripts/gunicorn.conf.py "${TLS_ARGS[@]}" "app:create_app()"
