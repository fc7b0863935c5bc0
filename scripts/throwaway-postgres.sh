#!/usr/bin/env bash
# Source this file: it starts a private PostgreSQL (scripts/private-postgres.sh) in a temporary
# directory on a free loopback port, exports FLEET_TEST_POSTGRES with its connection string, and
# stops and deletes it when the shell exits.

fleet_pg_script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/private-postgres.sh"
fleet_pg_dir=$(mktemp -d /tmp/fleet-pg.XXXXXX)
fleet_pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

fleet_pg_stop() {
  "$fleet_pg_script" stop "$fleet_pg_dir" immediate > /dev/null 2>&1 || true
  rm -rf "$fleet_pg_dir"
}

# Durability is pointless for a throwaway cluster; fsync=off keeps the tests fast. Trust
# authentication is for this throwaway cluster only (a temporary directory, a loopback port,
# removed when the shell exits): `fleet up` and every deployment use passwords.
if ! FLEET_PG_AUTH=trust "$fleet_pg_script" start "$fleet_pg_dir" "$fleet_pg_port" \
    fsync=off synchronous_commit=off full_page_writes=off max_connections=200; then
  rm -rf "$fleet_pg_dir"
  return 1
fi

trap fleet_pg_stop EXIT
export FLEET_TEST_POSTGRES="Host=127.0.0.1;Port=$fleet_pg_port;Username=fleet;Database=postgres"
echo "throwaway PostgreSQL $("$("$fleet_pg_script" binaries)/postgres" --version | awk '{print $3}') on 127.0.0.1:$fleet_pg_port ($fleet_pg_dir)" >&2
