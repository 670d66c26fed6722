#!/usr/bin/env bash
# Runs a kafka-python program (Debian's python3-kafka) against a Stratus node; installs the
# package when missing. Usage: kafka-python.sh SCRIPT ARGS...
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/ensure-debian-package.sh" python3-kafka /usr/bin/python3 -c 'import kafka'
exec /usr/bin/python3 "$@"
