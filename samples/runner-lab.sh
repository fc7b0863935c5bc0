#!/usr/bin/env bash
# A lab with a runner, on one machine and no hardware: a local stack (`fleet up`), a simulated
# box whose socket 3 draws what a runner's commands do (--wire), a runner for machine srv-sim
# with a fake RAPL tree (30 W, a wrapping counter) and a fake nvidia-smi (40 W), and one
# submission with an idle baseline and two phases, "fasterpam" (one core for 4 s) and "pam"
# (one core for 8 s). Prints Fleet's report: the wall against RAPL + GPU per phase.
# Usage: samples/runner-lab.sh   (about a minute; everything it starts is stopped at the end)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lab="$(mktemp -d -t fleet-runner-lab-XXXXXX)"
export FLEET_DATA="$lab/data"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  "$here/fleet" down > /dev/null 2>&1 || true
  rm -rf "$lab"
}
trap cleanup EXIT

"$here/fleet" up --any-ports > "$lab/up.log" 2>&1 || { cat "$lab/up.log" >&2; exit 1; }
state="$FLEET_DATA/stack.json"
gateway=$(sed -n 's/.*"gateway_port": \([0-9]*\).*/\1/p' "$state")
export FLEET_URL="http://127.0.0.1:$(sed -n 's/.*"http_port": \([0-9]*\).*/\1/p' "$state")"
agent="$here/src/AgentHost/bin/Release/net10.0/Fleet.AgentHost.dll"

# The fake component meters: a RAPL package at 30 W 20 J below its wrap, a GPU at 40 W.
rapl="$lab/sysfs/sys/class/powercap/intel-rapl:0"
mkdir -p "$rapl" "$lab/bin"
echo package-0 > "$rapl/name"
echo 262143328850 > "$rapl/max_energy_range_uj"
( start=$(date +%s%N); while :; do
    now=$(date +%s%N); echo $(( (262143328850 - 20000000 + (now - start) * 3 / 100) % 262143328850 )) > "$rapl/energy_uj.new"
    mv "$rapl/energy_uj.new" "$rapl/energy_uj"; sleep 0.05; done ) &
pids+=($!)
cat > "$lab/bin/nvidia-smi" <<'SMI'
#!/bin/sh
case " $* " in *" -lms "*) while :; do echo "0, 40.00"; sleep 0.1; done ;; *) echo "0, 40.00" ;; esac
SMI
chmod +x "$lab/bin/nvidia-smi"

dotnet "$agent" --simulate --wire "3=$lab/srv-sim.load:90:60" --box sim-lab --gateway-port "$gateway" \
  --spool "$lab/spool" --report-every 60 > "$lab/agent.log" 2>&1 &
pids+=($!)
PATH="$lab/bin:$PATH" dotnet "$agent" --runner --machine srv-sim --gateway-port "$gateway" \
  --load-signal "$lab/srv-sim.load" --rapl-root "$lab/sysfs" > "$lab/runner.log" 2>&1 &
pids+=($!)
"$here/fleet" machines add srv-sim --socket sim-lab:3 --force > /dev/null
for _ in $(seq 1 60); do "$here/fleet" runners 2> /dev/null | grep -q "^srv-sim *alive" && break; sleep 1; done

busy='t=$(($(date +%s) + $1)); while [ $(date +%s) -lt $t ]; do :; done'
"$here/fleet" submit --machine srv-sim --name seeds --idle-baseline 5s --wait -- \
  sh -c "echo FLEET_MARK fasterpam; sh -c '$busy' - 4; echo FLEET_MARK pam; sh -c '$busy' - 8"
