#!/usr/bin/env bash
# Renders the README's screenshots of Fleet's metrics (docs/images/prometheus-*.png) from a real
# run on this machine, with no Grafana: a throwaway PostgreSQL, a silo, an agent reading a
# simulated box (sim-1: srv-1 ~95 W constant, srv-2 a 110/270 W square wave with a 4 s period,
# gpu-1 a ramp from 180 W at 2 W/s up to 320 W), a Prometheus scraping the silo every second with
# a copy of deploy/prometheus/prometheus.yml, and headless Chromium on Prometheus' graph page.
#
#   bash scripts/screenshot-metrics.sh            # about 2.5 minutes, most of it collecting data
#   FLEET_SCREENSHOT_SECONDS=120 bash scripts/screenshot-metrics.sh
#
# Needs: the .NET SDK, PostgreSQL server binaries, prometheus, chromium and ImageMagick (Debian
# packages postgresql, prometheus, chromium, imagemagick; installed with apt-get when run as root).
# Everything listens on 127.0.0.1 only, on free ports, and everything started here is stopped on exit.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# Two minutes of data: the ramp reaches its 320 W plateau after 70 s, and the 30 s rate() windows
# of the last minute are all full.
collect_seconds=${FLEET_SCREENSHOT_SECONDS:-120}
out_dir="$repo/docs/images"

