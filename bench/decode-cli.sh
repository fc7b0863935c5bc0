#!/usr/bin/env bash
# `fleet decode --raw` end to end (process start included) on three 1-million-frame captures
# made by the independent generator with different seeds, against a baseline build of the CLI
# (BASELINE, a git revision: by default main before the Ryu float formatter), alternating B A B A
# so both see the same machine. Usage: BASELINE=<rev> bash bench/decode-cli.sh [frames] [plugs] [runs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
frames=${1:-1000000}
plugs=${2:-6}
runs=${3:-5}
baseline=${BASELINE:-1cde108}
work=$(mktemp -d /tmp/fleet-bench.XXXXXX)
trap 'git worktree remove --force "$work/baseline" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "building this checkout and the baseline ($baseline) in Release..." >&2
dotnet build -c Release --nologo -v q src/Cli/Cli.csproj > /dev/null
git worktree add --detach "$work/baseline" "$baseline" > /dev/null 2>&1
dotnet build -c Release --nologo -v q "$work/baseline/src/Cli/Cli.csproj" > /dev/null
current=src/Cli/bin/Release/net10.0/Fleet.Cli.dll
before="$work/baseline/src/Cli/bin/Release/net10.0/Fleet.Cli.dll"

# "wall cpu" seconds of one run (cpu = user + system): on a shared machine the CPU time moves less.
seconds() { /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > /dev/null 2>&1; awk '{ printf "%.3f %.3f", $1, $2 + $3 }' "$work/time"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }

printf '| capture (seed) | baseline (%s) wall s | this checkout wall s | baseline / this, wall | baseline cpu s | this cpu s |\n|---|---:|---:|---:|---:|---:|\n' "$baseline"
for seed in 7 99 2026; do
  python3 tools/omegawatt-gen.py "$work/capture-$seed" --frames "$frames" --plugs "$plugs" --seed "$seed" > /dev/null
  dotnet "$current" decode --raw "$work/capture-$seed.bin" -o "$work/out.csv" > /dev/null 2>&1   # warm the page cache
  cmp <(dotnet "$before" decode --raw "$work/capture-$seed.bin" 2> /dev/null) "$work/out.csv" > /dev/null \
    || { echo "seed $seed: the two builds wrote different CSV" >&2; exit 1; }
  a=(); b=()
  for _ in $(seq 1 "$runs"); do
    b+=("$(seconds dotnet "$before" decode --raw "$work/capture-$seed.bin" -o "$work/out.csv")")
    a+=("$(seconds dotnet "$current" decode --raw "$work/capture-$seed.bin" -o "$work/out.csv")")
  done
  wa=$(printf '%s\n' "${a[@]}" | cut -d' ' -f1 | median); wb=$(printf '%s\n' "${b[@]}" | cut -d' ' -f1 | median)
  ca=$(printf '%s\n' "${a[@]}" | cut -d' ' -f2 | median); cb=$(printf '%s\n' "${b[@]}" | cut -d' ' -f2 | median)
  printf '| %s | %.2f | %.2f | %s× | %.2f | %.2f |\n' "$seed" "$wb" "$wa" "$(ratio "$wb" "$wa")" "$cb" "$ca"
done
