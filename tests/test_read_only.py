"""Read-only by construction: more than a hundred ways to write through the read-only doors, all refused.

Each attempt goes through the CLI (`clusterkg query`, in process), the
analyst endpoint (`POST /cypher/run`) and GraphQL (as argument values, where
it can only be data); afterwards the graph has the same content hash and the
same indexes as before.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from clusterkg.cli import app as cli_app
from clusterkg.errors import ClusterKGError, QueryError, ReadOnlyViolation
from clusterkg.queries.adhoc import run_adhoc
from clusterkg.schema.content import content_hash
from clusterkg.web.app import create_app

WRITES = [
    "CREATE (:Pwned {n: 1})",
    "MERGE (:Pwned {n: 1})",
    "MATCH (c:Country {code: 'IT'}) SET c.name = 'pwned'",
    "MATCH (c:Country {code: 'IT'}) SET c:Pwned",
    "MATCH (c:Country {code: 'IT'}) REMOVE c.name",
    "MATCH (c:Country {code: 'IT'}) DELETE c",
    "MATCH (c:Country {code: 'IT'}) DETACH DELETE c",
    "FOREACH (i IN [1] | CREATE (:Pwned))",
    "CALL { CREATE (:Pwned) RETURN 1 AS one } RETURN one",
    "MATCH (c:Country) WITH c LIMIT 1 CALL { WITH c SET c.name = 'x' RETURN c.name AS n } RETURN n",
    "MATCH (c:Country {code: 'IT'}) MERGE (c)-[:PWNED]->(c)",
    "UNWIND [1, 2] AS i CREATE (:Pwned {i: i})",
    "WITH 1 AS x CREATE (:Pwned)",
    "MATCH (c:Country) WHERE c.code = $code SET c.name = $name",
    "CREATE INDEX FOR (n:Pwned) ON (n.x)",
    "DROP INDEX ON :Cluster(nuts)",
    "CREATE FULLTEXT INDEX FOR (n:Pwned) ON (n.x)",
    "CALL db.idx.fulltext.drop('Cluster')",
    "CALL db.idx.fulltext.createNodeIndex({label: 'Cluster', language: 'german'}, 'x')",
    "CALL db.idx.fulltext.createNodeIndex('Pwned', 'x')",
    "CALL /* hidden */ db.idx.fulltext.drop('Region')",
    "CALL `db`.`idx`.`fulltext`.`drop`('Competence')",
    "MATCH (n:Country) WITH n LIMIT 1 CALL db.idx.fulltext.drop('Organisation') RETURN n.code",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
]
FORMS = ["{q}", "EXPLAIN {q}", "PROFILE {q}", "  profile\n{q}", "/* a comment */ explain {q}", "// a line\nPROFILE {q}"]
CORPUS = [form.format(q=write) for write in WRITES for form in FORMS] + [w.lower() for w in WRITES[:8]]
PARAMS = {"code": "IT", "name": "pwned"}


@pytest.fixture(scope="module")
def guarded(server, reference_data):
    """A graph with the reference data and its fingerprint: content hash and index list."""
    from tests.conftest import drop, reference_graph

    store = reference_graph(server, reference_data, "readonly")
    before = (content_hash(store).hexdigest, sorted(map(repr, store.indexes())))
    yield store, before
    drop(store)


def _unchanged(store, before) -> None:
    assert (content_hash(store).hexdigest, sorted(map(repr, store.indexes()))) == before


def test_the_corpus_is_large():
    assert len(CORPUS) >= 100


@pytest.mark.parametrize("text", CORPUS)
def test_every_attempt_is_refused_by_run_adhoc(guarded, text):
    store, _ = guarded
    with pytest.raises((ReadOnlyViolation, QueryError)):
        run_adhoc(store, text, PARAMS, timeout_ms=5_000)


def test_the_cli_refuses_every_attempt_and_changes_nothing(guarded, server):
    store, before = guarded
    runner = CliRunner()
    env = {"CLUSTERKG_GRAPH_URL": f"redis://:{server.password}@127.0.0.1:{server.port}?graph={store.graph_name}"}
    for text in CORPUS:
        result = runner.invoke(cli_app, ["query", text, "-p", "code=IT", "-p", "name=pwned"], env=env)
        assert result.exit_code != 0 and isinstance(result.exception, ClusterKGError), (
            text,
            result.output,
            result.exception,
        )
    _unchanged(store, before)


def test_the_analyst_endpoint_refuses_every_attempt_and_changes_nothing(guarded):
    store, before = guarded
    with TestClient(create_app(store=store)) as client:
        for text in CORPUS:
            response = client.post("/cypher/run", json={"query": text, "params": PARAMS})
            assert response.status_code == 400 and response.json()["error"]["code"] in ("READ_ONLY", "ENGINE"), (
                text,
                response.text,
            )
    _unchanged(store, before)


def test_graphql_takes_the_attempts_as_data_and_changes_nothing(guarded):
    store, before = guarded
    fields = [  # (field, type of its argument, selection)
        ("search", "String!", "search(text: $v) { score }"),
        ("cluster", "ID!", "cluster(id: $v) { id }"),
        ("region", "String!", "region(nuts: $v) { nuts }"),
        ("regions", "String", "regions(country: $v) { nuts }"),
        ("partnerSearch", "ID!", "partnerSearch(input: {seekerId: $v}) { score }"),
    ]
    with TestClient(create_app(store=store)) as client:
        for text in CORPUS[::3]:
            for name, argument, selection in fields:
                body = client.post(
                    "/graphql", json={"query": f"query($v: {argument}) {{ {selection} }}", "variables": {"v": text}}
                ).json()
                codes = {e["extensions"]["code"] for e in body.get("errors", [])}
                assert codes <= {"BAD_USER_INPUT", "NOT_FOUND"}, (name, text, body)
    _unchanged(store, before)
