"""The GraphQL API in-process (starlette TestClient) on a real graph: reference data + xs synthetic data."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clusterkg.graphql.context import ApiSettings
from clusterkg.graphql.schema import SCHEMA_FILE, schema_sdl
from clusterkg.schema import SCHEMA_VERSION
from clusterkg.scoring.complementarity import Filters, Weights, partner_search
from clusterkg.scoring.reference import export_incidence, reference_search
from clusterkg.web.app import create_app
from tests.conftest import drop, synthetic_graph

OPERATIONS = Path(__file__).resolve().parent.parent / "clusterkg" / "graphql" / "operations"


@pytest.fixture(scope="module")
def demo_store(server, reference_data, tmp_path_factory):
    """Reference data plus the s synthetic data (seed 42: the demo graph of `make run`), shared by the module (read-only)."""
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("s"), "s", "api")
    yield store
    drop(store)


@pytest.fixture(scope="module")
def client(demo_store):
    with TestClient(create_app(store=demo_store)) as test_client:
        yield test_client


def gql(client, query: str, variables: dict | None = None) -> dict:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code in (200, 400), response.text
    return response.json()


def data_of(client, query: str, variables: dict | None = None) -> dict:
    result = gql(client, query, variables)
    assert not result.get("errors"), result.get("errors")
    return result["data"]


SEARCH = """query($input: PartnerSearchInput!) { partnerSearch(input: $input) {
  score
  partner { __typename ... on Cluster { id excellenceLabel country { code } region { nuts category } ecosystems { id } }
                       ... on Organisation { id region { nuts category } } }
  explanation { needFit { sought { id } offered { id } } reciprocity { sought { id } offered { id } }
                valueChains { valueChain { id } seekerStages partnerStages adjacent fit } overlap ties
                region { nuts category } components { need reciprocity valueChain overlap ties } } } }"""


def search(client, **input_fields) -> list[dict]:
    return data_of(client, SEARCH, {"input": {"seekerId": "syn-c000000", "first": 100, **input_fields}})[
        "partnerSearch"
    ]


def cluster_ids(store) -> list[str]:
    return [r["id"] for r in store.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id").rows]


@pytest.mark.parametrize(
    "filters, holds",
    [
        ({"regionCategories": ["LESS_DEVELOPED"]}, lambda p: p["region"]["category"] == "LESS_DEVELOPED"),
        (
            {"regionCategories": ["TRANSITION", "LESS_DEVELOPED"]},
            lambda p: p["region"]["category"] in ("TRANSITION", "LESS_DEVELOPED"),
        ),
        (
            {"countries": ["DE", "FR", "IT", "ES", "PL"]},
            lambda p: p["country"]["code"] in ("DE", "FR", "IT", "ES", "PL"),
        ),
        ({"excludeCountries": ["DE", "FR"]}, lambda p: p["country"]["code"] not in ("DE", "FR")),
        ({"ecosystems": ["health", "digital"]}, lambda p: {e["id"] for e in p["ecosystems"]} & {"health", "digital"}),
        ({"excellenceLabels": ["bronze", "Gold"]}, lambda p: p["excellenceLabel"] in ("bronze", "gold")),
        ({"nutsRegion": "DE"}, lambda p: p["region"]["nuts"].startswith("DE")),
    ],
)
def test_every_filter_narrows(client, demo_store, filters, holds):
    everyone = search(client)
    narrowed_total = 0
    for seeker in cluster_ids(demo_store)[:8]:
        narrowed = search(client, seekerId=seeker, **filters)
        for match in narrowed:
            assert holds(match["partner"]), (filters, match["partner"])
        narrowed_total += len(narrowed)
    assert everyone and narrowed_total > 0, "the filter test needs matches to check"


def test_exclude_own_country(client, demo_store):
    home = demo_store.read("MATCH (c:Cluster {id: 'syn-c000000'}) RETURN c.country AS c").scalar()
    matches = search(client, excludeOwnCountry=True)
    assert matches and all(m["partner"]["country"]["code"] != home for m in matches)


def test_explanations_are_consistent_with_the_graph(client, demo_store):
    for seeker in cluster_ids(demo_store)[:6]:
        for match in search(client, seekerId=seeker, first=15):
            partner = match["partner"]["id"]
            explanation = match["explanation"]
            for pair in explanation["needFit"]:
                ok = demo_store.read(
                    "MATCH (a:Cluster {id: $a})-[:SEEKS]->(c:Competence {id: $c}), (b:Cluster {id: $b})-[:OFFERS]->(d:Competence {id: $d}) "
                    "MATCH p = (d)-[:BROADER*0..3]->(c) RETURN count(p) AS n",
                    {"a": seeker, "b": partner, "c": pair["sought"]["id"], "d": pair["offered"]["id"]},
                ).scalar()
                assert ok > 0, (seeker, partner, pair)
            for pair in explanation["reciprocity"]:
                ok = demo_store.read(
                    "MATCH (b:Cluster {id: $b})-[:SEEKS]->(c:Competence {id: $c}), (a:Cluster {id: $a})-[:OFFERS]->(d:Competence {id: $d}) "
                    "MATCH p = (d)-[:BROADER*0..3]->(c) RETURN count(p) AS n",
                    {"a": seeker, "b": partner, "c": pair["sought"]["id"], "d": pair["offered"]["id"]},
                ).scalar()
                assert ok > 0, (seeker, partner, pair)
            components = explanation["components"]
            assert len({p["sought"]["id"] for p in explanation["needFit"]}) == components["need"]
            assert len({p["sought"]["id"] for p in explanation["reciprocity"]}) == components["reciprocity"]
            assert sum(v["fit"] for v in explanation["valueChains"]) == pytest.approx(components["valueChain"])
            region = demo_store.read(
                "MATCH (:Cluster {id: $b})-[:LOCATED_IN]->(r:Region) RETURN r.nuts AS nuts, r.category AS c",
                {"b": partner},
            ).rows[0]
            assert explanation["region"]["nuts"] == region["nuts"]
            assert explanation["region"]["category"] == (region["c"].upper() if region["c"] else None)


WHOLE_REGIONS = """query($input: PartnerSearchInput!) { partnerSearch(input: $input) {
  partner { ... on Cluster { region { ...whole } } ... on Organisation { region { ...whole } } } explanation { region { ...whole } } } }
