"""Fuzzing the served API (seeded, so a failure repeats): no 5xx, every error coded, none INTERNAL.

GraphQL documents come from hypothesis-graphql over the served schema (valid
ones and invalid ones); Cypher texts from a small grammar of clauses,
patterns and hostile fragments. benchmarks/fuzz_graphql.py runs the same
checks ten thousand times.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema
from starlette.testclient import TestClient

from clusterkg.graphql.context import ApiSettings
from clusterkg.graphql.schema import schema_sdl
from clusterkg.web.app import create_app
from tests.fuzzing import ANALYST_CODES, custom_scalars, cypher_texts, graphql_problems

FUZZ_SETTINGS = ApiSettings(max_solver_seconds=0.5, max_matching_parties=20, timeout_ms=2_000, analyst_timeout_ms=2_000)


@pytest.fixture(scope="module")
def client(xs_graph):
    with TestClient(create_app(store=xs_graph, api_settings=FUZZ_SETTINGS)) as test_client:
        yield test_client


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    query=st.one_of(
        *(
            from_schema(schema_sdl(), mode=mode, custom_scalars=custom_scalars())
            for mode in (Mode.POSITIVE, Mode.NEGATIVE)
        )
    )
)
def test_graphql_never_fails_uncoded(client, query):
    response = client.post("/graphql", json={"query": query})
    assert graphql_problems(response) == [], query


@settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=cypher_texts())
def test_cypher_endpoint_never_fails_uncoded(client, text):
    response = client.post("/cypher/run", json={"query": text, "timeoutMs": 1000})
    assert response.status_code in (200, 400, 429), (text, response.status_code, response.text)
    if response.status_code != 200:
        assert response.json()["error"]["code"] in ANALYST_CODES, (text, response.text)
