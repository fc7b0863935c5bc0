#!/usr/bin/env bash
# Source this file: builds Fleet in Release, starts a private PostgreSQL with production
# durability (fsync and synchronous commit on) and a silo on it, and stops both when the shell
# exits. Exports FLEET_BENCH_CONNECTION, FLEET_BENCH_GATEWAY, FLEET_BENCH_HTTP and
# FLEET_BENCH_SILO_PID. Used by bench/loadgen.sh and bench/agent-cpu.sh.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

fleet_bench_pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fleet_bench_dir=$(mktemp -d /tmp/fleet-bench.XXXXXX)
fleet_bench_run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
fleet_bench_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
[ "$(id -u)" -eq 0 ] && chown postgres: "$fleet_bench_dir"
FLEET_BENCH_SILO_PID=
fleet_bench_stop() {
  [ -n "$FLEET_BENCH_SILO_PID" ] && kill "$FLEET_BENCH_SILO_PID" 2> /dev/null && wait "$FLEET_BENCH_SILO_PID" 2> /dev/null || true
  fleet_bench_run "$fleet_bench_pg_bin/pg_ctl" -D "$fleet_bench_dir/data" -m fast stop > /dev/null 2>&1 || true
  rm -rf "$fleet_bench_dir"
}
trap fleet_bench_stop EXIT

echo "building (Release)..." >&2
dotnet build -c Release --nologo -v q src/Silo/Silo.csproj > /dev/null
dotnet build -c Release --nologo -v q src/AgentHost/AgentHost.csproj > /dev/null
dotnet build -c Release --nologo -v q bench/LoadGen/LoadGen.csproj > /dev/null

pg_port=$(fleet_bench_port)
echo "starting PostgreSQL on 127.0.0.1:$pg_port (durable: fsync and synchronous_commit on)..." >&2
fleet_bench_run "$fleet_bench_pg_bin/initdb" -D "$fleet_bench_dir/data" -U fleet --auth=trust -E UTF8 --no-locale > /dev/null
fleet_bench_run "$fleet_bench_pg_bin/pg_ctl" -D "$fleet_bench_dir/data" -l "$fleet_bench_dir/postgres.log" -w \
  -o "-p $pg_port -k $fleet_bench_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start > /dev/null
export FLEET_BENCH_CONNECTION="Host=127.0.0.1;Port=$pg_port;Username=fleet;Database=postgres;Maximum Pool Size=100"
export FLEET_BENCH_GATEWAY=$(fleet_bench_port)
export FLEET_BENCH_HTTP=$(fleet_bench_port)

echo "starting the silo..." >&2
ConnectionStrings__Fleet="$FLEET_BENCH_CONNECTION" ASPNETCORE_URLS="http://127.0.0.1:$FLEET_BENCH_HTTP" \
  Fleet__GatewayPort=$FLEET_BENCH_GATEWAY Fleet__SiloPort=$(fleet_bench_port) Fleet__ClusterId=bench Fleet__ServiceId=bench \
  Logging__LogLevel__Default=Warning \
  dotnet src/Silo/bin/Release/net10.0/Fleet.Silo.dll > "$fleet_bench_dir/silo.log" 2>&1 &
export FLEET_BENCH_SILO_PID=$!
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$FLEET_BENCH_HTTP/healthz" > /dev/null 2>&1 && break
  sleep 0.5
done
if ! curl -fs "http://127.0.0.1:$FLEET_BENCH_HTTP/healthz" > /dev/null; then
  cat "$fleet_bench_dir/silo.log" >&2
  return 1
fi
