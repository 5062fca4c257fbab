#!/usr/bin/env bash
# The loopback servers of the catalogue tests (tests/catalog): a real STAC API
# (stac-fastapi-pgstac on Debian's PostgreSQL + PostGIS, in its own venv) and nginx serving
# the items' COGs with range requests; one folder (/protected/) needs a bearer token, one
# (/forbidden/) always answers 403.
#
#   scripts/test_servers.sh start            start what is not running (idempotent)
#   scripts/test_servers.sh load FILE...     upsert collections (*.collections.ndjson) and items (*.ndjson)
#   scripts/test_servers.sh stop             stop all three
#   scripts/test_servers.sh status           exit 0 when all three answer
#   scripts/test_servers.sh installed        exit 0 when the software is installed (setup.sh installs it)
#
# Everything lives in $PLANAURA_SERVERS_DIR (default /var/tmp/planaura-test-servers): the
# database cluster, nginx's configuration, logs and document root (www/, filled by the tests).
# Ports on 127.0.0.1: $PLANAURA_PG_PORT (55432), $PLANAURA_HTTP_PORT (58081), $PLANAURA_STAC_PORT (58082).
set -euo pipefail

DIR=${PLANAURA_SERVERS_DIR:-/var/tmp/planaura-test-servers}
STAC_VENV=${PLANAURA_STAC_VENV:-/var/tmp/planaura-venv-stac}
PG_PORT=${PLANAURA_PG_PORT:-55432}
HTTP_PORT=${PLANAURA_HTTP_PORT:-58081}
STAC_PORT=${PLANAURA_STAC_PORT:-58082}
TOKEN=${PLANAURA_TEST_TOKEN:-planaura-test-token}
PG_BIN=${PG_BIN:-$( (ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true) | sort -V | tail -1)}  # empty: not installed
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
DSN="postgresql://postgres@127.0.0.1:${PG_PORT}/stac"

as_pg() {  # PostgreSQL refuses to run as root: run as the postgres user then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

installed() {
  local missing=()
  [ -x "${PG_BIN}/initdb" ] || missing+=("PostgreSQL (apt: postgresql)")
  ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || missing+=("PostGIS (apt: postgresql-15-postgis-3)")
  [ -x "$NGINX" ] || missing+=("nginx (apt: nginx)")
  [ -x "${STAC_VENV}/bin/uvicorn" ] || missing+=("stac-fastapi-pgstac venv ${STAC_VENV} (scripts/setup.sh)")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "not installed: ${missing[*]}" >&2
    return 2
  fi
}

start_postgres() {
  mkdir -p "$DIR/pgsock"
  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    mkdir -p "$DIR/pg"
    [ "$(id -u)" = 0 ] && chown -R postgres "$DIR/pg" "$DIR/pgsock"
    as_pg "$PG_BIN/initdb" -D "$DIR/pg" -A trust -U postgres >"$DIR/initdb.log"
  fi
  [ "$(id -u)" = 0 ] && chown postgres "$DIR/pgsock"
  if ! as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -w -l "$DIR/pg/server.log" \
      -o "-p ${PG_PORT} -k $DIR/pgsock -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  if ! as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
      "select 1 from pg_database where datname='stac'" | grep -q 1; then
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres stac
  fi
  "$STAC_VENV/bin/pypgstac" migrate --dsn "$DSN" >"$DIR/migrate.log"
}

start_nginx() {
  mkdir -p "$DIR/nginx/tmp" "$DIR/www/protected" "$DIR/www/forbidden"
  cat >"$DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log;
events { worker_connections 64; }
http {
  default_type application/octet-stream;
  log_format bytes '\$uri \$status \$body_bytes_sent "\$http_range"';
  access_log $DIR/nginx/access.log bytes;
  client_body_temp_path $DIR/nginx/tmp; proxy_temp_path $DIR/nginx/tmp;
  fastcgi_temp_path $DIR/nginx/tmp; uwsgi_temp_path $DIR/nginx/tmp; scgi_temp_path $DIR/nginx/tmp;
  server {
    listen 127.0.0.1:${HTTP_PORT};
    root $DIR/www;
    location /protected/ {
      if (\$http_authorization != "Bearer ${TOKEN}") { return 401; }
    }
    location /forbidden/ { return 403; }
  }
}
EOF
  if [ -f "$DIR/nginx/nginx.pid" ] && kill -0 "$(cat "$DIR/nginx/nginx.pid")" 2>/dev/null; then
    "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -s reload 2>/dev/null
  else
    "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" 2>/dev/null
  fi
}

start_stac() {
  if [ -f "$DIR/stac.pid" ] && kill -0 "$(cat "$DIR/stac.pid")" 2>/dev/null; then return 0; fi
  PGUSER=postgres PGPASSWORD=unused PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGDATABASE=stac \
    nohup "$STAC_VENV/bin/uvicorn" stac_fastapi.pgstac.app:create_app --factory \
    --host 127.0.0.1 --port "$STAC_PORT" >"$DIR/stac.log" 2>&1 &
  echo $! >"$DIR/stac.pid"
  for _ in $(seq 1 60); do
    if curl -sf "http://127.0.0.1:${STAC_PORT}/" >/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "the STAC API did not answer on 127.0.0.1:${STAC_PORT}; see $DIR/stac.log" >&2
  return 1
}

load() {
  for file in "$@"; do
    case "$file" in
      *.collections.ndjson) kind=collections ;;
      *) kind=items ;;
    esac
    "$STAC_VENV/bin/pypgstac" load "$kind" "$file" --dsn "$DSN" --method upsert >>"$DIR/load.log" 2>&1
  done
}

stop() {
  if [ -f "$DIR/stac.pid" ]; then kill "$(cat "$DIR/stac.pid")" 2>/dev/null || true; rm -f "$DIR/stac.pid"; fi
  if [ -f "$DIR/nginx/nginx.pid" ]; then
    "$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -s quit 2>/dev/null || true
  fi
  if [ -f "$DIR/pg/PG_VERSION" ]; then as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg" -w stop >/dev/null 2>&1 || true; fi
}

status() {
  curl -sf "http://127.0.0.1:${STAC_PORT}/" >/dev/null && curl -s -o /dev/null "http://127.0.0.1:${HTTP_PORT}/"
}

case "${1:-}" in
  installed) installed ;;
  start) installed; mkdir -p "$DIR"; start_postgres; start_nginx; start_stac
         echo "STAC API http://127.0.0.1:${STAC_PORT}  files http://127.0.0.1:${HTTP_PORT}  in $DIR" ;;
  load) shift; load "$@" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|load FILE...|stop|status|installed" >&2; exit 64 ;;
esac
