"""`clusterkg query` and `stats`: read-only, plan prefixes handled by the engine's calls, clear errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from clusterkg.errors import QueryError, QueryTimeout, ReadOnlyViolation
from clusterkg.graph.store import split_plan_prefix
from clusterkg.loaders.reference import load_reference
from tests.helpers import run_cli


@pytest.fixture()
def cli_env(server, store):
    """Environment that points the CLI at the test's own graph on the session server."""
    url = f"redis://:{server.password}@127.0.0.1:{server.port}?graph={store.graph_name}"
    return {"CLUSTERKG_GRAPH_URL": url}


def _count(store) -> int:
    return store.read("MATCH (n) RETURN count(n) AS c").scalar()


def test_a_write_through_query_is_refused_and_the_graph_is_unchanged(store, cli_env):
    store.write("CREATE (:Country {code: 'XX', name: 'Before'})")
    for text in (
        "CREATE (:Country {code: 'YY'})",
        "MATCH (c:Country) SET c.name = 'After'",
        "MATCH (c) DETACH DELETE c",
        "MERGE (:Country {code: 'ZZ'})",
    ):
        result = run_cli("query", text, env=cli_env)
        assert result.returncode == 1
        assert "only read-only queries" in result.stderr
        assert "Traceback" not in result.stderr
    assert store.read("MATCH (c:Country) RETURN c.code AS code, c.name AS name").rows == [
        {"code": "XX", "name": "Before"}
    ]


@pytest.mark.parametrize("prefix", ["EXPLAIN", "explain", "  PROFILE", "// a comment\nEXPLAIN", "/* c */ Explain"])
def test_plan_prefix_is_split_off(prefix):
    mode, body = split_plan_prefix(f"{prefix} MATCH (n) RETURN n")
    assert mode == prefix.split()[-1].lower() if "/*" not in prefix else mode == "explain"
    assert body == "MATCH (n) RETURN n"
    assert split_plan_prefix("MATCH (explain) RETURN explain") == (None, "MATCH (explain) RETURN explain")


def test_explain_never_reaches_falkordb_as_query_text(store, cli_env):
    # FalkorDB ignores an EXPLAIN prefix and RUNS the query: had the text
    # reached it, these would create nodes.
    for form in ("EXPLAIN", "PROFILE"):  # refused in every form: the plan says Create
        result = run_cli("query", f"{form} CREATE (:ShouldNotExist {{n: 1}})", env=cli_env)
        message = " ".join(result.stderr.split())
        assert result.returncode == 1 and "its plan writes (Create)" in message and f"also under {form}" in message, (
            result.stderr
        )
    assert "Project" in run_cli("query", "EXPLAIN MATCH (n) RETURN n.code", env=cli_env, check=True).stdout
    for call in (store.read, store.write):
        with pytest.raises(QueryError, match="EXPLAIN must go through"):
            call("EXPLAIN CREATE (:ShouldNotExist {n: 3})")
    assert _count(store) == 0


def test_profile_of_a_read_shows_the_plan_with_counts(store, cli_env):
    store.write("UNWIND range(1, 5) AS i CREATE (:Country {code: toString(i)})")
    result = run_cli("query", "PROFILE MATCH (c:Country) RETURN c.code", env=cli_env, check=True)
    assert "Records produced: 5" in result.stdout


def test_parameters_formats_and_rows(store, cli_env):
    store.write(
        "UNWIND range(1, 3) AS i CREATE (:Region {nuts: 'R' + toString(i), level: i, name: 'Région ' + toString(i)})"
    )
    query = "MATCH (r:Region) WHERE r.level >= $min AND r.nuts IN $codes RETURN r.nuts AS nuts, r.name AS name ORDER BY nuts"
    args = ("query", query, "-p", "min=2", "-p", 'codes=["R1","R2","R3"]')
    as_json = json.loads(run_cli(*args, "--format", "json", env=cli_env, check=True).stdout)
    assert as_json == [{"nuts": "R2", "name": "Région 2"}, {"nuts": "R3", "name": "Région 3"}]
    as_csv = list(csv.DictReader(io.StringIO(run_cli(*args, "--format", "csv", env=cli_env, check=True).stdout)))
    assert as_csv == as_json
    table = run_cli(*args, env=cli_env, check=True)
    assert "Région 3" in table.stdout and "2 rows" in table.stderr
    bad = run_cli("query", "RETURN 1", "-p", "no-equals-sign", env=cli_env)
    assert bad.returncode == 1 and "name=value" in bad.stderr


def test_syntax_error_shows_the_engine_message_and_position(cli_env):
    result = run_cli("query", "MATCH (r:Region RETURN r", env=cli_env)
    assert result.returncode == 1
    assert "line 1, column" in result.stderr and "Traceback" not in result.stderr


def test_slow_read_is_stopped_by_the_time_limit(store, cli_env):
    # streams 25M rows (about 2 s unbounded); a single huge range() would be
    # built before the engine first checks its clock
    slow = "UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b WITH a, b WHERE (a * b) % 7 = 3 RETURN count(*) AS c"
    with pytest.raises(QueryTimeout):
        store.read(slow, timeout_ms=100)
    result = run_cli("query", slow, "--timeout", "100", env=cli_env)
    assert result.returncode == 1 and "time limit" in result.stderr


def test_read_only_is_enforced_by_the_store_itself(store):
    with pytest.raises(ReadOnlyViolation):
        store.read("CREATE (:Country {code: 'QQ'})")
    assert _count(store) == 0


def test_stats_match_the_graph(store, cli_env, reference_data):
    load_reference(store, reference_data)
    result = json.loads(run_cli("stats", "--format", "json", env=cli_env, check=True).stdout)
    labels = {r["label"]: r["count"] for r in result["nodes"]}
    for label, records in reference_data.nodes.items():
        if label != "Competence":  # plus the taxonomy's, loaded from files
            assert labels[label] == len(records)
    graph_counts = {
        r["label"]: r["c"] for r in store.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS c").rows
    }
    assert labels == graph_counts
    rels = {(r["type"], r["from_label"], r["to_label"]): r["count"] for r in result["relationships"]}
    for rel in reference_data.relationships:
        assert rels[(rel.rel_type, rel.source_label, rel.target_label)] == len(rel.records)
