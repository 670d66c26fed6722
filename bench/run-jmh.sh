#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of the bench module; arguments go to JMH, e.g.
#   bench/run-jmh.sh WalAppendBenchmark -t 8 -p recordBytes=1024
#   bench/run-jmh.sh ObjectFormatBenchmark -f 1 -wi 2 -i 3
# Without arguments, runs everything with settings that fit a few minutes on 2 cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$ROOT" && ./mvnw -q -B -DskipTests -pl bench -am package)
ARGS=("$@")
[[ ${#ARGS[@]} -eq 0 ]] && ARGS=(-f 1 -wi 2 -w 3s -i 3 -r 5s)
exec java -Dstratus.bench.dir="$ROOT/bench/target" -cp "$ROOT/bench/target/classes:$ROOT/bench/target/lib/*" org.openjdk.jmh.Main "${ARGS[@]}"
