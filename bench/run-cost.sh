#!/usr/bin/env bash
# The storage cost run: 1 GiB through the engine into s3proxy, then catch-up reads and
# compaction, printing object storage requests per GiB. Options as system properties:
#   bench/run-cost.sh -Dstratus.cost.bytes=268435456 -Dstratus.cost.batch.bytes=16384
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$ROOT" && ./mvnw -q -B -DskipTests -pl bench -am package)
exec java -Xmx6g -Dstratus.bench.dir="$ROOT/bench/target" "$@" \
  -cp "$ROOT/bench/target/classes:$ROOT/bench/target/lib/*" dev.stratus.bench.cost.StorageCostRun
