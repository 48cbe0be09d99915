"""Consortium builder: hard rules always hold, the solver matches brute force, explanations match the graph."""

from __future__ import annotations

import itertools
import json
import time

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterkg.consortium import search as consortium_search
from clusterkg.consortium.model import (
    Candidate,
    ConsortiumRequest,
    ConsortiumWeights,
    Pool,
    Rules,
    greedy_consortium,
    violations,
)
from clusterkg.consortium.propose import propose_consortia
from clusterkg.consortium.search import solve_consortia
from clusterkg.errors import ClusterKGError, NotFound
from tests.helpers import run_cli

COUNTRIES = ("AT", "CZ", "PT", "SE")
CATEGORIES = ("less_developed", "transition", "more_developed", None)


@st.composite
def pools(draw):
    n = draw(st.integers(3, 8))
    candidates = [
        Candidate(
            f"k{i}",
            f"K{i}",
            draw(st.sampled_from(COUNTRIES)),
            None,
            draw(st.sampled_from(CATEGORIES)),
            draw(st.sampled_from((None, "bronze", "gold"))),
            draw(st.sampled_from((None, 1995, 2010, 2020))),
            draw(st.sampled_from((None, 30, 120, 400))),
            frozenset(),
            frozenset(),
            forced=i == 0,
        )
        for i in range(n)
    ]
    pair_units = {
        (i, j): draw(st.integers(-800, 3000)) for i, j in itertools.combinations(range(n), 2) if draw(st.booleans())
    }
    competitors = {pair for pair in itertools.combinations(range(n), 2) if draw(st.integers(0, 5)) == 0}
    needs = {f"need{k}": set(draw(st.sets(st.integers(1, n - 1), max_size=3))) for k in range(draw(st.integers(0, 3)))}
    stages = {("vc", s): set(draw(st.sets(st.integers(0, n - 1), max_size=3))) for s in range(draw(st.integers(0, 3)))}
    min_size = draw(st.integers(2, 4))
    rules = Rules(
        min_size=min_size,
        max_size=draw(st.integers(min_size, 5)),
        min_countries=draw(st.integers(1, 3)),
        max_per_country=draw(st.integers(1, 3)),
        min_developing=draw(st.integers(0, 2)),
        developing_share=draw(st.sampled_from((0.0, 0.5))),
        countries=COUNTRIES,
    )
    return Pool(candidates, 0, pair_units, competitors, needs, stages, ConsortiumWeights()), rules


def brute_force(pool: Pool, rules: Rules) -> int | None:
    best = None
    others = range(1, len(pool.candidates))
    for size in range(rules.min_size - 1, rules.max_size):
        for chosen in itertools.combinations(others, size):
            members = {0, *chosen}
            if not violations(pool, members, rules):
                value = pool.objective_units(members)
                best = value if best is None else max(best, value)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools())
def test_every_proposal_meets_every_rule_and_the_best_is_the_brute_force_optimum(instance):
    pool, rules = instance
    found, _, bound = solve_consortia(pool, rules, proposals=3, time_limit_s=30)
    exact = brute_force(pool, rules)
    if exact is None:
        assert found == []
        return
    assert found, "a feasible consortium exists, so one is proposed"
    for proposal in found:
        assert violations(pool, set(proposal.members), rules) == []
        assert proposal.status == "OPTIMAL"
        assert proposal.objective * 1000 == pytest.approx(pool.objective_units(set(proposal.members)))
    assert round(found[0].objective * 1000) == exact
    assert bound * 1000 >= exact - 1e-6
    for a, b in itertools.combinations(found, 2):
        assert len(set(a.members) ^ set(b.members)) >= 2, "proposals differ by two members or more"
    assert [p.objective for p in found] == sorted((p.objective for p in found), reverse=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools(), st.integers(2, 40))
def test_a_search_stopped_by_its_deadline_still_gives_a_valid_bound(instance, stop_at_node):
    pool, rules = instance
    exact = brute_force(pool, rules)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            consortium_search, "CHECK_CLOCK_EVERY", stop_at_node
        )  # the deadline has passed: the first look at the clock stops it
        result = consortium_search.best_consortium(
            pool, rules, time.perf_counter() - 1.0, incumbent=greedy_consortium(pool, rules)
        )
    if not result.complete:
        assert result.bound_units < float("inf") or stop_at_node < 3, (
            "past the root, the open nodes carry finite bounds"
        )
    if exact is not None:
        assert result.bound_units >= exact - 1e-6, "the open nodes' bound covers every consortium"
    if result.members is not None:
        assert violations(pool, set(result.members), rules) == []
        assert (
            result.objective_units == pool.objective_units(set(result.members)) <= (exact if exact is not None else -1)
        )


