#!/usr/bin/env bash
# Refresh the analyst page's vendored libraries from npm (versions pinned in package.json).
# Built files only, each with its licence; nothing is built at install time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../../clusterkg/web/static/vendor"
cd "$here"
npm install --no-audit --no-fund --loglevel=error
rm -rf "$target"
mkdir -p "$target/codemirror" "$target/cytoscape"
cm=node_modules/codemirror
cp "$cm/lib/codemirror.js" "$cm/lib/codemirror.css" "$cm/mode/cypher/cypher.js" \
   "$cm/addon/hint/show-hint.js" "$cm/addon/hint/show-hint.css" "$cm/LICENSE" "$target/codemirror/"
cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape/LICENSE "$target/cytoscape/"
{
  echo "Vendored by tools/vendor/refresh.sh from npm; do not edit."
  node -e 'for (const p of ["codemirror", "cytoscape"]) { const m = require(`./node_modules/${p}/package.json`); console.log(`${m.name} ${m.version} (${m.license}): ${m.homepage || m.repository?.url || ""}`); }'
} > "$target/VERSIONS.txt"
echo "vendored into $target:"
cat "$target/VERSIONS.txt"
