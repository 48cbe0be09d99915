"""Every Cypher text clusterkg can send: planned by FalkorDB, and checked by Neo4j 5's own front-end.

Neo4j cannot run here; its side is checked offline by `lintCypherQuery` of
@neo4j-cypher/language-support (Neo4j's parser and semantic analyser compiled
to JavaScript; ../shared/ENGINES.md §1), with the portable function catalog
for shared texts and Neo4j's catalog for Neo4j-only ones. FalkorDB plans each
text with GRAPH.EXPLAIN, which never executes it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from clusterkg.errors import QueryError
from clusterkg.queries.inventory import all_statements
from clusterkg.schema import NODES, RELATIONSHIPS, property_keys

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "tools" / "cypher-lint"
ARTIFACTS = ROOT / "test-artifacts"
# Keys of the loaders' parameter maps (row.anchor, t.id …): not graph properties, but read like them.
LOADER_ROW_KEYS = {"anchor", "target", "targets", "props", "dates", "key", "source", "id"}
# The only warning tolerated: FalkorDB cannot parse Neo4j's newer `CALL (a) { … }` form.
ALLOWED_WARNINGS = ("CALL subquery without a variable scope clause is deprecated",)


def lint(statements: list[dict]) -> list[dict]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed (the Neo4j front-end runs on Node.js; .ci/run installs it)")
    if not (LINT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.skip("tools/cypher-lint is not installed: run `npm ci` there (make test does)")
    schema = {
        "labels": sorted(NODES),
        "relationshipTypes": sorted(RELATIONSHIPS),
        "propertyKeys": sorted(property_keys() | LOADER_ROW_KEYS),
    }

    def run(chunk: list[dict]) -> list[dict]:
        done = subprocess.run(
            ["node", str(LINT / "lint.mjs")],
            input=json.dumps({"schema": schema, "queries": chunk}, default=str),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    halves = [statements[0::2], statements[1::2]]  # two processes: the analyser takes ~80 ms a text
    with ThreadPoolExecutor(2) as pool:
        return [r for part in pool.map(run, [h for h in halves if h]) for r in part]


@pytest.mark.slow  # 45 s of JVM; CI runs it with make test-slow
def test_every_statement_passes_neo4js_analyser():
    statements = [s for s in all_statements() if "neo4j" in s.engines]
    payload = [
        {"name": s.name, "text": s.text, "params": s.params, "catalog": "neo4j" if s.neo4j_only_catalog else "portable"}
        for s in statements
    ]
    results = lint(payload)
    assert len(results) == len(statements) > 300
    errors = [(r["name"], d) for r in results for d in r["diagnostics"] if d["severity"] == "error"]
    warnings = [(r["name"], d) for r in results for d in r["diagnostics"] if d["severity"] == "warning"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "cypher-lint.json").write_text(
        json.dumps({"checked": len(results), "errors": errors, "warnings": warnings}, indent=1), encoding="utf-8"
    )
    assert errors == [], errors[:5]
    unexpected = [(name, d["message"]) for name, d in warnings if not d["message"].startswith(ALLOWED_WARNINGS)]
    assert unexpected == [], unexpected[:5]


def test_the_analyser_catches_what_one_engine_would_refuse():
    results = lint(
        [
            {"name": "lower() is Neo4j-only", "text": "RETURN lower('A') AS a", "params": {}, "catalog": "portable"},
            {
                "name": "size of a pattern is removed in Neo4j 5",
                "text": "MATCH (a:Cluster) RETURN size((a)-->()) AS n",
                "params": {},
                "catalog": "portable",
            },
            {
                "name": "FalkorDB's procedure on Neo4j",
                "text": "CALL db.idx.fulltext.queryNodes('Cluster', 'x') YIELD node RETURN node",
                "params": {},
                "catalog": "neo4j",
            },
        ]
    )
    assert all(any(d["severity"] == "error" for d in r["diagnostics"]) for r in results), results


def test_every_statement_plans_on_falkordb(reference_copy):
    statements = [s for s in all_statements() if "falkordb" in s.engines]
    assert len(statements) > 300
    for statement in statements:
        plan = reference_copy.explain(statement.text, statement.params)
        assert plan.lines, statement.name
    for text in ("RETURN lower('A') AS a", "MATCH (a:Cluster) RETURN EXISTS { MATCH (a)-->() } AS e"):
        with pytest.raises(QueryError):
            reference_copy.explain(text)