# ---------------------------------------------------------------- on the xs graph


LEADS = ("syn-c000003", "syn-c000017", "syn-c000042")
CHECK_MEMBERS = (
    "UNWIND $ids AS id MATCH (c:Cluster {id: id}) OPTIONAL MATCH (c)-[:REGISTERED_ON]->(p:Platform {id: 'eccp'}) "
    "RETURN c.id AS id, c.country AS country, c.category AS category, count(p) AS registered"
)


@pytest.mark.parametrize("lead", LEADS)
def test_proposals_on_a_generated_graph_meet_the_rules_and_explanations_match_the_graph(xs_graph, lead):
    request = ConsortiumRequest(lead=lead, min_size=4, max_size=6, time_limit_s=6)
    plan = propose_consortia(xs_graph, request)
    assert plan.proposals and plan.synthetic
    eligible = set(plan.rules.countries)
    for proposal in plan.proposals:
        ids = [m.id for m in proposal.members]
        assert {m.id: m.role for m in proposal.members}.get(lead) == "lead"
        facts = {r["id"]: r for r in xs_graph.read(CHECK_MEMBERS, {"ids": ids}).rows}
        assert all(facts[i]["registered"] == 1 for i in ids), "every member is ECCP-registered"
        countries = [facts[i]["country"] for i in ids]
        assert 4 <= len(ids) <= 6
        assert len(set(countries)) >= plan.rules.min_countries
        assert max(countries.count(c) for c in countries) <= 2
        assert set(countries) <= eligible
        assert sum(facts[i]["category"] in ("less_developed", "transition") for i in ids) >= 1
        assert all(rule.met for rule in proposal.rules)
        for member in proposal.members:
            for item in member.brings:
                edge = xs_graph.read(
                    "MATCH (:Cluster {id: $m})-[r:OFFERS]->(:Competence {id: $c}) RETURN count(r) AS n",
                    {"m": member.id, "c": item.competence_id},
                ).scalar()
                assert edge == 1, f"{member.id} brings {item.competence_id}: an OFFERS edge"
                assert item.sought_by and member.name not in item.sought_by
        covered = {(c.value_chain, c.stage) for c in proposal.coverage if c.members}
        assert {f"{a}: {b}" for a, b in covered}.isdisjoint(proposal.uncovered_stages)


def test_the_calls_rules_come_from_the_graph_and_options_override_them(xs_graph):
    older = propose_consortia(
        xs_graph, ConsortiumRequest(lead=LEADS[0], call="COS-CLUSTER-2018-03-02", proposals=1, time_limit_s=5)
    )
    assert older.rules.origin["min_countries"] == "call COS-CLUSTER-2018-03-02"
    assert older.rules.min_countries == 3 and older.rules.min_developing == 1
    newer = propose_consortia(xs_graph, ConsortiumRequest(lead=LEADS[0], proposals=1, min_countries=4, time_limit_s=5))
    assert newer.rules.origin["min_countries"] == "option" and newer.rules.min_countries == 4
    assert newer.rules.origin["min_developing"].startswith("clusterkg default")
    assert len({m.country for m in newer.proposals[0].members}) >= 4


def test_impossible_requests_name_the_rule_and_by_how_much(xs_graph):
    with pytest.raises(NotFound, match="no cluster has the id 'nope'"):
        propose_consortia(xs_graph, ConsortiumRequest(lead="nope"))
    with pytest.raises(
        ClusterKGError, match=r"rule 'size' cannot be met: minimum size 6 is larger than maximum size 4 \(by 2\)"
    ):
        propose_consortia(xs_graph, ConsortiumRequest(lead=LEADS[0], min_size=6, max_size=4))
    lead_country = xs_graph.read("MATCH (c:Cluster {id: $id}) RETURN c.country AS c", {"id": LEADS[0]}).scalar()
    with pytest.raises(
        ClusterKGError, match=r"rule 'countries' cannot be met: .* in 1 countries and the rule needs 3 \(short by 2\)"
    ):
        propose_consortia(xs_graph, ConsortiumRequest(lead=LEADS[0], countries=(lead_country,), max_per_country=8))
    with pytest.raises(
        ClusterKGError, match="rule 'eligibility' cannot be met: lead .* is its country .* not eligible"
    ):
        propose_consortia(xs_graph, ConsortiumRequest(lead=LEADS[0], countries=("XX", "YY", "ZZ")))


