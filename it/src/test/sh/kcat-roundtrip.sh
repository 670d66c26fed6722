#!/usr/bin/env bash
# librdkafka through kcat against a server started with the README's first command:
# produce lines, consume them back, compare, then SIGTERM and expect a clean exit.
# Usage: kcat-roundtrip.sh PORT DATA_DIR   (run by KcatShellTest; installs kcat when missing)
set -euo pipefail

PORT="$1"
DATA_DIR="$2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
BOOTSTRAP="127.0.0.1:$PORT"
TOPIC="kcat-roundtrip"

"$(dirname "${BASH_SOURCE[0]}")/ensure-debian-package.sh" kcat command -v kcat

"$ROOT/bin/stratus-server.sh" "$ROOT/config/server.properties" \
  --override "listeners=PLAINTEXT://$BOOTSTRAP" --override "log.dirs=$DATA_DIR" \
  --override "wal.capacity.bytes=134217728" >"$DATA_DIR.server.log" 2>&1 &
SERVER=$!
trap 'kill -9 $SERVER 2>/dev/null || true' EXIT

for _ in $(seq 1 600); do
  if kcat -b "$BOOTSTRAP" -L -m 1 >/dev/null 2>&1; then break; fi
  kill -0 $SERVER 2>/dev/null || { echo "server exited during startup"; cat "$DATA_DIR.server.log"; exit 1; }
  sleep 0.2
done

seq 1 1000 | sed 's/^/line-/' > "$DATA_DIR.expected"
# Auto-creation on produce; acks=all and idempotence as librdkafka users set them.
kcat -b "$BOOTSTRAP" -P -t "$TOPIC" -X enable.idempotence=true -X acks=all -l "$DATA_DIR.expected"
kcat -b "$BOOTSTRAP" -C -t "$TOPIC" -o beginning -e -q -c 1000 > "$DATA_DIR.actual"

if ! diff -q "$DATA_DIR.expected" "$DATA_DIR.actual" >/dev/null; then
  echo "kcat read back something else than it wrote:"
  diff "$DATA_DIR.expected" "$DATA_DIR.actual" | head -20
  exit 1
fi
kcat -b "$BOOTSTRAP" -L -t "$TOPIC" | grep -q "topic \"$TOPIC\" with 1 partitions"

# A balanced consumer in a group (librdkafka's high-level consumer) reads everything and commits;
# the same group then resumes at its committed offset and finds nothing new.
kcat -b "$BOOTSTRAP" -G kcat-group -X auto.offset.reset=earliest -e -q "$TOPIC" > "$DATA_DIR.group"
if ! diff -q "$DATA_DIR.expected" "$DATA_DIR.group" >/dev/null; then
  echo "kcat -G read back something else than was written:"
  diff "$DATA_DIR.expected" "$DATA_DIR.group" | head -20
  exit 1
fi
kcat -b "$BOOTSTRAP" -G kcat-group -X auto.offset.reset=earliest -e -q "$TOPIC" > "$DATA_DIR.group-again"
if [[ -s "$DATA_DIR.group-again" ]]; then
  echo "kcat -G did not resume at the committed offset: it read $(wc -l < "$DATA_DIR.group-again") records again"
  exit 1
fi

kill -TERM $SERVER
STATUS=0
wait $SERVER || STATUS=$?
trap - EXIT
if [[ $STATUS -ne 0 ]]; then
  echo "server exited with $STATUS after SIGTERM"
  cat "$DATA_DIR.server.log"
  exit 1
fi
echo "kcat round trip OK"
