#!/usr/bin/env bash
# Energy query latency over 1 h, 24 h, 7 d and 1 y of one socket, rollup levels against the 1 s
# rollups alone (bench/EnergyLatency), on a throwaway PostgreSQL. Arguments go to EnergyLatency,
# e.g. bash bench/energy-latency.sh --raw-hours 24 --rollup-days 366
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/throwaway-postgres.sh
source scripts/throwaway-postgres.sh
echo "building (Release)..." >&2
dotnet build -c Release --nologo -v q bench/EnergyLatency/EnergyLatency.csproj > /dev/null
dotnet bench/EnergyLatency/bin/Release/net10.0/EnergyLatency.dll --postgres "$FLEET_TEST_POSTGRES" "$@"
