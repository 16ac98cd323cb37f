#!/usr/bin/env bash
# make scale / make soak: Chalkmark's scale-out setup on this machine, under a locust load.
#
# Starts, each on a free loopback port, with its logs in a temp directory:
#   PostgreSQL   the local server (127.0.0.1:5432, trust auth): a fresh database
#                $SCALE_DB (default scale_run), migrated (`chalkmark db upgrade`) and seeded
#                at district size (bench/scale/seed.py: 5,000 teachers, 100k ledger rows,
#                10k attempts, the demo catalog)
#   Redis        the local server, db $SCALE_REDIS_DB (default 3, flushed): server-side
#                sessions, rate limits, the job queue
#   S3           moto's standalone server (`moto_server`): the evidence bucket
#   push service bench/scale/push_receiver.py: checks each push's VAPID JWT and decrypts
#                it (the tests' receiver); district 1's 1,000 teachers are subscribed to it
#   RQ worker    `chalkmark worker` on the same app (bench/scale/app.py: the one place
#                pushes may go to a local http push service)
#   2 app servers  gunicorn (gunicorn.conf.py: gthread, $GUNICORN_WORKERS=2 workers each)
#   nginx        round-robin over the two (its own config, bench/scale/nginx.py);
#                installed from Debian (apt-get) when missing
# then runs locust (bench/scale/locustfile.py: visitors on the catalog, teachers capturing
# evidence — photos, files, links, autosaved text — and submitting, assessors claiming and
# deciding, leaderboards) against nginx and checks (bench/scale/check.py): errors = 0,
# lost uploads = 0, pushes due = delivered; p50/p95 per page.
#
#   make scale               200 users for 60 s (USERS=, DURATION=, SPAWN= to change)
#   make soak (SOAK=1)       60 users for 10 min; every gunicorn worker's RSS each 10 s
#                            (bench/scale/rss.py); workers are never recycled
#                            (--max-requests 0), so a leak cannot hide behind a restart
#   KEEP=1                   keep the temp directory (logs, locust CSVs) afterwards
#
# Needs: the venv with the `test` and `scale` extras (make scale installs them), a local
# PostgreSQL and Redis. Everything started here is stopped on exit, error or Ctrl-C.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BIN=$ROOT/.venv/bin
PY=$BIN/python
SOAK=${SOAK:-0}
if [ "$SOAK" = 1 ]; then
    USERS=${USERS:-60}; DURATION=${DURATION:-10m}; SPAWN=${SPAWN:-10}; MAX_REQUESTS=0
else
    USERS=${USERS:-200}; DURATION=${DURATION:-60s}; SPAWN=${SPAWN:-20}; MAX_REQUESTS=10000
fi
SCALE_DB=${SCALE_DB:-scale_run}
WORK=$(mktemp -d /tmp/chalkmark-scale.XXXXXX)
PIDS=()
NGINX_PID=
STATUS=1

