#!/usr/bin/env bash
# Refresh the pages' vendored libraries from npm (versions pinned in package.json).
# Built files only, each with its licence; nothing is built at install time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../../clusterkg/web/static/vendor"
tests="$here/../../tests/vendor"
cd "$here"
npm install --no-audit --no-fund --loglevel=error
rm -rf "$target" "$tests"
mkdir -p "$target/codemirror" "$target/cytoscape" "$target/d3" "$target/plot" "$target/graphiql" "$target/react" "$tests"
cm=node_modules/codemirror
cp "$cm/lib/codemirror.js" "$cm/lib/codemirror.css" "$cm/mode/cypher/cypher.js" \
   "$cm/addon/hint/show-hint.js" "$cm/addon/hint/show-hint.css" "$cm/LICENSE" "$target/codemirror/"
cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape/LICENSE "$target/cytoscape/"
cp node_modules/d3/dist/d3.min.js node_modules/d3/LICENSE "$target/d3/"
cp node_modules/@observablehq/plot/dist/plot.umd.min.js node_modules/@observablehq/plot/LICENSE "$target/plot/"
cp node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css node_modules/graphiql/LICENSE "$target/graphiql/"
cp node_modules/react/umd/react.production.min.js "$target/react/"
cp node_modules/react-dom/umd/react-dom.production.min.js "$target/react/"
cp node_modules/react/LICENSE "$target/react/LICENSE"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$tests/"
{
  echo "Vendored by tools/vendor/refresh.sh from npm; do not edit."
  node -e 'for (const p of ["codemirror", "cytoscape", "d3", "@observablehq/plot", "graphiql", "react", "react-dom"]) { const m = require(`./node_modules/${p}/package.json`); console.log(`${m.name} ${m.version} (${m.license}): ${m.homepage || m.repository?.url || ""}`); }'
} > "$target/VERSIONS.txt"
node -e 'const m = require("./node_modules/axe-core/package.json"); console.log(`Vendored by tools/vendor/refresh.sh from npm for the accessibility tests; do not edit.\n${m.name} ${m.version} (${m.license}): ${m.homepage}`)' > "$tests/VERSIONS.txt"
echo "vendored into $target and $tests:"
cat "$target/VERSIONS.txt" "$tests/VERSIONS.txt"
