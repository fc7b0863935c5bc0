#!/usr/bin/env bash
# Runs bench/LoadGen against a real silo on a private, durable PostgreSQL (bench/stack.sh).
# Arguments go to LoadGen, e.g.
#   bash bench/loadgen.sh --boxes 100 --rate real --seconds 60
#   bash bench/loadgen.sh --boxes 1 --rate max --frames 1000000 --baseline
# Prints LoadGen's JSON line on stdout; progress on stderr.
set -euo pipefail
# shellcheck source=bench/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
echo "running LoadGen $*..." >&2
dotnet bench/LoadGen/bin/Release/net10.0/LoadGen.dll --gateway-port "$FLEET_BENCH_GATEWAY" --cluster-id bench \
  --silo-pid "$FLEET_BENCH_SILO_PID" --postgres "$FLEET_BENCH_CONNECTION" "$@"
