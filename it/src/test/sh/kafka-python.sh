#!/usr/bin/env bash
# Runs a kafka-python program (Debian's python3-kafka) against a Stratus node; installs the
# package when missing. Usage: kafka-python.sh SCRIPT ARGS...
set -euo pipefail
if ! /usr/bin/python3 -c 'import kafka' >/dev/null 2>&1; then
  SUDO=""
  [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get install -y -qq python3-kafka >/dev/null
fi
exec /usr/bin/python3 "$@"
