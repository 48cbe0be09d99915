// Lint Cypher texts with Neo4j's own front-end (parser + semantic analysis), offline.
// stdin: {"schema": {labels, relationshipTypes, propertyKeys}, "queries": [{name, text, params, catalog}]}
//   catalog "portable": functions/procedures both engines have (portable_catalog.json,
//   the intersection of Neo4j 5's catalog and FalkorDB 4.16's); "neo4j": Neo4j 5's
//   (the package's testData.mockSchema, a dump of a real server).
// stdout: [{name, diagnostics: [{severity: "error"|"warning", message, line, column}]}]
import { readFileSync } from "node:fs";
import { lintCypherQuery, testData } from "@neo4j-cypher/language-support";

const input = JSON.parse(readFileSync(0, "utf8"));
const portable = JSON.parse(readFileSync(new URL("./portable_catalog.json", import.meta.url), "utf8"));
const catalogs = {
  portable: { functions: portable.functions, procedures: portable.procedures },
  neo4j: { functions: testData.mockSchema.functions, procedures: testData.mockSchema.procedures },
};
const results = input.queries.map((query) => {
  const catalog = catalogs[query.catalog];
  if (!catalog) throw new Error(`unknown catalog ${query.catalog}`);
  const dbSchema = { ...input.schema, ...catalog, parameters: query.params ?? {}, defaultLanguage: "CYPHER 5" };
  const { diagnostics } = lintCypherQuery(query.text, dbSchema);
  return {
    name: query.name,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity === 1 ? "error" : d.severity === 2 ? "warning" : "info",
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(results));
