#!/usr/bin/env bash
# Starts a Stratus node, like kafka-server-start.sh:
#   bin/stratus-server.sh [config/server.properties] [--override key=value ...]
# Builds the server first when it has not been built or its sources changed (needs only Java 17).
# Environment: STRATUS_HEAP_OPTS (default -Xmx1g), STRATUS_OPTS (more JVM options), JAVA_HOME.
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

ARGS=("$@")
if [[ ${#ARGS[@]} -eq 0 || "${ARGS[0]}" == --* ]]; then
  ARGS=("$ROOT/config/server.properties" "${ARGS[@]+"${ARGS[@]}"}")
fi

JAVA="java"
[[ -n "${JAVA_HOME:-}" ]] && JAVA="$JAVA_HOME/bin/java"

# exec: the JVM becomes this process, so SIGTERM reaches it and starts a graceful shutdown.
exec "$JAVA" ${STRATUS_HEAP_OPTS:--Xmx1g} ${STRATUS_OPTS:-} \
  -cp "$JAR:$LIB/*" dev.stratus.server.ServerMain "${ARGS[@]}"
