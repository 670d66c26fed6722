#!/usr/bin/env bash
# Formats data directories, like kafka-storage.sh:
#   bin/stratus-storage.sh random-uuid
#   bin/stratus-storage.sh format -t CLUSTER_ID -c config/server.properties [--ignore-formatted]
# Builds the server first when it has not been built or its sources changed (needs only Java 17).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/server/target/lib"
JAR="$ROOT/server/target/stratus-server.jar"

needs_build() {
  [[ ! -f "$JAR" || ! -d "$LIB" ]] && return 0
  [[ -n "$(find "$ROOT" -path '*/src/main/*' -newer "$JAR" -type f -print -quit 2>/dev/null)" ]] && return 0
  [[ -n "$(find "$ROOT" -maxdepth 2 -name pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ]] && return 0
  return 1
}

if needs_build; then
  echo "Building Stratus (./mvnw package, tests skipped)..." >&2
  (cd "$ROOT" && ./mvnw -q -B -DskipTests -pl server -am package) >&2
fi

JAVA="java"
[[ -n "${JAVA_HOME:-}" ]] && JAVA="$JAVA_HOME/bin/java"

exec "$JAVA" -Xmx256m -cp "$JAR:$LIB/*" dev.stratus.server.StorageTool "$@"
