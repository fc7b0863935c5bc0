#!/usr/bin/env bash
# Agent CPU and memory for one box at 100 frames/s, against a real silo (bench/stack.sh):
#  - the agent reading a socat pty fed one frame every 10 ms (a box on USB),
#  - the agent with --simulate,
#  - a C reader doing one read() per byte on the same feed (the vendor reader's way), as a floor.
# Usage: bash bench/agent-cpu.sh [seconds]   (default 60, after 10 s of warm-up each)
# FLEET_AGENT_DIR=DIR measures another build of the agent (e.g. main's, for a before/after).
set -euo pipefail
# shellcheck source=bench/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"
seconds=${1:-60}
work=$(mktemp -d /tmp/fleet-agent-cpu.XXXXXX)
pids=()
stop_all() { for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done; rm -rf "$work"; fleet_bench_stop; }
trap stop_all EXIT

python3 tools/omegawatt-gen.py "$work/capture" --frames 30000 --plugs 6 --seed 7 > /dev/null
gcc -O2 -o "$work/byte-reader" bench/byte-reader.c
ticks=$(getconf CLK_TCK)

# CPU share of one core and RSS of PID over $seconds, after 10 s of warm-up.
measure() {
  local pid=$1
  sleep 10
  local before after
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep "$seconds"
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  local rss
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  awk -v b="$before" -v a="$after" -v t="$ticks" -v s="$seconds" -v r="$rss" \
    'BEGIN { printf "%.2f %% of a core, %.1f MB RSS\n", 100 * (a - b) / t / s, r / 1024 }'
}

pty() {
  socat "pty,raw,echo=0,link=$work/box-$1" "pty,raw,echo=0,link=$work/feed-$1" &
  pids+=($!)
  for _ in $(seq 1 50); do [ -e "$work/feed-$1" ] && [ -e "$work/box-$1" ] && break; sleep 0.1; done
  python3 bench/feed-pty.py "$work/capture.bin" "$work/feed-$1" 77 &
  pids+=($!)
}

agent=${FLEET_AGENT_DIR:-src/AgentHost/bin/Release/net10.0}/Fleet.AgentHost.dll
common=(--gateway-port "$FLEET_BENCH_GATEWAY" --cluster-id bench --report-every 60)

pty serial
dotnet "$agent" --serial "$work/box-serial" --box cpu-serial --spool "$work/spool-serial" "${common[@]}" > "$work/agent-serial.log" 2>&1 &
pids+=($!)
echo "agent, serial pty at 100 frames/s: $(measure $!)"
kill "${pids[-1]}"

dotnet "$agent" --simulate --box cpu-sim --spool "$work/spool-sim" "${common[@]}" > "$work/agent-sim.log" 2>&1 &
pids+=($!)
echo "agent, --simulate: $(measure $!)"
kill "${pids[-1]}"

pty vendor
"$work/byte-reader" "$work/box-vendor" &
pids+=($!)
echo "one read() per byte (vendor's way), same feed: $(measure $!)"
