"""Score profiles and the approximate organisation search (clusterkg.queries.vectors, clusterkg.scoring.nearest).

On the real embedded FalkorDB: every organisation has the profile of what
it offers and seeks, and the profile's vector and lists hold exactly what
need and reciprocity count (checked against the in-memory reference's
incidence); the profile path gives the exact page at xs; a load keeps the
profiles current; stale ones send searches to the exact query; and GraphQL
says which path answered.
"""

from __future__ import annotations

import csv
import random

import numpy as np
import pytest
from starlette.testclient import TestClient

from clusterkg import queries
from clusterkg.loaders.pipeline import load_files
from clusterkg.queries import vectors
from clusterkg.scoring import nearest
from clusterkg.scoring.complementarity import Filters, Weights, partner_search
from clusterkg.scoring.reference import export_incidence
from clusterkg.web.app import create_app
from tests.conftest import drop, synthetic_graph


@pytest.fixture(scope="module")
def graph(server, reference_data, tmp_path_factory):
    """xs, changed by the tests below (a module of its own)."""
    directory = tmp_path_factory.mktemp("vectors-xs")
    store = synthetic_graph(server, reference_data, directory, "xs", "vectors")
    store.directory = directory  # type: ignore[attr-defined]
    yield store
    drop(store)


def profile_of(store, organisation_id: str) -> dict:
    rows = store.read(
        "MATCH (:Organisation {id: $id})-[:HAS_PROFILE]->(p:ScoreProfile) RETURN p {.*} AS p", {"id": organisation_id}
    ).rows
    return rows[0]["p"] if rows else {}


def vector_of(store, organisation_id: str) -> list[float]:
    return list(profile_of(store, organisation_id).get("vector") or [])


def test_every_profile_holds_what_need_and_reciprocity_count(graph):
    found = vectors.state(graph)
    assert found.slots is not None and found.ready
    data = export_incidence(graph)
    side = data.sides["Organisation"]
    with_profile = graph.read("MATCH (o:Organisation)-[:HAS_PROFILE]->() RETURN count(o) AS n").scalar()
    assert with_profile == sum(1 for i in range(len(side.ids)) if side.offers[i].nnz + side.seeks[i].nnz)
    assert found.profiles < with_profile / 3  # organisations share profiles: fewer to search
    members = graph.read("MATCH (p:ScoreProfile) RETURN sum(p.members) AS n").scalar()
    assert members == with_profile
    slot_of = {r["id"]: r["slot"] for r in queries.run(graph, "score_vector_slots").rows}
    for organisation_id in random.Random(5).sample(side.ids, 60):
        row = side.row[organisation_id]
        profile = profile_of(graph, organisation_id)
        covers = {data.competences[c] for c in side.covers[row].indices}
        seeks = {data.competences[c] for c in side.seeks[row].indices}
        assert set(profile["covers"]) == covers and set(profile["seeks"]) == seeks
        assert set(profile["offers"]) == {data.competences[c] for c in side.offers[row].indices}
        vector = np.array(profile["vector"])
        assert len(vector) == vectors.dimension(found.slots)
        ones = {slot_of[c] for c in covers} | {found.slots + slot_of[c] for c in seeks}
        assert set(np.flatnonzero(vector[:-1])) == ones
        assert float(vector @ vector) == pytest.approx(found.norm, rel=1e-5)  # every vector has the same norm


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(categories=("less_developed", "transition")), Filters(exclude_own_country=True)],
    ids=["all", "categories", "abroad"],
)
def test_the_vector_path_gives_the_exact_page_at_xs(graph, filters):
    rng = random.Random(11)
    organisations = [
        r["id"] for r in graph.read("MATCH (o:Organisation)-[:OFFERS]->() RETURN DISTINCT o.id AS id").rows
    ]
    clusters = [r["id"] for r in graph.read("MATCH (c:Cluster) RETURN c.id AS id").rows]
    postings = [r["id"] for r in graph.read("MATCH (p:Posting) RETURN p.id AS id ORDER BY id LIMIT 3").rows]
    checked = 0
    for seeker in rng.sample(organisations, 12) + rng.sample(clusters, 12) + postings:
        exact = partner_search(graph, seeker, candidates="Organisation", filters=filters, exact=True, explain=False)
        profiles = partner_search(graph, seeker, candidates="Organisation", filters=filters, explain=False)
        vector = partner_search(graph, seeker, candidates="Organisation", filters=filters, exact=False, explain=False)
        assert all(m.exact for m in exact + profiles) and not any(m.exact for m in vector)
        page = [(m.id, round(m.score, 9), m.need, m.reciprocity, m.ties, m.requests) for m in exact]
        assert [(m.id, round(m.score, 9), m.need, m.reciprocity, m.ties, m.requests) for m in profiles] == page, seeker
        assert [(m.id, round(m.score, 9), m.need, m.reciprocity, m.ties, m.requests) for m in vector] == page, seeker
        checked += bool(exact)
    assert checked >= 20


