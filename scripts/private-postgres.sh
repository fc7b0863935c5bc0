#!/usr/bin/env bash
# A private PostgreSQL from the system's binaries: its own data directory, a loopback port, its
# socket in the directory. This is Fleet's one implementation of it: `fleet up` and `fleet demo`
# run it (src/Cli/Local/LocalPostgres.cs), the tests' throwaway cluster is it
# (scripts/throwaway-postgres.sh), and end-to-end tests that stop and restart a database use it.
# As root the server runs as the postgres user, since initdb refuses root.
#
#   private-postgres.sh start DIR PORT [NAME=VALUE ...]  creates the cluster in DIR/data on first use,
#                                                         starts it with those settings, creates database fleet
#   private-postgres.sh stop DIR [fast|immediate]         stops it if it runs (fast: clients finish; immediate: as a crash)
#   private-postgres.sh status DIR                        exits 0 when it runs
#   private-postgres.sh binaries                          prints the newest server binaries' directory, exits 1 without one
#
# Authentication is by password (scram-sha-256) for the superuser fleet: the password is made at
# the cluster's creation and kept in DIR/password (owner-only); clients read it from there. A
# cluster made by an older Fleet with trust authentication is given a password on its next start.
# FLEET_PG_AUTH=trust keeps trust authentication: for the tests' throwaway clusters only (a
# temporary directory, a loopback port, removed after the run), never for `fleet up`.
#
# Failures end with one line on stderr saying what failed and where its log is.
set -euo pipefail

binaries() {
  local found=""
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [ -x "$dir/initdb" ] && found=$dir
  done
  [ -n "$found" ] && echo "$found"
}

# The server's own tools refuse root: run them as postgres then.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

fail() {
  echo "private-postgres: $*" >&2
  exit 1
}

need_binaries() {
  bin=$(binaries) || fail "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
}

running() {
  [ -f "$1/data/PG_VERSION" ] && as_server_user "$bin/pg_ctl" -D "$1/data" status > /dev/null 2>&1
}

command=${1:-}
case "$command" in
  binaries)
    binaries || exit 1
    ;;

  status)
    [ $# -eq 2 ] || fail "usage: private-postgres.sh status DIR"
    need_binaries
    running "$2"
    ;;

  start)
    [ $# -ge 3 ] || fail "usage: private-postgres.sh start DIR PORT [NAME=VALUE ...]"
    dir=$2 port=$3
    shift 3
    need_binaries
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown -R postgres: "$dir"
    fi

    auth=${FLEET_PG_AUTH:-scram-sha-256}
    case "$auth" in trust|scram-sha-256) ;; *) fail "FLEET_PG_AUTH must be scram-sha-256 (default) or trust (tests only), not '$auth'" ;; esac
    if [ "$auth" != trust ] && [ ! -s "$dir/password" ]; then
      # 32 random bytes as hex: the superuser's password, readable by its owner only.
      (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$dir/password")
      if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/password"; fi
      new_password=1
    fi

    if [ ! -f "$dir/data/PG_VERSION" ]; then
      if [ "$auth" = trust ]; then
        auth_options=(--auth=trust)
      else
        auth_options=(--auth=scram-sha-256 "--pwfile=$dir/password")
        new_password=""
      fi
      as_server_user "$bin/initdb" -D "$dir/data" -U fleet "${auth_options[@]}" -E UTF8 --no-locale > "$dir/initdb.log" 2>&1 \
        || { tail -n 20 "$dir/initdb.log" >&2; fail "initdb failed in $dir/data (log: $dir/initdb.log)"; }
    fi

    if ! running "$dir"; then
      options="-p $port -k $dir -c listen_addresses=127.0.0.1"
      for setting in "$@"; do
        options="$options -c $setting"
      done
      as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start > /dev/null \
        || { tail -n 20 "$dir/server.log" >&2 2> /dev/null; fail "the server did not start on 127.0.0.1:$port (log: $dir/server.log)"; }
    fi

    if [ "$auth" != trust ]; then
      export PGPASSWORD
      PGPASSWORD=$(cat "$dir/password")
      if [ -n "${new_password:-}" ]; then
        # A cluster made with trust authentication by an older Fleet: give fleet the new password,
        # then require it from every client.
        as_server_user "$bin/psql" -h 127.0.0.1 -p "$port" -U fleet -d postgres -v ON_ERROR_STOP=1 -qc "ALTER ROLE fleet PASSWORD '$PGPASSWORD'" > /dev/null \
          || fail "could not set a password on the trust-authenticated cluster in $dir/data"
        sed -i -E 's/^(local|host)(.*)trust$/\1\2scram-sha-256/' "$dir/data/pg_hba.conf"
        as_server_user "$bin/pg_ctl" -D "$dir/data" reload > /dev/null
      fi
    fi

    # createdb fails when the database exists: the one failure expected.
    if ! error=$(as_server_user env PGPASSWORD="${PGPASSWORD:-}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U fleet fleet 2>&1) && [[ $error != *"already exists"* ]]; then
      fail "createdb fleet on 127.0.0.1:$port failed: $error"
    fi
    ;;

  stop)
    [ $# -ge 2 ] || fail "usage: private-postgres.sh stop DIR [fast|immediate]"
    dir=$2 mode=${3:-fast}
    bin=$(binaries) || exit 0
    if running "$dir"; then
      as_server_user "$bin/pg_ctl" -D "$dir/data" -m "$mode" -w stop > /dev/null || fail "pg_ctl stop failed for $dir/data (log: $dir/server.log)"
    fi
    ;;

  *)
    fail "usage: private-postgres.sh start DIR PORT [NAME=VALUE ...] | stop DIR [fast|immediate] | status DIR | binaries"
    ;;
esac
