#!/usr/bin/env bash
# ratio.sh — a cached and an uncached page against the bare Django "hello" view, in one sitting,
# with the shared scripts (../shared/bench: hello_ceiling.sh, measure_site.sh -P), same gunicorn
# worker count. The site runs with its production middleware on PostgreSQL and a Redis of its own.
#
#   deploy/cluster/ratio.sh DATABASE_URL [SHARED_BENCH_DIR] [SECONDS] [RUNS]
#
# DATABASE_URL: a migrated, seeded PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/x).
# Ports 8160-8162 and Redis 6391 on 127.0.0.1; everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=${1:?usage: ratio.sh DATABASE_URL [SHARED_BENCH_DIR] [SECONDS] [RUNS]}
BENCH=${2:-../shared/bench}
SECS=${3:-8}
RUNS=${4:-3}
WORKERS=3
PY=$(pwd)/.venv/bin/python
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

redis-server --bind 127.0.0.1 --port 6391 --save "" --appendonly no >/dev/null &
PIDS+=($!)
export SECRET_KEY=ratio-not-secret DEBUG=0 SITE_HTTPS=0 DATABASE_URL="$DB" REDIS_URL=redis://127.0.0.1:6391/0
export ALLOWED_HOSTS=127.0.0.1 WEB_CONCURRENCY=$WORKERS LOG_LEVEL=ERROR HOST=127.0.0.1 ACCESS_LOG=off
$PY manage.py collectstatic --noinput >/dev/null
serve() {  # port, page cache seconds
  PORT=$1 PAGE_CACHE_SECONDS=$2 .venv/bin/gunicorn site_ordre.wsgi --max-requests 0 >/dev/null 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$1/healthz" && return 0; sleep 0.5; done
  echo "site on :$1 did not start" >&2; exit 2
}

echo "## bare Django hello view (no middleware), $WORKERS workers"
"$BENCH/hello_ceiling.sh" -V "$PY" -p 8162 -w "$WORKERS" -d "$SECS" -r "$RUNS"
echo "## the site, page cache on (cached hits)"
serve 8160 600
"$BENCH/measure_site.sh" -P "${PIDS[-1]}" -d "$SECS" -r "$RUNS" http://127.0.0.1:8160 /fr/ /en/orders/order-of-engineers/engineer/
echo "## the site, page cache off (every view rendered; menu and listing fragments still cached)"
serve 8161 0
"$BENCH/measure_site.sh" -P "${PIDS[-1]}" -d "$SECS" -r "$RUNS" http://127.0.0.1:8161 /fr/ /en/orders/order-of-engineers/engineer/
