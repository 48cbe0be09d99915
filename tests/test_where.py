"""Composable filters, sorts and aggregates over GraphQL: every operator and sort against plain Cypher written here,
the generated forms' plans, and bad input refused with a clear message.

On the real embedded FalkorDB with the xs synthetic data; tests/test_neo4j_engine.py runs the same forms on Neo4j.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from clusterkg.queries.where import check_model, compile_page
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.test_postings import code, gql

CLUSTERS = """query($where: ClusterWhere, $sort: [ClusterSort!], $first: Int!) {
  clusters(where: $where, sort: $sort, first: $first) { totalCount edges { node { id } } } }"""

# (where, the same question in plain Cypher: ids of matching clusters)
CLUSTER_CASES = [
    ({"country": {"eq": "IT"}}, "MATCH (c:Cluster) WHERE c.country = 'IT' RETURN c.id AS id"),
    ({"country": {"in": ["IT", "ES"]}}, "MATCH (c:Cluster) WHERE c.country IN ['IT', 'ES'] RETURN c.id AS id"),
    (
        {"name": {"contains": "HYDROGEN"}},
        "MATCH (c:Cluster) WHERE toLower(c.name) CONTAINS 'hydrogen' RETURN c.id AS id",
    ),
    ({"nuts": {"startsWith": "DE"}}, "MATCH (c:Cluster) WHERE c.nuts STARTS WITH 'DE' RETURN c.id AS id"),
    (
        {"founded": {"gte": 2000, "lt": 2010}},
        "MATCH (c:Cluster) WHERE c.founded >= 2000 AND c.founded < 2010 RETURN c.id AS id",
    ),
    ({"founded": {"in": [1999, 2005]}}, "MATCH (c:Cluster) WHERE c.founded IN [1999, 2005] RETURN c.id AS id"),
    ({"membersTotal": {"gt": 30}}, "MATCH (c:Cluster) WHERE c.members_total > 30 RETURN c.id AS id"),
    ({"synthetic": {"eq": True}}, "MATCH (c:Cluster) WHERE c.synthetic = true RETURN c.id AS id"),
    ({"excellenceLabel": {"eq": "GOLD"}}, "MATCH (c:Cluster) WHERE c.excellence_label = 'gold' RETURN c.id AS id"),
    (
        {"region": {"category": {"eq": "LESS_DEVELOPED"}}},
        "MATCH (c:Cluster) WHERE c.category = 'less_developed' RETURN c.id AS id",
    ),
    (
        {"OR": [{"region": {"category": {"eq": "LESS_DEVELOPED"}}}, {"country": {"eq": "DE"}}]},
        "MATCH (c:Cluster) WHERE c.category = 'less_developed' OR c.country = 'DE' RETURN c.id AS id",
    ),
    (
        {"AND": [{"country": {"in": ["IT", "ES", "PL"]}}, {"NOT": {"founded": {"lt": 2000}}}]},
        "MATCH (c:Cluster) WHERE c.country IN ['IT', 'ES', 'PL'] AND NOT (c.founded < 2000) RETURN c.id AS id",
    ),
    (
        {"members": {"some": {"kind": {"eq": "SME"}, "region": {"category": {"eq": "LESS_DEVELOPED"}}}}},
        "MATCH (c:Cluster)<-[:MEMBER_OF]-(o:Organisation) WHERE o.kind = 'sme' AND o.category = 'less_developed' "
        "RETURN DISTINCT c.id AS id",
    ),
    (
        {"partnerships": {"none": {"kind": {"eq": "ESCP-4x"}}}},
        "MATCH (c:Cluster) OPTIONAL MATCH (c)-[:PARTNER_IN]->(p:Partnership) WHERE p.kind = 'ESCP-4x' "
        "WITH c, count(p) AS n WHERE n = 0 RETURN c.id AS id",
    ),
    (
        {"offers": {"some": {"id": {"startsWith": "c-cell"}}}, "postings": {"none": {"kind": {"eq": "OFFER"}}}},
        "MATCH (c:Cluster)-[:OFFERS]->(k:Competence) WHERE k.id STARTS WITH 'c-cell' WITH DISTINCT c "
        "OPTIONAL MATCH (c)<-[:POSTED_BY]-(p:Posting) WHERE p.kind = 'OFFER' WITH c, count(p) AS n WHERE n = 0 "
        "RETURN c.id AS id",
    ),
]
SORT_CASES = [
    (
        [{"members": "DESC"}],
        "MATCH (c:Cluster) OPTIONAL MATCH (c)<-[:MEMBER_OF]-(o:Organisation) WITH c, count(o) AS n "
        "RETURN c.id AS id ORDER BY n DESC, id",
    ),
    (
        [{"founded": "ASC"}, {"name": "DESC"}],
        "MATCH (c:Cluster) RETURN c.id AS id ORDER BY CASE WHEN c.founded IS NULL THEN 1 ELSE 0 END, c.founded, "
        "c.name DESC, id",
    ),
    (
        [{"exchanges": "DESC"}],
        "MATCH (c:Cluster) OPTIONAL MATCH (c)<-[r:SENT_BY|HOSTED_BY]-(:Exchange) WITH c, count(r) AS n "
        "RETURN c.id AS id ORDER BY n DESC, id",
    ),
]


@pytest.fixture(scope="module")
def client(xs_graph, tmp_path_factory):
    with TestClient(create_app(store=xs_graph, settings=Settings(data_dir=tmp_path_factory.mktemp("where")))) as test:
        yield test


def ids(client, where=None, sort=None) -> tuple[int, list[str]]:
    answer = gql(client, CLUSTERS, {"where": where, "sort": sort, "first": 100})
    assert "errors" not in answer, answer
    found = answer["data"]["clusters"]
    return found["totalCount"], [e["node"]["id"] for e in found["edges"]]


def test_the_compiler_names_only_what_the_model_declares():
    assert check_model() == []


@pytest.mark.parametrize("where, cypher", CLUSTER_CASES, ids=[str(i) for i in range(len(CLUSTER_CASES))])
def test_each_operator_equals_plain_cypher(client, xs_graph, where, cypher):
    expected = sorted(r["id"] for r in xs_graph.read(cypher).rows)
    total, found = ids(client, where)
    assert total == len(expected) and sorted(found) == expected[:100]
    assert found == sorted(found), "ordered by id when no sort is given"


def test_the_cases_are_not_trivial(xs_graph):
    sizes = [len(xs_graph.read(cypher).rows) for _, cypher in CLUSTER_CASES]
    total = xs_graph.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar()
    assert sum(0 < n < total for n in sizes) >= len(sizes) - 3, sizes


@pytest.mark.parametrize("sort, cypher", SORT_CASES, ids=["members", "founded-name", "exchanges"])
def test_each_sort_equals_plain_cypher(client, xs_graph, sort, cypher):
    expected = [r["id"] for r in xs_graph.read(cypher).rows]
    total, found = ids(client, None, sort)
    assert total == len(expected) and found == expected[: len(found)]


def test_other_types_filter_sort_and_page(client, xs_graph):
    query = """{ organisations(where: {kind: {eq: "SME"}, clusters: {some: {country: {eq: "IT"}}}}, sort: [{projects: DESC}], first: 5) {
      totalCount pageInfo { hasNextPage } edges { node { id kind } } } }"""
    found = gql(client, query, {})["data"]["organisations"]
    expected = xs_graph.read(
        "MATCH (o:Organisation)-[:MEMBER_OF]->(c:Cluster) WHERE o.kind = 'sme' AND c.country = 'IT' RETURN count(DISTINCT o) AS n"
    ).scalar()
    assert found["totalCount"] == expected and all(e["node"]["kind"] == "sme" for e in found["edges"])
    assert found["pageInfo"]["hasNextPage"] == (expected > 5)
    regions = gql(
        client,
        "{ regionsConnection(where: {level: {eq: 2}, category: {eq: LESS_DEVELOPED}, clusters: {some: {}}}, sort: [{clusters: DESC}], first: 3) { totalCount edges { node { nuts } } } }",
        {},
    )["data"]["regionsConnection"]
    expected_regions = xs_graph.read(
        "MATCH (r:Region {level: 2, category: 'less_developed'})<-[:LOCATED_IN]-(c:Cluster) WITH r, count(c) AS n "
        "RETURN r.nuts AS nuts ORDER BY n DESC, nuts"
    ).rows
    assert regions["totalCount"] == len(expected_regions)
    assert [e["node"]["nuts"] for e in regions["edges"]] == [r["nuts"] for r in expected_regions[:3]]
    partnerships = gql(
        client,
        '{ partnershipsConnection(where: {start: {gte: "2022-01-01"}}, sort: [{partners: DESC}], first: 50) { totalCount } }',
        {},
    )["data"]["partnershipsConnection"]
    assert (
        partnerships["totalCount"]
        == xs_graph.read("MATCH (p:Partnership) WHERE p.start >= date('2022-01-01') RETURN count(p) AS n").scalar()
    )
    exchanges = gql(
        client,
        '{ exchangesConnection(where: {status: {eq: "COMPLETED"}, sender: {some: {country: {in: ["IT", "ES"]}}}}, first: 50) { totalCount } }',
        {},
    )["data"]["exchangesConnection"]
    assert (
        exchanges["totalCount"]
        == xs_graph.read(
            "MATCH (x:Exchange)-[:SENT_BY]->(c:Cluster) WHERE x.status = 'completed' AND c.country IN ['IT', 'ES'] RETURN count(x) AS n"
        ).scalar()
    )


def test_aggregates_equal_counts_by_cypher(client, xs_graph):
    answer = gql(
        client,
        '{ clustersAggregate(where: {region: {category: {in: [LESS_DEVELOPED, TRANSITION]}}}) { count numbers { field min max avg } countBy(facet: "country") { value count } } }',
        {},
    )["data"]["clustersAggregate"]
    rows = xs_graph.read(
        "MATCH (c:Cluster) WHERE c.category IN ['less_developed', 'transition'] "
        "RETURN count(c) AS n, min(c.founded) AS lo, max(c.founded) AS hi"
    ).rows[0]
    assert answer["count"] == rows["n"] > 0
    founded = next(n for n in answer["numbers"] if n["field"] == "founded")
    assert (founded["min"], founded["max"]) == (rows["lo"], rows["hi"])
    by_country = {
        r["c"]: r["n"]
        for r in xs_graph.read(
            "MATCH (c:Cluster) WHERE c.category IN ['less_developed', 'transition'] RETURN c.country AS c, count(c) AS n"
        ).rows
    }
    assert {r["value"]: r["count"] for r in answer["countBy"]} == by_country


def test_bad_filters_get_clear_errors(client):
    deep: dict = {"country": {"eq": "IT"}}
    for _ in range(8):
        deep = {"NOT": deep}
    too_deep = gql(client, CLUSTERS, {"where": deep, "first": 5})
    assert code(too_deep) == "BAD_USER_INPUT" and "levels deep" in too_deep["errors"][0]["message"]
    regex = gql(client, CLUSTERS, {"where": {"name": {"contains": "hydro.*gen"}}, "first": 5})
    assert code(regex) == "BAD_USER_INPUT" and "not a pattern" in regex["errors"][0]["message"]
    unknown_sort = gql(client, CLUSTERS, {"sort": [{"noSuchField": "ASC"}], "first": 5})
    assert unknown_sort["errors"] and "noSuchField" in unknown_sort["errors"][0]["message"]
    two_keys = gql(client, CLUSTERS, {"sort": [{"name": "ASC", "founded": "DESC"}], "first": 5})
    assert code(two_keys) == "BAD_USER_INPUT" and "one field" in two_keys["errors"][0]["message"]
    both = gql(client, '{ clusters(filter: {countries: ["IT"]}, where: {country: {eq: "IT"}}) { totalCount } }', {})
    assert code(both) == "BAD_USER_INPUT"
    nested = gql(
        client,
        CLUSTERS,
        {"where": {"members": {"some": {"clusters": {"some": {"country": {"eq": "IT"}}}}}}, "first": 5},
    )
    assert code(nested) == "BAD_USER_INPUT" and "one level" in nested["errors"][0]["message"]
    facet = gql(client, '{ clustersAggregate { countBy(facet: "website") { value } } }', {})
    assert code(facet) == "BAD_USER_INPUT" and "not a facet" in facet["errors"][0]["message"]


def test_an_indexed_equality_is_answered_from_the_index(xs_graph):
    compiled = compile_page("Cluster", {"country": {"eq": "IT"}}, None)
    plan = "\n".join(xs_graph.explain(compiled.text, {**compiled.params, "skip": 0, "limit": 5}).lines)
    assert "Index" in plan, plan
    scanned = compile_page("Cluster", {"name": {"contains": "x"}}, None)
    assert "Index" not in "\n".join(xs_graph.explain(scanned.text, {**scanned.params, "skip": 0, "limit": 5}).lines)


def test_projects_filter_sort_and_aggregate(client, xs_graph):
    from clusterkg.loaders.cordis.load import load_cordis
    from tests.test_query_library import CORDIS_EXAMPLE

    load_cordis(xs_graph, CORDIS_EXAMPLE)
    query = """{ projectsConnection(where: {programme: {in: ["H2020", "HORIZON"]}, participants: {some: {kind: {in: ["SME", "RESEARCH"]}}}},
                                   sort: [{participants: DESC}], first: 50) { totalCount edges { node { id acronym start } } }
               projectsAggregate { count countBy(facet: "programme") { value count } } }"""
    answer = gql(client, query, {})
    assert "errors" not in answer, answer
    expected = xs_graph.read(
        "MATCH (p:Project) WHERE p.programme IN ['H2020', 'HORIZON'] "
        "MATCH (p)<-[:PARTICIPATED_IN]-(o:Organisation) WHERE o.kind IN ['sme', 'research'] WITH DISTINCT p "
        "OPTIONAL MATCH (p)<-[r:PARTICIPATED_IN]-() WITH p, count(r) AS n RETURN p.id AS id ORDER BY n DESC, id"
    ).rows
    found = answer["data"]["projectsConnection"]
    assert found["totalCount"] == len(expected) > 0
    assert [e["node"]["id"] for e in found["edges"]] == [r["id"] for r in expected]
    counts = {r["p"]: r["n"] for r in xs_graph.read("MATCH (p:Project) RETURN p.programme AS p, count(p) AS n").rows}
    assert {c["value"]: c["count"] for c in answer["data"]["projectsAggregate"]["countBy"]} == counts


def every_form() -> list:
    """Each generated shape: every case above, each type's relation and count sorts, the aggregates."""
    from clusterkg.queries.where import compile_aggregate

    forms = [compile_page("Cluster", where, None) for where, _ in CLUSTER_CASES]
    forms += [compile_page("Cluster", None, sort) for sort, _ in SORT_CASES]
    forms += [
        compile_page("Organisation", {"clusters": {"some": {"country": {"eq": "IT"}}}}, [{"projects": "DESC"}]),
        compile_page(
            "Region", {"category": {"eq": "less_developed"}, "clusters": {"some": {}}}, [{"clusters": "DESC"}]
        ),
        compile_page("Partnership", {"start": {"gte": "2022-01-01"}}, [{"partners": "DESC"}]),
        # the loaded exchanges only: other tests make exchanges with ids of their own on each engine
        compile_page(
            "Exchange",
            {"id": {"startsWith": "syn-"}, "sender": {"none": {"country": {"eq": "IT"}}}},
            [{"start": "ASC"}],
        ),
        compile_page("Project", {"participants": {"some": {"kind": {"eq": "sme"}}}}, [{"participants": "DESC"}]),
        compile_aggregate("Cluster", {"country": {"eq": "IT"}}, None),
        compile_aggregate("Organisation", None, "kind"),
    ]
    return forms


def test_every_generated_form_plans_on_falkordb(xs_graph):
    for compiled in every_form():
        params = {**compiled.params, "skip": 0, "limit": 10}
        assert xs_graph.explain(compiled.text, params).lines, compiled.text
        xs_graph.read(compiled.text, params)