def test_small_pages_further_down_agree_too(graph):
    seekers = [r["id"] for r in graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 6").rows]
    for seeker in seekers:
        for skip in (0, 3, 9):
            exact = partner_search(
                graph, seeker, candidates="Organisation", first=3, skip=skip, exact=True, explain=False
            )
            profiles = partner_search(graph, seeker, candidates="Organisation", first=3, skip=skip, explain=False)
            assert [(m.id, round(m.score, 9)) for m in profiles] == [(m.id, round(m.score, 9)) for m in exact]


def test_with_weights_and_ties_counted_the_pages_agree_too(graph):
    weights = Weights(collaboration=0.7, value_chain=1.5, overlap=0.5)
    for seeker in [r["id"] for r in graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 8").rows]:
        exact = partner_search(
            graph, seeker, candidates="Organisation", weights=weights, exclude_ties=False, exact=True, explain=False
        )
        vector = partner_search(
            graph, seeker, candidates="Organisation", weights=weights, exclude_ties=False, exact=False, explain=False
        )
        assert [(m.id, round(m.score, 9)) for m in vector] == [(m.id, round(m.score, 9)) for m in exact]


def certain_from_first_members(store, seeker: str, filters: Filters, look: tuple[int, int] = (240, 1920)) -> bool:
    """Whether partner_profiles took its members from the profiles' first ids alone (its text up to that decision)."""
    text = queries.get("partner_profiles").text_for("falkordb", {"seeker": "Cluster"})
    text = text[: text.index("// else every member")] + "RETURN certain"
    params = {**filters.params(), **Weights().params(), "exclude_ties": True, "skip": 0, "limit": 20}
    params |= {
        "seeker_id": seeker,
        "profile_ids": None,
        "reach": 200,
        "take": 60,
        "look": look[0],
        "look_more": look[1],
    }
    params |= {"today": "2026-01-01"}
    return bool(store.read(text, params).scalar())


def test_profiles_cut_short_to_their_first_members_give_the_exact_page(graph, monkeypatch):
    seeker = graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 1").scalar()
    # xs's profiles are listed whole: 20 ids looked up cannot give 60 members, 20 then 2,000 can
    assert graph.read("MATCH (p:ScoreProfile) WHERE p.first_until IS NOT NULL RETURN count(p) AS n").scalar() == 0
    assert not certain_from_first_members(graph, seeker, Filters(), look=(20, 20))
    assert certain_from_first_members(graph, seeker, Filters(), look=(20, 2000))
    monkeypatch.setattr(vectors, "FIRST_MEMBERS", 10)
    graph.write("MATCH (p:ScoreProfile) SET p.recount = true")
    vectors.refresh(graph)
    try:
        lists = graph.read(
            "MATCH (p:ScoreProfile)<-[:HAS_PROFILE]-(o:Organisation) WITH p, o.id AS id ORDER BY id"
            " RETURN p.first_members AS first, p.first_until AS until, collect(id) AS members"
        ).rows
        assert sum(r["until"] is not None for r in lists) >= 10
        for row in lists:
            assert row["first"] == row["members"][:10]
            assert row["until"] == (row["members"][9] if len(row["members"]) > 10 else None)
        clusters = [r["id"] for r in graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 10").rows]
        country = graph.read("MATCH (o:Organisation) RETURN o.country AS c, count(*) AS n ORDER BY n DESC LIMIT 1")
        certain: dict[tuple[int, int], list[bool]] = {(4, 32): [], (1, 2): []}
        for look_per_take in certain:  # (1, 2): fewer ids looked up than the lists hold, the merged lists cut twice
            monkeypatch.setattr(nearest, "LOOK_PER_TAKE", look_per_take[0])
            monkeypatch.setattr(nearest, "LOOK_MORE_PER_TAKE", look_per_take[1])
            for filters in (
                Filters(),
                Filters(categories=("less_developed", "transition")),
                Filters(countries=(country.rows[0]["c"],)),
            ):
                for seeker in clusters:
                    exact = partner_search(
                        graph, seeker, candidates="Organisation", filters=filters, exact=True, explain=False
                    )
                    found = partner_search(graph, seeker, candidates="Organisation", filters=filters, explain=False)
                    assert [(m.id, round(m.score, 9)) for m in found] == [(m.id, round(m.score, 9)) for m in exact], (
                        seeker
                    )
                    certain[look_per_take].append(
                        certain_from_first_members(
                            graph, seeker, filters, look=(60 * look_per_take[0], 60 * look_per_take[1])
                        )
                    )
        for answered in certain.values():  # both the lists alone and the whole profiles answered
            assert any(answered) and not all(answered)
        # a member deleted without a refresh leaves its id in a list: it is passed over, and the page stays exact
        gone = next(r["first"][0] for r in lists if r["until"] is not None)
        graph.write("MATCH (o:Organisation {id: $id}) DETACH DELETE o", {"id": gone})
        for seeker in clusters:
            exact = partner_search(graph, seeker, candidates="Organisation", exact=True, explain=False)
            found = partner_search(graph, seeker, candidates="Organisation", explain=False)
            assert [(m.id, round(m.score, 9)) for m in found] == [(m.id, round(m.score, 9)) for m in exact], seeker
        # one marked before it goes (what a load does) has its profile recounted: its id leaves the list
        marked = next(r["first"][0] for r in lists if r["until"] is not None and r["first"][0] != gone)
        vectors.mark_stale(graph, [marked])
        graph.write("MATCH (o:Organisation {id: $id}) DETACH DELETE o", {"id": marked})
        vectors.refresh(graph)
        listing = "MATCH (p:ScoreProfile) WHERE $id IN p.first_members RETURN count(p) AS n"
        assert graph.read(listing, {"id": marked}).scalar() == 0
        # profiles kept from before the lists have none: they are opened whole until a refresh lists them
        graph.write("MATCH (p:ScoreProfile) REMOVE p.first_members, p.first_until")
        assert not certain_from_first_members(graph, clusters[0], Filters())
        assert [m.id for m in partner_search(graph, clusters[0], candidates="Organisation", explain=False)] == [
            m.id for m in partner_search(graph, clusters[0], candidates="Organisation", exact=True, explain=False)
        ]
        vectors.refresh(graph)
        assert graph.read("MATCH (p:ScoreProfile) WHERE p.first_members IS NULL RETURN count(p) AS n").scalar() == 0
    finally:
        monkeypatch.undo()
        graph.write("MATCH (p:ScoreProfile) SET p.recount = true")
        vectors.refresh(graph)


def test_a_load_that_changes_offers_recomputes_those_vectors(graph, tmp_path):
    members = graph.directory / "members.csv"
    with open(members, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    target = rows[0]
    before = vector_of(graph, target["organisation_id"])
    competences = [r["name"] for r in graph.read("MATCH (c:Competence) RETURN c.name AS name ORDER BY name").rows]
    new_offer = next(c for c in competences if c not in target["offers"].split("|"))
    changed = [{**r, "offers": new_offer} for r in rows if r["organisation_id"] == target["organisation_id"]]
    path = tmp_path / "members.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(changed)
    report = load_files(graph, "members", [path])
    assert report.ok and report.written
    after = vector_of(graph, target["organisation_id"])
    assert after != before and vectors.state(graph).ready
    assert graph.read("MATCH (p:ScoreProfile) WHERE p.members = 0 RETURN count(p) AS n").scalar() == 0
    slot = {r["id"]: r["slot"] for r in queries.run(graph, "score_vector_slots").rows}
    new_id = graph.read("MATCH (c:Competence {name: $n}) RETURN c.id AS id", {"n": new_offer}).scalar()
    assert after[slot[new_id]] == 1.0


def test_while_a_vector_is_stale_searches_are_exact_and_a_refresh_mends_it(graph):
    seeker = graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 1").scalar()
    organisation = graph.read("MATCH (o:Organisation)-[:OFFERS]->() RETURN o.id AS id ORDER BY id LIMIT 1").scalar()
    vectors.mark_stale(graph, [organisation])  # what a load does before it writes (a crash may stop it there)
    assert vectors.state(graph).stale
    assert all(m.exact for m in partner_search(graph, seeker, candidates="Organisation", exact=False, explain=False))
    assert vectors.refresh(graph) == 1
    assert vectors.refresh(graph) == 0  # idempotent
    assert vectors.state(graph).ready
    assert not any(
        m.exact for m in partner_search(graph, seeker, candidates="Organisation", exact=False, explain=False)
    )


def test_a_fuller_profile_than_any_before_grows_every_vector_s_norm(graph):
    before = vectors.state(graph)
    organisation = graph.read("MATCH (o:Organisation)-[:OFFERS]->() RETURN o.id AS id ORDER BY id LIMIT 1").scalar()
    vectors.mark_stale(graph, [organisation])
    graph.write(
        "MATCH (o:Organisation {id: $id}) MATCH (c:Competence) WITH o, c ORDER BY c.id LIMIT 12 MERGE (o)-[:OFFERS]->(c)",
        {"id": organisation},
    )
    assert vectors.refresh(graph) == 1
    after = vectors.state(graph)
    assert after.ready and after.norm > before.norm
    vector = np.array(vector_of(graph, organisation))
    assert float(vector @ vector) == pytest.approx(after.norm, rel=1e-5)


def test_graphql_says_which_path_answered(graph):
    seeker = graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 1").scalar()
    query = """query($input: PartnerSearchInput!) { partnerSearch(input: $input) { score exact partner { ... on Organisation { id } } } }"""
    with TestClient(create_app(store=graph)) as client:

        def run(**extra: object) -> list[dict]:
            body = {"query": query, "variables": {"input": {"seekerId": seeker, "candidates": "ORGANISATION", **extra}}}
            response = client.post("/graphql", json=body)
            assert response.status_code == 200 and not response.json().get("errors"), response.text
            return response.json()["data"]["partnerSearch"]

        default, approximate, exact = run(), run(exact=False), run(exact=True)
    assert default and all(m["exact"] for m in default)  # xs is below the size where the index answers by default
    assert not any(m["exact"] for m in approximate)
    assert (
        [m["partner"]["id"] for m in approximate]
        == [m["partner"]["id"] for m in exact]
        == [m["partner"]["id"] for m in default]
    )
