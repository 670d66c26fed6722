#!/usr/bin/env bash
# Formats data directories, like kafka-storage.sh:
#   bin/stratus-storage.sh random-uuid
#   bin/stratus-storage.sh format -t CLUSTER_ID -c config/server.properties [--ignore-formatted]
# Builds the server first when it has not been built or its sources changed (needs only Java 17).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/build-if-needed.sh"

exec "$JAVA" -Xmx256m -cp "$JAR:$LIB/*" dev.stratus.server.StorageTool "$@"
