#!/usr/bin/env bash
# Serve Waystation: nginx on HOST:PORT in front of gunicorn on UPSTREAM (loopback).
#
#   HOST=127.0.0.1 PORT=8000 WORKERS=5 scripts/serve.sh
#
# One command starts every process and stops them all on Ctrl-C, SIGTERM or when any one of them
# exits. Another long-running process (a background worker, say) is one more `start` line below.
# Runs as root or not: nginx gets a generated config and keeps its pid and temporary files
# under .local/nginx/, never the system's /etc/nginx or /var.
#
# Environment: HOST, PORT, WORKERS, UPSTREAM (default 127.0.0.1:PORT+1), MAX_BODY_BYTES,
# ACCESS_LOG (default /dev/stdout), GUNICORN_TIMEOUT, WSGI_APP (benchmarks' floor apps only), NOTIFY_WORKER (on|off), plus the Django settings' own variables.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}
UPSTREAM=${UPSTREAM:-127.0.0.1:$((PORT + 1))}
MAX_BODY_BYTES=${MAX_BODY_BYTES:-10485760}
ACCESS_LOG=${ACCESS_LOG:-/dev/stdout}
access_log="$ACCESS_LOG scrubbed"
[ "$ACCESS_LOG" = off ] && access_log=off
STATE=$PWD/.local/nginx-$PORT
command -v nginx >/dev/null || { echo "serve: nginx is missing; run scripts/provision.sh" >&2; exit 1; }

mkdir -p "$STATE"
user_line=""
if [ "$(id -u)" = 0 ]; then
  # nginx's workers drop root; they only read the config and write the temporary files.
  user_line="user nobody nogroup;"
  chown nobody:nogroup "$STATE"
fi
sed -e "s|@USER_LINE@|$user_line|" -e "s|@STATE@|$STATE|g" -e "s|@HOST@|$HOST|" \
    -e "s|@PORT@|$PORT|" -e "s|@UPSTREAM@|$UPSTREAM|" -e "s|@MAX_BODY_BYTES@|$MAX_BODY_BYTES|" \
    -e "s|@ACCESS_LOG@|$access_log|" deploy/nginx.conf.template > "$STATE/nginx.conf"
nginx -t -q -p "$STATE" -e stderr -c "$STATE/nginx.conf"

pids=()
start() { "$@" & pids+=($!); }
stop() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

export MAX_BODY_BYTES
# No access log from gunicorn: nginx writes the (scrubbed) one.
start .venv/bin/gunicorn "${WSGI_APP:-project.wsgi}" --bind "$UPSTREAM" --workers "$WORKERS" \
  --timeout "${GUNICORN_TIMEOUT:-30}" --graceful-timeout 5 --control-socket "$STATE/gunicorn.ctl"
start nginx -p "$STATE" -e stderr -c "$STATE/nginx.conf" -g "daemon off;"
# The notify worker (webhooks, e-mail, deadline sweep, digest); benchmarks serve without it.
[ "${NOTIFY_WORKER:-on}" = off ] || start .venv/bin/python manage.py notify_worker

# When any process ends, stop the others and report its status.
set +e
wait -n
status=$?
stop
exit "$status"
