#!/usr/bin/env bash
# Install everything, create a demo congress on first start (or, with UNION_DEMO=0, ask for
# the secretariat's password at the first start of a real installation), and run the
# service on http://0.0.0.0:${PORT:-8000}/ (SQLite file in ./instance unless UNION_DATABASE
# is set): nginx on PORT (and PORT+443 for HTTPS once $UNION_INSTANCE_DIR/tls/ holds a
# certificate) in front of gunicorn on 127.0.0.1:PORT+1 (scripts/front.py says why).
set -euo pipefail
cd "$(dirname "$0")/.."
# UNION_SKIP_SETUP=1: everything is installed already (the test of this very script sets it).
[ "${UNION_SKIP_SETUP:-0}" = "1" ] || bash scripts/setup.sh
export UNION_INSTANCE_DIR="${UNION_INSTANCE_DIR:-$PWD/instance}"
mkdir -p "$UNION_INSTANCE_DIR"
chmod 700 "$UNION_INSTANCE_DIR"
if [ "${UNION_DEMO:-1}" = "0" ]; then
  # A real installation: no account exists until someone at the server sets its password.
  .venv/bin/flask --app app create-admin --if-missing
elif [ ! -f "$UNION_INSTANCE_DIR/.demo-created" ]; then
  # Random passwords, shown once here and kept in $UNION_INSTANCE_DIR/demo-passwords.txt (0600).
  .venv/bin/flask --app app demo | tee /dev/stderr | tail -n 1 > "$UNION_INSTANCE_DIR/.demo-created"
  echo ">> demo congress created: $(cat "$UNION_INSTANCE_DIR/.demo-created")"
fi
# UNION_HTTPS=1: make or refresh this installation's own certificates for the current LAN
# addresses first (README), so that the front server also serves HTTPS on PORT+443: tablets
# get the live camera only over HTTPS.
if [ "${UNION_HTTPS:-0}" = "1" ]; then
  .venv/bin/flask --app app tls
fi
PORT="${PORT:-8000}"
BACKEND_PORT="${UNION_BACKEND_PORT:-$((PORT + 1))}"
# UNION_FRONT_HOST: the address nginx listens on (all interfaces unless told, for the tablets).
conf=$(.venv/bin/python scripts/front.py "$UNION_INSTANCE_DIR" "$PORT" "$BACKEND_PORT" \
  --host "${UNION_FRONT_HOST:-0.0.0.0}")
nginx -c "$conf" &
front_pid=$!
UNION_BIND=127.0.0.1 PORT="$BACKEND_PORT" UNION_BEHIND_PROXY=1 \
  .venv/bin/gunicorn --config scripts/gunicorn.conf.py "app:create_app()" &
app_pid=$!
# Stopping this script stops both; `wait` lets the signal through at once.
trap 'kill "$front_pid" "$app_pid" 2>/dev/null || true' EXIT INT TERM
wait "$app_pid"
