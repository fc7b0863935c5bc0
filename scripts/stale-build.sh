#!/usr/bin/env bash
# The one rule for "is this build stale": prints why OUTPUT must be rebuilt (it is missing, or the
# first build input newer than it) and nothing when it is up to date. Build inputs are the sources,
# projects, props/targets, SQL migrations and JSON settings under src/, and the repository's
# Directory.*.props and global.json (a version bump in Directory.Packages.props is a rebuild too).
# The ./fleet launcher (for the CLI) and `fleet up`/`fleet demo` (for the silo and agent) both ask it.
#
#   stale-build.sh OUTPUT
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: stale-build.sh OUTPUT" >&2; exit 2; }
output=$1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ ! -f "$output" ]; then
  echo "$output is missing"
  exit 0
fi

find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json" \
  \( -name bin -o -name obj \) -prune -o \
  -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.sql' -o -name '*.json' \) \
  -newer "$output" -print -quit