log() { printf '[scale %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

cleanup() {
    trap - EXIT INT TERM
    log "stopping everything"
    [ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null || true
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill -TERM "${PIDS[i]}" 2>/dev/null || true
    done
    for pid in $NGINX_PID "${PIDS[@]}"; do
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "${KEEP:-0}" = 1 ] || [ "$STATUS" != 0 ]; then
        log "logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() {  # start NAME COMMAND...: in the background, output to $WORK/NAME.log
    local name=$1; shift
    "$@" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    echo "$name $!" >>"$WORK/pids"
}

wait_for() {  # wait_for WHAT TEST...: until the test command succeeds (60 s)
    local what=$1; shift
    for _ in $(seq 1 600); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    log "$what did not come up; its log:"; tail -n 30 "$WORK"/*.log; return 1
}

if [ ! -x /usr/sbin/nginx ]; then
    log "installing nginx (Debian package)"
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx
fi

read -r PROXY_PORT APP1_PORT APP2_PORT S3_PORT PUSH_PORT < <($PY -m bench.scale.ports 5 | xargs)
export PYTHONPATH=$ROOT
export CHALKMARK_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/$SCALE_DB
export CHALKMARK_REDIS_URL=redis://127.0.0.1:6379/${SCALE_REDIS_DB:-3}
export CHALKMARK_INSTANCE_DIR=$WORK/instance
export CHALKMARK_SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(32))')
export CHALKMARK_PUBLIC_URL=http://localhost:$PROXY_PORT
export CHALKMARK_VAPID_SUBJECT=mailto:scale@example.org
export CHALKMARK_S3_BUCKET=evidence CHALKMARK_S3_REGION=us-east-1
export CHALKMARK_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export CHALKMARK_S3_ACCESS_KEY_ID=scale CHALKMARK_S3_SECRET_ACCESS_KEY=scale
export GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}

log "work dir $WORK; database $SCALE_DB; Redis db ${SCALE_REDIS_DB:-3}; load $(cut -d' ' -f1-3 /proc/loadavg)"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $SCALE_DB WITH (FORCE)" postgres
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $SCALE_DB" postgres
$PY -c 'import os, redis; redis.Redis.from_url(os.environ["CHALKMARK_REDIS_URL"]).flushdb()'
$BIN/chalkmark db upgrade >"$WORK/migrate.log" 2>&1

start s3 "$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT"
start push "$PY" -m bench.scale.push_receiver --port "$PUSH_PORT" --out "$WORK/subscriptions.json"
wait_for "moto S3" curl -sf "http://127.0.0.1:$S3_PORT/"
wait_for "push service" test -f "$WORK/subscriptions.json"
log "seeding (district size)"
$PY -m bench.scale.seed --subscriptions "$WORK/subscriptions.json" --out "$WORK/users.json"

start worker "$PY" -m bench.scale.app worker
for port in "$APP1_PORT" "$APP2_PORT"; do
    start "app-$port" "$BIN/gunicorn" -c gunicorn.conf.py --bind "127.0.0.1:$port" \
        --max-requests "$MAX_REQUESTS" --control-socket "$WORK/app-$port.ctl" bench.scale.app:app
done
APP_MASTERS=("${PIDS[@]: -2}")
$PY -m bench.scale.nginx --listen "$PROXY_PORT" --upstream "$APP1_PORT" "$APP2_PORT" \
    --dir "$WORK" >"$WORK/nginx.conf"
/usr/sbin/nginx -t -q -p "$WORK" -c "$WORK/nginx.conf"
/usr/sbin/nginx -p "$WORK" -c "$WORK/nginx.conf" -g 'daemon off;' >"$WORK/nginx.log" 2>&1 &
NGINX_PID=$!
echo "nginx $NGINX_PID" >>"$WORK/pids"
for port in "$APP1_PORT" "$APP2_PORT" "$PROXY_PORT"; do
    wait_for "app on $port" curl -sf "http://127.0.0.1:$port/readyz"
done
log "up: nginx :$PROXY_PORT -> gunicorn :$APP1_PORT :$APP2_PORT; S3 :$S3_PORT; push :$PUSH_PORT"

if [ "$SOAK" = 1 ]; then
    start rss "$PY" -m bench.scale.rss sample --masters "${APP_MASTERS[@]}" --out "$WORK/rss.jsonl"
fi
log "locust: $USERS users for $DURATION (load $(cut -d' ' -f1-3 /proc/loadavg))"
cpu_snapshot() { $PY -m bench.scale.cpu --pids "$WORK/pids" --db "$SCALE_DB" --shell $$ >"$WORK/$1"; }
cpu_snapshot cpu-before.json
SCALE_USERS=$WORK/users.json SCALE_OUT=$WORK/outcomes.json \
    "$BIN/locust" -f bench/scale/locustfile.py --headless -u "$USERS" -r "$SPAWN" -t "$DURATION" \
    --host "http://127.0.0.1:$PROXY_PORT" --csv "$WORK/locust" --only-summary \
    --stop-timeout 20 --exit-code-on-error 0 >"$WORK/locust.log" 2>&1
cpu_snapshot cpu-after.json
log "locust done (load $(cut -d' ' -f1-3 /proc/loadavg)); checking"
if [ "$SOAK" = 1 ]; then kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" || true; fi
set +e
$PY -m bench.scale.check --work "$WORK" --push-url "http://127.0.0.1:$PUSH_PORT" \
    $([ "$SOAK" = 1 ] && echo --soak)
STATUS=$?
set -e
exit "$STATUS"
