#!/usr/bin/env bash
# Provide the PostgreSQL server the tests use: role `lens` (password `lens`) owning database `lens_test`,
# listening on 127.0.0.1:5432. Runs as root on a fresh Debian 12 machine (no systemd needed) and is
# idempotent: a second run changes nothing and succeeds.
#
# Environment: PG_SETUP_PORT (default 5432), PG_SETUP_WAIT (seconds to wait for the server, default 60),
#              PG_SETUP_LOCK_WAIT (seconds to wait for another apt/dpkg, default 900).
set -euo pipefail

PORT="${PG_SETUP_PORT:-5432}"
ROLE=lens
PASSWORD=lens
DATABASE=lens_test
SERVER_WAIT="${PG_SETUP_WAIT:-60}"
LOCK_WAIT="${PG_SETUP_LOCK_WAIT:-900}"

say() { printf 'setup-postgres: %s\n' "$*"; }
die() { printf 'setup-postgres: ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages and starts a server), e.g. sudo $0"

# --- 1. Install the server (apt waits for a dpkg lock held by another installer instead of failing) ---
APT=(apt-get -y -q -o "DPkg::Lock::Timeout=${LOCK_WAIT}")
export DEBIAN_FRONTEND=noninteractive

# DPkg::Lock::Timeout covers the dpkg lock; the package-lists lock of a concurrent `apt-get update` does not
# wait, so retry until LOCK_WAIT is used up.
apt_retry() {
  local started=$SECONDS
  until "${APT[@]}" "$@"; do
    [ $((SECONDS - started)) -ge "$LOCK_WAIT" ] && die "apt-get $* kept failing for ${LOCK_WAIT}s (see the apt output above)"
    say "apt-get $1 failed (another apt may hold a lock); retrying in 5s"
    sleep 5
  done
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

# Another process may be half-way through installing postgresql: wait for dpkg to finish before deciding.
wait_for_dpkg() {
  local waited=0
  while fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock >/dev/null 2>&1; do
    [ "$waited" -eq 0 ] && say "another apt/dpkg is running; waiting for it (up to ${LOCK_WAIT}s)"
    [ "$waited" -ge "$LOCK_WAIT" ] && die "apt/dpkg still locked after ${LOCK_WAIT}s; finish or stop the other installer and re-run"
    sleep 2
    waited=$((waited + 2))
  done
}
command -v fuser >/dev/null 2>&1 && wait_for_dpkg

if installed postgresql && command -v pg_lsclusters >/dev/null 2>&1; then
  say "postgresql is already installed ($(dpkg-query -W -f='${Version}' postgresql))"
else
  if ! apt-cache show postgresql >/dev/null 2>&1; then
    say "apt-get update (package lists missing)"
    apt_retry update
  fi
  say "installing postgresql with apt-get"
  apt_retry install --no-install-recommends postgresql
  say "installed postgresql $(dpkg-query -W -f='${Version}' postgresql)"
fi

# --- 2. A cluster on port 5432 -------------------------------------------------------------------
# pg_lsclusters -h prints: version cluster port status owner datadir logfile
cluster_on_port() { pg_lsclusters -h 2>/dev/null | awk -v p="$PORT" '$3 == p { print $1, $2; exit }'; }

read -r PG_VERSION PG_CLUSTER <<<"$(cluster_on_port)" || true
if [ -z "${PG_VERSION:-}" ]; then
  PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  [ -n "$PG_VERSION" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
  PG_CLUSTER=main
  if pg_lsclusters -h | awk '{ print $1, $2 }' | grep -qx "$PG_VERSION main"; then PG_CLUSTER=lens; fi
  say "creating cluster $PG_VERSION/$PG_CLUSTER on port $PORT (UTF-8)"
  pg_createcluster --port "$PORT" --encoding UTF8 --locale C.UTF-8 "$PG_VERSION" "$PG_CLUSTER"
else
  say "cluster $PG_VERSION/$PG_CLUSTER uses port $PORT"
fi

status="$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }')"
if [ "$status" = "online" ]; then
  say "cluster $PG_VERSION/$PG_CLUSTER is already running"
else
  say "starting cluster $PG_VERSION/$PG_CLUSTER"
  # --skip-systemctl-redirect: containers and CI runners often have no running systemd.
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start \
    || die "cluster $PG_VERSION/$PG_CLUSTER did not start; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
fi

# --- 3. Wait until it accepts TCP connections on 127.0.0.1 ---------------------------------------
waited=0
until pg_isready -q -h 127.0.0.1 -p "$PORT"; do
  [ "$waited" -ge "$SERVER_WAIT" ] && die "server on 127.0.0.1:$PORT not accepting connections after ${SERVER_WAIT}s; see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log (listen_addresses must include localhost)"
  sleep 1
  waited=$((waited + 1))
done
say "server accepts connections on 127.0.0.1:$PORT"

# --- 4. Role and database -------------------------------------------------------------------------
as_postgres() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }

if [ "$(as_postgres -tAc "select 1 from pg_roles where rolname = '$ROLE'")" = "1" ]; then
  say "role $ROLE exists"
else
  as_postgres -c "create role $ROLE login password '$PASSWORD'"
  say "created role $ROLE"
fi

if [ "$(as_postgres -tAc "select 1 from pg_database where datname = '$DATABASE'")" = "1" ]; then
  say "database $DATABASE exists"
else
  # template0 + explicit UTF8 so Chinese text round-trips whatever locale the cluster was made with.
  as_postgres -c "create database $DATABASE owner $ROLE encoding 'UTF8' lc_collate 'C' lc_ctype 'C' template template0"
  say "created database $DATABASE owned by $ROLE"
fi

# Password login over TCP is what the tests do; repair the password only if that fails.
if PGPASSWORD="$PASSWORD" psql -X -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DATABASE" -tAc 'select 1' >/dev/null 2>&1; then
  say "login as $ROLE to $DATABASE on 127.0.0.1:$PORT works"
else
  as_postgres -c "alter role $ROLE login password '$PASSWORD'"
  as_postgres -c "alter database $DATABASE owner to $ROLE"
  PGPASSWORD="$PASSWORD" psql -X -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DATABASE" -tAc 'select 1' >/dev/null \
    || die "cannot log in as $ROLE over TCP; check pg_hba.conf of $PG_VERSION/$PG_CLUSTER allows scram-sha-256 from 127.0.0.1"
  say "reset password of $ROLE; login works"
fi

say "ready: postgres://$ROLE:***@127.0.0.1:$PORT/$DATABASE (set LENS_TEST_PG_URL to use another server)"
