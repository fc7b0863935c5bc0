#!/usr/bin/env bash
# `fleet decode --raw` end to end (process start included) on three 1-million-frame captures
# made by the independent generator with different seeds, against a baseline build of the CLI
# from before parallel formatting (BASELINE, a git revision), alternating A B A B so both see the
# same machine. Usage: bash bench/decode-cli.sh [frames] [plugs] [runs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
frames=${1:-1000000}
plugs=${2:-6}
runs=${3:-5}
baseline=${BASELINE:-34b647a}
work=$(mktemp -d /tmp/fleet-bench.XXXXXX)
trap 'git worktree remove --force "$work/baseline" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "building this checkout and the baseline ($baseline) in Release..." >&2
dotnet build -c Release --nologo -v q src/Cli/Cli.csproj > /dev/null
git worktree add --detach "$work/baseline" "$baseline" > /dev/null 2>&1
dotnet build -c Release --nologo -v q "$work/baseline/src/Cli/Cli.csproj" > /dev/null
current=src/Cli/bin/Release/net10.0/Fleet.Cli.dll
before="$work/baseline/src/Cli/bin/Release/net10.0/Fleet.Cli.dll"

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null 2>&1; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '| capture (seed) | baseline s (median) | parallel s (median) | baseline / parallel |\n|---|---:|---:|---:|\n'
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
  ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
  printf '| %s | %.2f | %.2f | %.2f× |\n' "$seed" "$mb" "$ma" "$(awk -v x="$mb" -v y="$ma" 'BEGIN { print x / y }')"
done
