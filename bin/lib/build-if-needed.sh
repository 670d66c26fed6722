# Sourced by the bin/ scripts: sets ROOT, LIB, JAR and JAVA, and builds the server first when it
# has not been built or its sources or poms changed since (needs only Java 17).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
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
if [[ -n "${JAVA_HOME:-}" ]]; then
  JAVA="$JAVA_HOME/bin/java"
fi