def test_consortium_cli_writes_markdown_xlsx_and_json(server, xs_graph, tmp_path):
    url = f"redis://:{server.password}@127.0.0.1:{server.port}?graph={xs_graph.graph_name}"
    result = run_cli(
        "consortium",
        "--lead",
        LEADS[1],
        "--proposals",
        "2",
        "--time-limit",
        "6",
        "--out",
        str(tmp_path),
        env={"CLUSTERKG_GRAPH_URL": url},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    data = json.loads((tmp_path / "consortia.json").read_text(encoding="utf-8"))
    assert len(data["proposals"]) == 2 and data["synthetic"] is True
    markdown = (tmp_path / "consortia.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in markdown and "## Proposal 1" in markdown and "### Call rules" in markdown
    for member in data["proposals"][0]["members"]:
        assert member["id"] in markdown
    workbook = openpyxl.load_workbook(tmp_path / "consortia.xlsx", read_only=True)
    assert workbook.sheetnames == ["Proposal 1", "Proposal 2"]
    bad = run_cli(
        "consortium",
        "--lead",
        LEADS[1],
        "--min-size",
        "9",
        "--out",
        str(tmp_path / "bad"),
        env={"CLUSTERKG_GRAPH_URL": url},
    )
    assert bad.returncode == 1 and "rule 'size' cannot be met" in bad.stderr and "Traceback" not in bad.stderr


def test_consortium_over_graphql(xs_graph):
    from starlette.testclient import TestClient

    from clusterkg.web.app import create_app

    query = """query($input: ConsortiumInput!) { consortium(input: $input) {
      summary { status objective bound gap } synthetic
      proposals { rank objective members { id role brings { competenceId members } } rules { rule met origin } uncoveredStages
                  countryMix { dimension value count exchanges } } } }"""
    with TestClient(create_app(store=xs_graph)) as client:
        body = client.post(
            "/graphql",
            json={"query": query, "variables": {"input": {"lead": LEADS[2], "proposals": 2, "timeLimitSeconds": 6}}},
        ).json()
        assert "errors" not in body, body
        result = body["data"]["consortium"]
        assert result["synthetic"] and len(result["proposals"]) == 2
        assert all(rule["met"] for p in result["proposals"] for rule in p["rules"])
        for proposal in result["proposals"]:
            assert [m["id"] for m in proposal["members"] if m["role"] == "lead"] == [LEADS[2]]
            assert sum(c["count"] for c in proposal["countryMix"]) == len(proposal["members"])
            assert all(
                c["exchanges"] == c["count"] for c in proposal["countryMix"]
            )  # the deprecated name still answers
        error = client.post("/graphql", json={"query": query, "variables": {"input": {"lead": "nope"}}}).json()[
            "errors"
        ][0]
        assert error["extensions"]["code"] == "NOT_FOUND"


def test_must_have_members_without_a_lead_and_the_calls_facts(xs_graph):
    from clusterkg.consortium.propose import lead_and_members

    first = propose_consortia(xs_graph, ConsortiumRequest(lead=LEADS[0], proposals=1, time_limit_s=5))
    partner = first.proposals[0].members[1].id
    lead, must = lead_and_members(None, [partner, LEADS[0]])
    plan = propose_consortia(xs_graph, ConsortiumRequest(lead=lead, must_include=must, proposals=2, time_limit_s=5))
    for proposal in plan.proposals:
        ids = [m.id for m in proposal.members]
        assert {partner, LEADS[0]} <= set(ids)
        assert {m.id: m.role for m in proposal.members}[partner] == "lead"
    assert plan.as_dict()["call_facts"]["max_grant_eur"] == 500_000
    with pytest.raises(ClusterKGError, match="give a lead cluster"):
        lead_and_members(None, [])
