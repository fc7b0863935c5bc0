#!/usr/bin/env bash
# Makes sure the system tools the tests use are installed: PostgreSQL (real database in tests),
# socat (real serial pty pairs), python3 (the independent capture generator), promtool (from
# prometheus: checks and unit-tests deploy/prometheus) and docker-compose (validates
# deploy/docker-compose.yml without a daemon).
# As root it installs what is missing with apt-get; otherwise it prints the exact command.
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || missing+=(postgresql)
command -v socat > /dev/null || missing+=(socat)
command -v python3 > /dev/null || missing+=(python3)
command -v runuser > /dev/null || missing+=(util-linux)
command -v promtool > /dev/null || missing+=(prometheus)
command -v docker-compose > /dev/null || missing+=(docker-compose)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
