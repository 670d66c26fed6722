#!/usr/bin/env bash
# Stratus against Apache Kafka on this machine (docs/benchmarks.md, "Apache Kafka comparison"):
# builds the server and the bench, copies Kafka (the root pom's kafka.version) from Maven Central
# with bench/kafka/pom.xml, then runs Kafka (page cache, then fsync), Stratus (file WAL, then
# object WAL on s3proxy) one at a time through the same workloads, and rewrites the results
# section of docs/benchmarks.md and its plots in docs/img.
#   bench/run-vs-kafka.sh                 # the whole comparison (under 20 minutes on 2 cores)
#   bench/run-vs-kafka.sh --quick         # shortened phases; results only in bench/target/compare
#   bench/run-vs-kafka.sh --systems kafka,stratus-file-wal   # a subset (results only in bench/target/compare)
#   bench/run-vs-kafka.sh --systems stratus-file-wal --server-heap 1g   # both servers at another heap
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' pom.xml | head -1)"
S3PROXY_VERSION="$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml | head -1)"
./mvnw -q -B -DskipTests -pl bench,server -am package
./mvnw -q -B -f bench/kafka/pom.xml -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies
# The harness JVM runs the clients and s3proxy (whose objects live on disk under bench/target/compare).
exec java -Xmx3g -XX:+UseG1GC -Djava.awt.headless=true -Dstratus.root="$ROOT" -Dkafka.version="$KAFKA_VERSION" -Ds3proxy.version="$S3PROXY_VERSION" \
  -cp "$ROOT/bench/target/classes:$ROOT/bench/target/lib/*" dev.stratus.bench.compare.CompareMain "$@"
