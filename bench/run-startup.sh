#!/usr/bin/env bash
# Single-node startup time: starts bin/stratus-server.sh on a fresh data directory RUNS times and
# prints, per run, the milliseconds from launch until the Kafka port accepts connections, then
# the median. With a second argument, measures another checkout (to compare two commits on the
# same machine in the same run):
#   bench/run-startup.sh [RUNS] [STRATUS_ROOT]
set -euo pipefail
RUNS="${1:-5}"
ROOT="${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
PORT=19092
(cd "$ROOT" && ./mvnw -q -B -DskipTests -pl server -am package) >&2
times=()
for run in $(seq 1 "$RUNS"); do
  DATA="$(mktemp -d)"
  start=$(date +%s%N)
  "$ROOT/bin/stratus-server.sh" "$ROOT/config/server.properties" --override "log.dirs=$DATA" \
    --override "listeners=PLAINTEXT://127.0.0.1:$PORT" > "$DATA.log" 2>&1 &
  pid=$!
  until (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited; see $DATA.log" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $run: ${ms} ms"
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$DATA" "$DATA.log"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median: ${sorted[$(( RUNS / 2 ))]} ms over $RUNS runs ($ROOT)"