log() { printf '[screenshot-metrics %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------
missing=()
command -v prometheus > /dev/null || missing+=(prometheus)
command -v chromium > /dev/null || missing+=(chromium)
# /usr/local/bin/convert may be a stand-in; the real ImageMagick lives in /usr/bin.
[ -x /usr/bin/convert ] || missing+=(imagemagick)
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
convert=/usr/bin/convert

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- cleanup ---------------------------------------------------------------------------------
work=$(mktemp -d /tmp/fleet-screenshot.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    # Give each process a few seconds to stop gracefully, then kill it.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  if declare -F fleet_pg_stop > /dev/null; then
    fleet_pg_stop
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL, build -----------------------------------------------------------------------
# shellcheck source=throwaway-postgres.sh
source "$repo/scripts/throwaway-postgres.sh"
trap cleanup EXIT # throwaway-postgres.sh installs its own EXIT trap; cleanup calls fleet_pg_stop

log "building the silo and the agent"
dotnet build src/Silo -v q -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build src/AgentHost -v q -nologo >> "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

# --- silo ------------------------------------------------------------------------------------
http_port=$(free_port)
silo_port=$(free_port)
gateway_port=$(free_port)
silo_url="http://127.0.0.1:$http_port"
log "starting the silo on $silo_url (gateway $gateway_port)"
ConnectionStrings__Fleet="$FLEET_TEST_POSTGRES" \
  ASPNETCORE_URLS="$silo_url" \
  Fleet__Clustering=Localhost \
  Fleet__SiloPort="$silo_port" \
  Fleet__GatewayPort="$gateway_port" \
  Fleet__ClusterId=screenshot \
  Fleet__ServiceId=screenshot \
  dotnet src/Silo/bin/Debug/net10.0/Fleet.Silo.dll > "$work/silo.log" 2>&1 &
pids+=($!)
silo_pid=$!
for _ in $(seq 1 180); do
  kill -0 "$silo_pid" 2> /dev/null || { cat "$work/silo.log" >&2; echo "the silo exited" >&2; exit 1; }
  [ "$(curl -s --max-time 2 "$silo_url/healthz" || true)" = ok ] && break
  sleep 0.5
done
[ "$(curl -s --max-time 2 "$silo_url/healthz" || true)" = ok ] || { tail -n 50 "$work/silo.log" >&2; echo "the silo did not become healthy" >&2; exit 1; }

for assignment in srv-1:1 srv-2:2 gpu-1:3; do
  machine=${assignment%%:*}
  socket=${assignment##*:}
  curl -sf --max-time 30 -X PUT "$silo_url/api/machines/$machine/sockets" -H 'Content-Type: application/json' \
    -d "{\"sockets\":[\"sim-1:$socket\"],\"from\":\"2020-01-01T00:00:00Z\"}" > /dev/null
done
log "machines srv-1, srv-2, gpu-1 on sim-1 sockets 1-3"

# --- agent -----------------------------------------------------------------------------------
dotnet src/AgentHost/bin/Debug/net10.0/Fleet.AgentHost.dll --simulate --box sim-1 \
  --gateway-port "$gateway_port" --cluster-id screenshot --spool "$work/spool" > "$work/agent.log" 2>&1 &
pids+=($!)
agent_pid=$!

# --- Prometheus ------------------------------------------------------------------------------
prom_port=$(free_port)
prom_url="http://127.0.0.1:$prom_port"
cp deploy/prometheus/alerts.yml "$work/alerts.yml"
sed -e "s/silo-1:5080/127.0.0.1:$http_port/" \
    -e "/silo-2:5080/d" \
    -e "s/scrape_interval: 5s/scrape_interval: 1s/" \
    -e "s/evaluation_interval: 5s/evaluation_interval: 1s/" \
    -e "/scheme: https/d" -e "/tls_config:/,/ca_file/d" -e "/authorization:/,/credentials_file/d" \
    deploy/prometheus/prometheus.yml > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" > "$work/prometheus.log" 2>&1 &
pids+=($!)
prom_pid=$!
log "Prometheus on $prom_url"

series() { # number of series a PromQL query returns now
  curl -s --max-time 5 --get "$prom_url/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]["result"]))' 2> /dev/null || echo 0
}
for _ in $(seq 1 120); do
  kill -0 "$agent_pid" 2> /dev/null || { cat "$work/agent.log" >&2; echo "the agent exited" >&2; exit 1; }
  kill -0 "$prom_pid" 2> /dev/null || { cat "$work/prometheus.log" >&2; echo "prometheus exited" >&2; exit 1; }
  [ "$(series 'fleet_machine_power_watts')" -ge 3 ] && break
  sleep 1
done
[ "$(series 'fleet_machine_power_watts')" -ge 3 ] || { tail -n 30 "$work/agent.log" "$work/silo.log" >&2; echo "no power in Prometheus" >&2; exit 1; }
log "power of 3 machines in Prometheus; collecting ${collect_seconds}s of data"
sleep "$collect_seconds"
kill -0 "$agent_pid" 2> /dev/null || { cat "$work/agent.log" >&2; echo "the agent exited" >&2; exit 1; }

# --- screenshots -----------------------------------------------------------------------------
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# shot NAME RANGE EXPR: Prometheus' graph tab for EXPR over the last RANGE (e.g. 2m).
shot() {
  local name=$1 range=$2 expr=$3 raw="$work/$1.raw.png" png="$out_dir/$1.png"
  local url="$prom_url/graph?g0.expr=$(urlencode "$expr")&g0.tab=0&g0.stacked=0&g0.show_exemplars=0&g0.range_input=$range"
  mkdir -p "$out_dir"
  rm -rf "$work/chromium"
  mkdir -p "$work/chromium"
  # The graph page is a React app: --virtual-time-budget lets it fetch and draw before the shot.
  # timeout: a hung headless browser must not hang the script (the trap still cleans up).
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$work/chromium" \
    --window-size=1400,900 --virtual-time-budget=10000 --screenshot="$raw" "$url" \
    > "$work/chromium-$name.log" 2>&1 || { cat "$work/chromium-$name.log" >&2; echo "chromium failed" >&2; exit 1; }
  [ -s "$raw" ] || { cat "$work/chromium-$name.log" >&2; echo "no screenshot" >&2; exit 1; }
  # A 64-colour palette PNG keeps the file small (~50 KB) and the text sharp.
  "$convert" "$raw" -colors 64 -strip "PNG8:$png"
  log "wrote ${png#"$repo"/} ($(du -k "$png" | cut -f1) KB)"
}

shot prometheus-machine-power 2m 'fleet_machine_power_watts'
# Sockets 4-6 have no machine (machine=""): leave them out of the per-machine sum.
shot prometheus-machine-energy-rate 1m 'sum by (machine) (rate(fleet_socket_energy_joules_total{machine!=""}[30s]))'
log "done"
