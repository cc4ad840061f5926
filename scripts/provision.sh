#!/usr/bin/env bash
# Provision everything Waystation needs, idempotently, then print the DATABASE_URL to use.
#
#   scripts/provision.sh [--with-browser | --with-bench]
#
# Order of database sources: $DATABASE_URL; else a PostgreSQL listening on 127.0.0.1:5432;
# else a local cluster this script creates (as the postgres user) and starts.
# All progress goes to stderr; the last line on stdout is the database URL.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WITH_BROWSER=0 WITH_BENCH=0
[ "${1:-}" = "--with-browser" ] && WITH_BROWSER=1
[ "${1:-}" = "--with-bench" ] && WITH_BENCH=1

say() { printf '[provision] %s\n' "$*" >&2; }
die() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }

PG_MAJOR=${PG_MAJOR:-15}
PG_PORT=${PG_PORT:-5432}
PGDATA_DIR=${WAYSTATION_PGDATA:-/var/lib/waystation/pg$PG_MAJOR}
DB_NAME=${WAYSTATION_DB_NAME:-waystation}

# --- 1. Debian packages -------------------------------------------------------------------------
# GeoDjango loads GDAL, GEOS and PROJ through ctypes; Leaflet is served from Debian's copy.
# gettext compiles the translation catalogue (locale/) at set-up; no .mo is committed.
# nginx (the light build) fronts gunicorn in `make run`, the benches and the slow-client test.
need=(gdal-bin libgeos-c1v5 libproj25 libjs-leaflet libjs-leaflet.markercluster python3-venv gettext
      nginx-light)
if [ -z "${DATABASE_URL:-}" ]; then
  need+=("postgresql-$PG_MAJOR" "postgresql-$PG_MAJOR-postgis-3")
fi
[ "$WITH_BROWSER" = 1 ] && need+=(chromium fonts-noto-cjk)
[ "$WITH_BENCH" = 1 ] && need+=(wrk)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
apt_install() {
  local missing=()
  for pkg in "$@"; do installed "$pkg" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    die "missing Debian packages: ${missing[*]}. Run as root, or: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; } \
    || die "apt-get could not install ${missing[*]}"
}
command -v dpkg-query >/dev/null || die "this set-up expects Debian 12 (dpkg-query not found)"
apt_install "${need[@]}"

# --- 2. Python virtualenv with the pinned packages ----------------------------------------------
PY=${PYTHON:-python3}
stamp=".venv/.waystation-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  say "creating .venv with the pinned packages from pyproject.toml"
  [ -x .venv/bin/python ] || "$PY" -m venv .venv >&2
  # The project is not a package: install exactly the pinned dependencies it lists.
  .venv/bin/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"];
print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > .venv/requirements.txt
  .venv/bin/pip install -q --disable-pip-version-check -r .venv/requirements.txt >&2 \
    || die "pip could not install the packages in pyproject.toml"
  rm -f .venv/.waystation-*
  touch "$stamp"
fi

# --- 3. A PostgreSQL server with PostGIS ---------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_local_cluster() {
  local bin="/usr/lib/postgresql/$PG_MAJOR/bin"
  [ -x "$bin/initdb" ] || die "PostgreSQL $PG_MAJOR binaries not found in $bin"
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    say "creating a PostgreSQL $PG_MAJOR cluster in $PGDATA_DIR"
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$(dirname "$PGDATA_DIR")"
    as_pg "$bin/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >/dev/null || die "initdb failed for $PGDATA_DIR"
  fi
  say "starting PostgreSQL on 127.0.0.1:$PG_PORT (data in $PGDATA_DIR)"
  as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDATA_DIR" start >/dev/null \
    || die "PostgreSQL did not start; see $PGDATA_DIR/server.log"
}

if [ -n "${DATABASE_URL:-}" ]; then
  url=$DATABASE_URL
else
  port_open || start_local_cluster
  url="postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
fi

# Creates the database and the postgis extension if needed. Exit 3: PostGIS missing on the server.
set +e
.venv/bin/python scripts/ensure_db.py "$url"
rc=$?
set -e
if [ $rc = 3 ] && [ -z "${DATABASE_URL:-}" ]; then
  # The local server is another major version than the one we installed PostGIS for.
  major=$(.venv/bin/python scripts/ensure_db.py "$url" --server-major)
  apt_install "postgresql-$major-postgis-3"
  .venv/bin/python scripts/ensure_db.py "$url" || exit 1
elif [ $rc != 0 ]; then
  exit 1
fi
echo "$url"
