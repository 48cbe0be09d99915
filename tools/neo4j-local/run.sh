#!/usr/bin/env bash
# Start the local Neo4j (after `make neo4j-local`): prints NEO4J_URL=neo4j://neo4j:<password>@127.0.0.1:<port> when ready.
#   tools/neo4j-local/run.sh [DATA_DIR]      Ctrl+C (or closing stdin) stops it
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ -f "$here/target/classpath.txt" ] || { echo "build it first: make neo4j-local" >&2; exit 1; }
exec java ${NEO4J_LOCAL_JAVA_OPTS:--Xmx1g} -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.clusterkg.neo4jlocal.Launcher "$@"