fragment whole on Region { nuts name nameLatin level category categorySource categoryIndex aliases centroid { lon lat } country { code } parent { nuts } }"""


@pytest.mark.parametrize("candidates", ["CLUSTER", "ORGANISATION"])
def test_an_explanation_gives_the_partners_whole_region(client, demo_store, candidates):
    indexed = 0
    for seeker in cluster_ids(demo_store)[:4]:
        matches = data_of(
            client, WHOLE_REGIONS, {"input": {"seekerId": seeker, "candidates": candidates, "first": 30}}
        )["partnerSearch"]
        for match in matches:
            assert match["explanation"]["region"] == match["partner"]["region"]
            indexed += (match["partner"]["region"] or {}).get("categoryIndex") is not None
    assert indexed, "the comparison needs regions with every field filled"


def test_scores_equal_the_reference_implementation(client, demo_store):
    data = export_incidence(demo_store)
    for seeker in cluster_ids(demo_store)[:15]:
        cases = (
            ({}, Filters()),
            (
                {"regionCategories": ["LESS_DEVELOPED", "TRANSITION"]},
                Filters(categories=("less_developed", "transition")),
            ),
            (
                {"excludeCountries": ["DE"], "ecosystems": ["digital", "health"]},
                Filters(exclude_countries=("DE",), ecosystems=("digital", "health")),
            ),
            ({"nutsRegion": "IT", "excludeOwnCountry": True}, Filters(nuts_prefix="IT", exclude_own_country=True)),
        )
        for fields, filters in cases:
            api = search(client, seekerId=seeker, **fields)
            expected = reference_search(data, ("Cluster", seeker), filters=filters, first=100)
            assert [m["partner"]["id"] for m in api] == [m.id for m in expected]
            for got, want in zip(api, expected):
                assert abs(got["score"] - want.score) < 1e-9


def test_organisation_search_equals_the_reference_for_both_kinds_of_seeker(demo_store):
    """Organisations as candidates (and as seekers), ties kept and excluded, pages deep and shallow, weights of either
    sign (negative ones turn the query's pruning by score bounds off): the Cypher and the in-memory score agree."""
    data = export_incidence(demo_store)
    organisations = data.sides["Organisation"].ids
    seekers = [("Organisation", organisations[i]) for i in range(0, len(organisations), len(organisations) // 6)][:6]
    seekers += [("Cluster", c) for c in cluster_ids(demo_store)[:4]]
    compared = 0
    for label, seeker in seekers:
        for candidates in ("Organisation", "Cluster"):
            for filters, exclude_ties, weights, first, skip in (
                (Filters(), True, Weights(), 50, 0),
                (Filters(categories=("less_developed", "transition")), False, Weights(), 5, 3),
                (Filters(exclude_own_country=True), True, Weights(value_chain=2.0, overlap=-1.0), 10, 0),
                (Filters(), False, Weights(tie=-0.5, need=0.2), 3, 1),
            ):
                got = partner_search(
                    demo_store,
                    seeker,
                    candidates=candidates,
                    filters=filters,
                    weights=weights,
                    exclude_ties=exclude_ties,
                    first=first,
                    skip=skip,
                    explain=False,
                )
                want = reference_search(
                    data,
                    (label, seeker),
                    candidates=candidates,
                    filters=filters,
                    weights=weights,
                    exclude_ties=exclude_ties,
                    first=first,
                    skip=skip,
                )
                assert [(m.id, m.need, m.reciprocity, m.ties) for m in got] == [
                    (m.id, m.need, m.reciprocity, m.ties) for m in want
                ], (label, seeker, candidates, filters)
                assert all(
                    abs(g.score - w.score) < 1e-9
                    and abs(g.value_chain - w.value_chain) < 1e-9
                    and abs(g.overlap - w.overlap) < 1e-9
                    for g, w in zip(got, want)
                )
                compared += bool(got)
    assert compared >= 40  # most cases have matches: the comparison is not vacuous


def test_ordering_is_stable_and_by_score_then_id(client):
    first, second = search(client), search(client)
    assert first == second
    keys = [(-m["score"], m["partner"]["id"]) for m in first]
    assert keys == sorted(keys)


def test_existing_partners_are_excluded_by_default(client, demo_store):
    row = demo_store.read(
        "MATCH (a:Cluster)-[:PARTNER_IN]->(p:Partnership)<-[:PARTNER_IN]-(b:Cluster) RETURN a.id AS a, collect(DISTINCT b.id) AS partners ORDER BY a LIMIT 1"
    ).rows[0]
    excluded = {m["partner"]["id"] for m in search(client, seekerId=row["a"])}
    assert not excluded & set(row["partners"])
    kept = search(client, seekerId=row["a"], excludeExistingPartners=False)
    tied = [m for m in kept if m["partner"]["id"] in row["partners"]]
    for match in tied:
        assert match["explanation"]["components"]["ties"] > 0 and any(
            t.startswith("partners in") for t in match["explanation"]["ties"]
        )


def test_pagination_covers_every_cluster_exactly_once(client, demo_store):
    query = "query($after: String) { clusters(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }"
    seen, after = [], None
    while True:
        page = data_of(client, query, {"after": after})["clusters"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == cluster_ids(demo_store) and page["totalCount"] == len(seen)
    # partnerSearch pages by offset give the one long list
    whole = [m["partner"]["id"] for m in search(client, first=30)]
    paged = [m["partner"]["id"] for offset in (0, 10, 20) for m in search(client, first=10, offset=offset)]
    assert paged == whole


def test_members_are_paginated(client, demo_store):
    query = 'query($after: String) { cluster(id: "syn-c000000") { members(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }'
    expected = [
        r["id"]
        for r in demo_store.read(
            "MATCH (o:Organisation)-[:MEMBER_OF]->(:Cluster {id: 'syn-c000000'}) RETURN o.id AS id ORDER BY id"
        ).rows
    ]
    seen, after = [], None
    while True:
        page = data_of(client, query, {"after": after})["cluster"]["members"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected and page["totalCount"] == len(expected) >= 15


def _codes(result: dict) -> list[str]:
    return [e["extensions"]["code"] for e in result.get("errors", [])]


@pytest.mark.parametrize(
    "query, code",
    [
        ('{ cluster(id: "no-such-cluster") { name } }', "NOT_FOUND"),
        ('{ region(nuts: "XX99") { name } }', "NOT_FOUND"),
        ('{ partnerSearch(input: {seekerId: "no-such-id"}) { score } }', "NOT_FOUND"),
        ("{ regions(categories: [NOT_A_CATEGORY]) { nuts } }", "BAD_USER_INPUT"),
        ('{ partnerSearch(input: {seekerId: "syn-c000000", candidates: PLANET}) { score } }', "BAD_USER_INPUT"),
        ("{ clusters { nope } }", "BAD_USER_INPUT"),
        ("{ clusters( }", "BAD_USER_INPUT"),
        ('{ clusters(after: "not-a-cursor") { totalCount } }', "BAD_USER_INPUT"),
        ('{ search(text: "   ") { score } }', "BAD_USER_INPUT"),
        ("{ clusters(first: 101) { totalCount } }", "LIMIT_EXCEEDED"),
        ('{ partnerSearch(input: {seekerId: "syn-c000000", first: 500}) { score } }', "LIMIT_EXCEEDED"),
        (
            "{ clusters(first: 100) { edges { node { members(first: 100) { edges { node { offers { name } } } } } } } }",
            "LIMIT_EXCEEDED",
        ),
        ("{ " + " ".join(f"a{i}: calls {{ id }}" for i in range(20)) + " }", "LIMIT_EXCEEDED"),
        (
            '{ cluster(id: "syn-c000000") { partnerships { members { cluster { partnerships { members { cluster { partnerships { members { cluster { name } } } } } } } } } } }',
            "LIMIT_EXCEEDED",
        ),
        ("{ calls { " + " ".join(["id"] * 2100) + " } }", "LIMIT_EXCEEDED"),
    ],
)
def test_errors_carry_the_right_code_and_no_traceback(client, query, code):
    for _ in range(2):  # the second answer comes from the parse and validation caches: the same refusal
        result = gql(client, query)
        assert _codes(result) and set(_codes(result)) == {code}, result
        text = json.dumps(result)
        assert "Traceback" not in text and 'File "' not in text


def test_engine_timeout_gives_TIMEOUT(demo_store):
    with TestClient(create_app(store=demo_store, api_settings=ApiSettings(timeout_ms=1))) as slow_client:
        codes = set()
        for seeker in ("syn-o00000000", "syn-o00000010", "syn-o00000020"):
            result = gql(
                slow_client,
                f'{{ partnerSearch(input: {{seekerId: "{seeker}", candidates: ORGANISATION, first: 100}}) {{ score }} }}',
            )
            codes.update(_codes(result))
    assert "TIMEOUT" in codes and codes <= {"TIMEOUT"}


class CountingStore:
    """The real store, counting the queries sent to the engine."""

    def __init__(self, store) -> None:
        self._store, self.reads = store, 0
        self.engine = store.engine

    def read(self, *args, **kwargs):
        self.reads += 1
        return self._store.read(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_engine_calls_grow_with_depth_not_with_results(demo_store):
    counting = CountingStore(demo_store)
    query = "query($n: Int!) { clusters(first: $n) { edges { node { name region { name parent { name } } country { name } ecosystems { name } offers { name } seeks { name } partnerships { name } eccpRegistration { since } } } } }"
    calls = {}
    with TestClient(create_app(store=counting)) as counting_client:
        counting_client.app.state.profiles_catch_up.join(30)  # the start's own reads are not the page's
        for n in (20, 50, 100):
            before = counting.reads
            page = data_of(counting_client, query, {"n": n})["clusters"]["edges"]
            assert len(page) == n and any(edge["node"]["partnerships"] for edge in page)
            calls[n] = counting.reads - before
    # one query per kind of lookup (list, clusters, regions, parents, countries, ecosystems,
    # competences, registrations, partnership links, partnerships): 10, whatever the page size,
    # and one read of the graph's revision for the response cache (each page size is a new request)
    assert calls[20] == calls[50] == calls[100] == 11, calls


def test_schema_file_matches_the_code():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "run `clusterkg export-schema` and commit clusterkg/graphql/schema.graphql"
    )


@pytest.mark.parametrize("operation", sorted(OPERATIONS.glob("*.graphql")), ids=lambda p: p.stem)
def test_example_operations_run(client, operation):
    text = operation.read_text(encoding="utf-8")
    match = re.search(r"^# variables: (.*)$", text, re.MULTILINE)
    assert match, f"{operation.name} must declare its variables in a '# variables:' comment"
    data = data_of(client, text, json.loads(match.group(1)))
    assert all(value not in (None, [], {}) for value in data.values()), data


def test_health_and_index(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["engine"] == "falkordb" and health["schema_version"] == SCHEMA_VERSION
    assert health["nodes"]["Cluster"] == 1100
    home = client.get("/").text
    assert "/static/explorer/overview.js" in home and "<title>The European cluster ecosystem" in home
    graphiql = client.get("/graphql", headers={"accept": "text/html"}).text
    assert (
        "/static/vendor/graphiql/graphiql.min.js" in graphiql
        and "unpkg" not in graphiql
        and "cdn" not in graphiql.lower()
    )


def test_the_overview_counts_every_exchange_once_in_its_flow(client, demo_store):
    overview = gql(
        client,
        "{ overview { exchanges exchangeFlows { sender host count } clustersByCategory { value count } mapRegions { clusters } } }",
    )["data"]["overview"]
    both_ends = demo_store.read(
        "MATCH (x:Exchange) WHERE (x)-[:SENT_BY]->(:Cluster) AND (x)-[:HOSTED_BY]->(:Cluster) RETURN x.id AS id"
    ).rows
    by_pair = Counter(
        (r["s"], r["h"])
        for r in demo_store.read(
            "MATCH (x:Exchange)-[:SENT_BY]->(s:Cluster) MATCH (x)-[:HOSTED_BY]->(h:Cluster) RETURN x.id AS id, s.country AS s, h.country AS h"
        ).rows
    )
    # pairs of countries with several exchanges are where an engine counting paths, not exchanges, goes wrong
    assert any(n > 1 for n in by_pair.values())
    assert {(f["sender"], f["host"]): f["count"] for f in overview["exchangeFlows"]} == dict(by_pair)
    assert sum(by_pair.values()) == len(both_ends) == overview["exchanges"]
    clusters = demo_store.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar()
    assert sum(c["count"] for c in overview["clustersByCategory"]) == clusters


def test_the_overview_counts_every_ecosystem_and_says_which_are_empty(client, demo_store):
    """All 14 industrial ecosystems, with 0 where no cluster is active, each count equal to a count in Cypher."""
    rows = gql(client, "{ overview { clustersByEcosystem { value count } } }")["data"]["overview"][
        "clustersByEcosystem"
    ]
    expected = {
        r["name"]: r["n"]
        for r in demo_store.read(
            "MATCH (e:Ecosystem) OPTIONAL MATCH (c:Cluster)-[:ACTIVE_IN]->(e) RETURN e.name AS name, count(c) AS n"
        ).rows
    }
    assert len(expected) == 14
    assert {r["value"]: r["count"] for r in rows} == expected


def test_synthetic_cluster_names_vary_within_a_value_chain(demo_store):
    """A directory page of one value chain lists different-looking organisations, every one still synthetic."""
    rows = demo_store.read(
        "MATCH (c:Cluster) WHERE c.synthetic = true RETURN c.name AS name ORDER BY c.id LIMIT 40"
    ).rows
    kinds = Counter(
        next(
            (
                w
                for w in ("Cluster", "Network", "Hub", "Alliance", "Association", "Centre", "Platform")
                if w in r["name"].split()
            ),
            "",
        )
        for r in rows
    )
    assert len(rows) == 40 and len(kinds) >= 6 and kinds["Cluster"] <= 10, kinds
