#!/usr/bin/env bash
# Source this file: it starts a private PostgreSQL cluster in a temporary directory on a free
# loopback port (as the postgres user when run as root, since initdb refuses root), exports
# FLEET_TEST_POSTGRES with its connection string, and stops and deletes it when the shell exits.

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)" >&2
  return 1
fi

fleet_pg_dir=$(mktemp -d /tmp/fleet-pg.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$fleet_pg_dir"
  fleet_pg_run() { runuser -u postgres -- "$@"; }
else
  fleet_pg_run() { "$@"; }
fi

fleet_pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

fleet_pg_stop() {
  fleet_pg_run "$pg_bin/pg_ctl" -D "$fleet_pg_dir/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$fleet_pg_dir"
}

if ! fleet_pg_run "$pg_bin/initdb" -D "$fleet_pg_dir/data" -U fleet --auth=trust -E UTF8 --no-locale > "$fleet_pg_dir/initdb.log" 2>&1; then
  cat "$fleet_pg_dir/initdb.log" >&2
  return 1
fi

# Durability is pointless for a throwaway cluster; fsync=off keeps the tests fast.
if ! fleet_pg_run "$pg_bin/pg_ctl" -D "$fleet_pg_dir/data" -l "$fleet_pg_dir/server.log" -w -t 60 \
    -o "-p $fleet_pg_port -k $fleet_pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start > /dev/null; then
  cat "$fleet_pg_dir/server.log" >&2
  return 1
fi

trap fleet_pg_stop EXIT
export FLEET_TEST_POSTGRES="Host=127.0.0.1;Port=$fleet_pg_port;Username=fleet;Database=postgres"
echo "throwaway PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$fleet_pg_port ($fleet_pg_dir)" >&2
