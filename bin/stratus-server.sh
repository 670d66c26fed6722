#!/usr/bin/env bash
# Starts a Stratus node, like kafka-server-start.sh:
#   bin/stratus-server.sh [config/server.properties] [--override key=value ...]
# Builds the server first when it has not been built or its sources changed (needs only Java 17).
# Environment: STRATUS_HEAP_OPTS (default -Xmx1g), STRATUS_OPTS (more JVM options), JAVA_HOME.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/build-if-needed.sh"

ARGS=("$@")
if [[ ${#ARGS[@]} -eq 0 || "${ARGS[0]}" == --* ]]; then
  ARGS=("$ROOT/config/server.properties" "${ARGS[@]+"${ARGS[@]}"}")
fi

# exec: the JVM becomes this process, so SIGTERM reaches it and starts a graceful shutdown.
exec "$JAVA" ${STRATUS_HEAP_OPTS:--Xmx1g} ${STRATUS_OPTS:-} \
  -cp "$JAR:$LIB/*" dev.stratus.server.ServerMain "${ARGS[@]}"
