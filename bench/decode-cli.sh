#!/usr/bin/env bash
# Times `./fleet decode --raw` end to end (process start included) on a 1-million-frame capture
# made by the independent generator. Usage: bash bench/decode-cli.sh [frames] [plugs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
frames=${1:-1000000}
plugs=${2:-6}
work=$(mktemp -d /tmp/fleet-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "generating $frames frames, $plugs plugs (omegawatt-gen.py)..." >&2
python3 tools/omegawatt-gen.py "$work/capture" --frames "$frames" --plugs "$plugs" --seed 99
./fleet decode --raw "$work/capture.bin" > /dev/null 2>&1   # build once, warm the page cache

for run in 1 2 3 4 5; do
  start=$(date +%s.%N)
  ./fleet decode --raw "$work/capture.bin" -o "$work/out.csv" 2> /dev/null
  end=$(date +%s.%N)
  echo "run $run: $(echo "$end $start" | awk '{printf "%.2f", $1 - $2}') s"
done
echo "rows: $(($(wc -l < "$work/out.csv") - 1)) (expected $(($(wc -l < "$work/capture.expected.csv") - 1)))"
