"""The same data, queries, API and jobs on a real Neo4j 5, compared with the embedded FalkorDB.

Neo4j comes from testcontainers where a Docker engine runs, else from
tools/neo4j-local (Neo4j Community in a JVM, Bolt on loopback): see
tests/neo4j_local.py. The module is skipped only where neither exists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from clusterkg import queries
from clusterkg.consortium.model import ConsortiumRequest
from clusterkg.consortium.propose import propose_consortia
from clusterkg.errors import QueryError, QueryTimeout, ReadOnlyViolation
from clusterkg.graph import open_store
from clusterkg.loaders.cordis.load import load_cordis
from clusterkg.loaders.export import export
from clusterkg.loaders.pipeline import load_directory
from clusterkg.loaders.reference import load_reference
from clusterkg.loaders.synthetic import generate
from clusterkg.queries import vectors
from clusterkg.queries.adhoc import run_adhoc
from clusterkg.queries.where import compile_page
from clusterkg.schema import NODE_TYPES, apply_schema, schema_version
from clusterkg.schema.content import content_hash
from clusterkg.scoring.complementarity import partner_search
from clusterkg.scoring.reference import export_incidence, reference_search
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.conftest import drop, reference_graph
from tests.neo4j_local import neo4j_url, unavailable

REASON = unavailable()
pytestmark = [pytest.mark.neo4j, pytest.mark.skipif(REASON is not None, reason=REASON or "")]
# full-text scores are engine-specific (ENGINES.md §2), and each engine's vector index is its own approximation
SCORE_DEPENDS_ON_ENGINE = {"search_fulltext", "score_profiles_nearest"}
STABLE_COLUMNS = {
    "loads_by_status": ("id", "kind", "status", "files", "command"),  # not when, nor which process, loaded
    "score_vectors_state": (
        "slots",
        "norm",
        "signature",
    ),  # not the counts of the last refresh (tests add organisations)
}
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
CORDIS_EXAMPLE = EXAMPLES / "cordis" / "csv"


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory):
    return generate("xs", 42, tmp_path_factory.mktemp("xs")).directory


@pytest.fixture(scope="module")
def neo4j_store(reference_data, synthetic_dir):
    with neo4j_url() as url:
        store = open_store(Settings(graph_url=url))
        try:
            load_reference(store, reference_data)
            for directory in (synthetic_dir, EXAMPLES):  # every loader kind
                reports = load_directory(store, directory)
                assert all(r.written and not r.errors for r in reports), [vars(i) for r in reports for i in r.errors]
            assert load_cordis(store, CORDIS_EXAMPLE).written  # projects, participations and ties too
            yield store
        finally:
            store.close()


@pytest.fixture(scope="module")
def falkordb_twin(server, reference_data, synthetic_dir):
    store = reference_graph(server, reference_data, "twin")
    for directory in (synthetic_dir, EXAMPLES):
        load_directory(store, directory)
    load_cordis(store, CORDIS_EXAMPLE)
    yield store
    drop(store)


def _canonical(rows: list[dict]) -> list[str]:
    """Rows as sorted JSON: engines may order unordered results differently, and return 2 or 2.0.

    Lists of plain values are compared as multisets: a pattern comprehension (`[(c)-[:OFFERS]->(k) | k.id]`)
    has no order on either engine, and each returns its own. Ordered lists come from properties, which the
    content-hash test compares exactly."""

    def normal(value):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, float):
            return round(value, 9)
        if isinstance(value, dict):
            return {k: normal(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [normal(v) for v in value]
            return (
                sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
                if all(not isinstance(v, (dict, list)) for v in items)
                else items
            )
        return value

    return sorted(json.dumps(normal(r), sort_keys=True, default=str) for r in rows)


def test_schema_is_applied_idempotently(neo4j_store):
    found = {(i.label, i.properties, i.kind) for i in neo4j_store.indexes()}
    for node_type in NODE_TYPES:
        assert (node_type.label, (node_type.key,), "unique") in found
        for prop in node_type.indexed:
            assert (node_type.label, (prop,), "range") in found
        if node_type.fulltext:
            assert all((node_type.label, (p,), "fulltext") in found for p in node_type.fulltext)
    assert apply_schema(neo4j_store).created == []
    assert schema_version(neo4j_store) is not None


def test_every_loader_kind_gives_the_same_graph_and_reloading_changes_nothing(
    neo4j_store, falkordb_twin, reference_data, synthetic_dir
):
    assert content_hash(neo4j_store).hexdigest == content_hash(falkordb_twin).hexdigest
    stats = load_reference(neo4j_store, reference_data).stats
    reports = load_directory(neo4j_store, synthetic_dir)
    assert stats.nodes_created == stats.relationships_created == 0
    assert (
        sum(r.stats.nodes_created + r.stats.relationships_created + r.stats.relationships_deleted for r in reports) == 0
    )


def test_every_library_query_gives_the_same_rows_on_both_engines(neo4j_store, falkordb_twin):
    for query in queries.library().values():
        if query.mode != "read":
            continue  # the write side's queries: test_edits_review_and_revert_are_the_same_on_neo4j
        if "neo4j" not in query.engines:
            continue  # FalkorDB's own (node id pages, queries/ranges.py); on Neo4j, organisation_ids_after
        for labels in query.label_combinations():
            on_neo4j = queries.run(neo4j_store, query.name, query.example, labels=labels).rows
            on_falkordb = queries.run(falkordb_twin, query.name, query.example, labels=labels).rows
            if query.name in STABLE_COLUMNS:
                on_neo4j, on_falkordb = (
                    [{k: r[k] for k in STABLE_COLUMNS[query.name]} for r in rows] for rows in (on_neo4j, on_falkordb)
                )
            if query.name in SCORE_DEPENDS_ON_ENGINE:  # the ranking differs; every match, unranked, must not
                everything = {**query.example, **{key: 10_000 for key in ("limit", "k") if key in query.example}}
                on_neo4j, on_falkordb = (
                    queries.run(store, query.name, everything, labels=labels).rows
                    for store in (neo4j_store, falkordb_twin)
                )
                assert {r["id"] for r in on_neo4j} == {r["id"] for r in on_falkordb}, (query.name, labels)
                assert on_neo4j or labels != query.label_combinations()[0], (query.name, "no hits for the example")
                continue
            neo4j_rows, falkordb_rows = _canonical(on_neo4j), _canonical(on_falkordb)
            only = (sorted(set(neo4j_rows) - set(falkordb_rows))[:5], sorted(set(falkordb_rows) - set(neo4j_rows))[:5])
            assert neo4j_rows == falkordb_rows, (query.name, labels, "only on Neo4j, only on FalkorDB:", only)


def test_partner_search_over_graphql_equals_falkordb_and_the_reference(neo4j_store, falkordb_twin):
    query = """query($id: ID!) { partnerSearch(input: {seekerId: $id, first: 20, regionCategories: [LESS_DEVELOPED, TRANSITION]}) {
        score partner { ... on Cluster { id } } explanation { needFit { sought { id } offered { id } } valueChains { fit } ties } } }"""
    seekers = [r["id"] for r in falkordb_twin.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 12").rows]
    results = {}
    for name, store in (("neo4j", neo4j_store), ("falkordb", falkordb_twin)):
        with TestClient(create_app(store=store)) as client:
            results[name] = [
                client.post("/graphql", json={"query": query, "variables": {"id": s}}).json() for s in seekers
            ]
    incidence = export_incidence(neo4j_store)
    from clusterkg.scoring.complementarity import Filters

    filters = Filters(categories=("less_developed", "transition"))
    for seeker, on_neo4j, on_falkordb in zip(seekers, results["neo4j"], results["falkordb"]):
        assert "errors" not in on_neo4j, on_neo4j
        neo4j_matches, falkordb_matches = on_neo4j["data"]["partnerSearch"], on_falkordb["data"]["partnerSearch"]
        assert [m["partner"]["id"] for m in neo4j_matches] == [m["partner"]["id"] for m in falkordb_matches]
        for a, b in zip(neo4j_matches, falkordb_matches):
            assert abs(a["score"] - b["score"]) < 1e-9 and a["explanation"] == b["explanation"]
        expected = reference_search(incidence, ("Cluster", seeker), filters=filters, first=20)
        assert [(m.id, round(m.score, 9)) for m in expected] == [
            (m["partner"]["id"], round(m["score"], 9)) for m in neo4j_matches
        ]


def test_organisation_partners_through_profiles_cut_short_are_exact_on_neo4j(neo4j_store, falkordb_twin, monkeypatch):
    """Profiles keep their first 10 member ids (most of xs's big ones are cut short): Neo4j keeps them in id order,
    and its pages through them are its exact query's and FalkorDB's."""
    seekers = [
        r["id"]
        for r in falkordb_twin.read(
            "MATCH (c:Cluster) WHERE c.id STARTS WITH 'syn-' RETURN c.id AS id ORDER BY id LIMIT 8"
        ).rows
    ]
    monkeypatch.setattr(vectors, "FIRST_MEMBERS", 10)
    try:
        for store in (neo4j_store, falkordb_twin):
            store.write("MATCH (p:ScoreProfile) SET p.recount = true")
            vectors.refresh(store)
        lists = neo4j_store.read(
            "MATCH (p:ScoreProfile)<-[:HAS_PROFILE]-(o:Organisation) WITH p, o.id AS id ORDER BY id"
            " RETURN p.first_members AS first, p.first_until AS until, collect(id) AS members"
        ).rows
        assert any(r["until"] is not None for r in lists)
        assert all(r["first"] == r["members"][:10] for r in lists)
        for seeker in seekers:
            pages = [
                [
                    (m.id, round(m.score, 9))
                    for m in partner_search(store, seeker, candidates="Organisation", exact=exact)
                ]
                for store, exact in ((neo4j_store, None), (neo4j_store, True), (falkordb_twin, None))
            ]
            assert pages[0] and pages[0] == pages[1] == pages[2], seeker
    finally:
        monkeypatch.undo()
        for store in (neo4j_store, falkordb_twin):
            store.write("MATCH (p:ScoreProfile) SET p.recount = true")
            vectors.refresh(store)


def test_region_partners_are_the_same_on_both_engines(neo4j_store, falkordb_twin):
    query = '{ regionPartners(input: {nuts: "%s", first: 5}) { region { nuts } score needFit { id } } }'
    regions = [
        r["nuts"]
        for r in falkordb_twin.read(
            "MATCH (c:Cluster)-[:LOCATED_IN]->(r:Region) RETURN DISTINCT r.nuts AS nuts ORDER BY nuts LIMIT 4"
        ).rows
    ]
    for nuts in regions:
        answers = []
        for store in (neo4j_store, falkordb_twin):
            with TestClient(create_app(store=store)) as client:
                answers.append(client.post("/graphql", json={"query": query % nuts}).json())
        assert "errors" not in answers[0], answers[0]
        neo4j_rows, falkordb_rows = (
            [(p["region"]["nuts"], round(p["score"], 9), p["needFit"]) for p in a["data"]["regionPartners"]]
            for a in answers
        )
        assert neo4j_rows == falkordb_rows, nuts  # the engines sum floats in their own order: equal to 1e-9


NEO4J_WRITES = [
    "CREATE (:Pwned)",
    "MATCH (c:Country {code: 'IT'}) SET c.name = 'x'",
    "MATCH (c:Country {code: 'IT'}) DETACH DELETE c",
    "MERGE (:Pwned {n: 1})",
    "CREATE INDEX pwned FOR (n:Pwned) ON (n.x)",
    "DROP INDEX cluster_nuts IF EXISTS",
    "CALL db.createLabel('Pwned')",
    "CALL db.createProperty('pwned')",
    "FOREACH (i IN [1] | CREATE (:Pwned))",
    "CALL { CREATE (:Pwned) RETURN 1 AS one } RETURN one",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
]


def test_the_analyst_doors_are_read_only_on_neo4j(neo4j_store):
    before = (content_hash(neo4j_store).hexdigest, sorted(map(repr, neo4j_store.indexes())))
    for write in NEO4J_WRITES:
        for form in ("{q}", "EXPLAIN {q}", "PROFILE {q}", "/* c */ profile {q}"):
            with pytest.raises((ReadOnlyViolation, QueryError)):
                run_adhoc(neo4j_store, form.format(q=write), timeout_ms=5_000)
    with pytest.raises(QueryError):
        neo4j_store.read("EXPLAIN MATCH (n) RETURN n")  # the prefix never travels as text
    assert run_adhoc(neo4j_store, "EXPLAIN MATCH (n:Cluster) RETURN n.id").plan.lines
    assert run_adhoc(neo4j_store, "PROFILE MATCH (n:Cluster) RETURN n.id").plan.profiled
    capped = run_adhoc(neo4j_store, "UNWIND range(1, 100000) AS i RETURN i", max_rows=10)
    assert len(capped.rows) == 10 and capped.truncated
    assert (content_hash(neo4j_store).hexdigest, sorted(map(repr, neo4j_store.indexes()))) == before


def test_time_limits_stop_queries_on_neo4j(neo4j_store):
    slow = "MATCH (a:Region), (b:Region), (c:Region) WHERE a.nuts < b.nuts RETURN count(*) AS n"  # Neo4j counts a bare product from its statistics
    with pytest.raises(QueryTimeout):
        neo4j_store.read(slow, timeout_ms=500)
    with pytest.raises(QueryTimeout):
        run_adhoc(neo4j_store, "PROFILE " + slow, timeout_ms=500)


def test_the_matching_jobs_read_from_neo4j(neo4j_store, falkordb_twin):
    lead = falkordb_twin.read(
        "MATCH (c:Cluster) WHERE c.synthetic = true RETURN c.id AS id ORDER BY id LIMIT 1"
    ).scalar()
    plans = [
        propose_consortia(store, ConsortiumRequest(lead=lead, proposals=1, max_size=5, time_limit_s=5))
        for store in (neo4j_store, falkordb_twin)
    ]
    assert plans[0].shortlist == plans[1].shortlist and plans[0].rules.countries == plans[1].rules.countries
    assert all(rule.met for rule in plans[0].proposals[0].rules)
    on_neo4j = [m.id for m in partner_search(neo4j_store, lead, first=5)]
    assert on_neo4j == [m.id for m in partner_search(falkordb_twin, lead, first=5)]


def test_an_export_of_falkordb_loads_into_an_empty_neo4j_as_the_same_graph(
    neo4j_store, falkordb_twin, reference_data, tmp_path
):
    """The path from the embedded engine to production: `clusterkg export` then `load dir`, equal content hashes."""
    expected = content_hash(falkordb_twin).hexdigest
    report = export(falkordb_twin, tmp_path / "export")
    assert report.counts["clusters"] > 0
    while neo4j_store.write("MATCH (n) WITH n LIMIT 20000 DETACH DELETE n").nodes_deleted:
        pass
    assert content_hash(neo4j_store).hexdigest != expected
    load_reference(neo4j_store, reference_data)
    reports = load_directory(neo4j_store, tmp_path / "export")
    assert all(r.written and not r.errors for r in reports)
    assert load_cordis(neo4j_store, tmp_path / "export" / "cordis", strict=True).written  # as `clusterkg load dir` does
    assert content_hash(neo4j_store).hexdigest == expected


def _edit_story(store) -> list[tuple]:
    """The same edits, reviews and revert on one engine; what each returned, without ids and times."""
    from clusterkg.accounts.principal import Account, Principal
    from clusterkg.changes import service
    from clusterkg.changes.fields import NewMember
    from clusterkg.errors import Conflict, FieldErrors

    editor = Principal(Account("acc-ed", "ed@cluster.example", None, frozenset({"editor"}), frozenset({"syn-c000002"})))
    moderator = Principal(Account("acc-mod", "mo@eccp.example", None, frozenset({"moderator"})))
    cluster = "syn-c000002"
    story: list[tuple] = []
    pending = service.edit_cluster(
        store, editor, cluster, service.Edit("profile", profile={"website": "https://two.example"}), 0
    )
    story.append(("submitted", pending.status, pending.base_revision))
    approved = service.review_change(store, moderator, pending.id, "APPROVE", "ok")
    story.append(("approved", approved.status, approved.revision))
    try:
        service.edit_cluster(store, editor, cluster, service.Edit("profile", profile={"city": "X"}), 0)
    except Conflict as exc:
        story.append(("stale", exc.current))
    try:
        service.edit_cluster(store, editor, cluster, service.Edit("profile", profile={"website": "ftp://x"}), 1)
    except FieldErrors as exc:
        story.append(("bad", sorted(exc.fields)))
    fte = service.edit_cluster(store, moderator, cluster, service.Edit("profile", profile={"managementFte": 2.0}), 1)
    competence = store.read("MATCH (k:Competence) RETURN k.id AS id ORDER BY k.id LIMIT 1").scalar()
    offers = service.edit_cluster(
        store, editor, cluster, service.Edit("competences", offers=[competence]), fte.revision or 0
    )
    members = service.edit_cluster(
        store,
        moderator,
        cluster,
        service.Edit("members", add_members=[NewMember(None, "Ente Pubblico", "public")]),
        offers.revision or 0,
    )
    reverted = service.revert_change(store, moderator, offers.id)
    story.append(("published", fte.status, offers.status, members.status, reverted.status, reverted.revision))
    state = service.read_current(store, cluster)
    story.append(
        (
            "state",
            state.revision,
            state.properties.get("website"),
            state.properties.get("management_fte"),
            state.member_kinds,
        )
    )
    history = service.history(store, moderator, cluster, 100, None)
    story.append(("history", sorted((e.field.field, e.change.status) for e in history)))
    return story


def test_edits_review_and_revert_are_the_same_on_neo4j(neo4j_store, falkordb_twin):
    assert _edit_story(neo4j_store) == _edit_story(falkordb_twin)


def test_two_writers_on_neo4j_never_both_pass_one_revision(neo4j_store):
    """The write lock before the revision check: concurrent edits each get their own revision, none lost."""
    import threading

    from clusterkg.accounts.principal import Account, Principal
    from clusterkg.changes import service
    from clusterkg.errors import Conflict

    moderator = Principal(Account("acc-mod", "mo@eccp.example", None, frozenset({"moderator"})))
    cluster = "syn-c000004"
    published: list[int] = []
    conflicts: list[int] = []
    lock = threading.Lock()

    def write(name: str) -> None:
        for n in range(25):
            while True:
                revision = service.read_current(neo4j_store, cluster).revision
                try:
                    record = service.edit_cluster(
                        neo4j_store,
                        moderator,
                        cluster,
                        service.Edit("profile", profile={"acronym": f"{name}{n}"}),
                        revision,
                    )
                except Conflict:
                    with lock:
                        conflicts.append(1)
                    continue
                with lock:
                    published.append(record.revision or 0)
                break

    threads = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert sorted(published) == list(range(1, 51))
    changes = neo4j_store.read(
        "MATCH (ch:Change)-[:CHANGES]->(:Cluster {id: $id}) RETURN count(ch) AS n", {"id": cluster}
    ).scalar()
    assert changes == 50 and service.read_current(neo4j_store, cluster).revision == 50


def _posting_story(store, data_dir: Path) -> list:
    """Create, find, rank, express interest, accept, expire and renew a posting: what each step answered."""
    import datetime as dt

    from clusterkg.accounts.principal import Account, Principal
    from clusterkg.postings import interests, service
    from clusterkg.postings.fields import PostingDraft
    from clusterkg.postings.private import PrivateStore
    from clusterkg.postings.search import PostingFilter, find_postings

    owner, other = "syn-c000008", "syn-c000009"
    editor = Principal(Account("acc-own", "own@a.example", None, frozenset({"editor"}), frozenset({owner})))
    answering = Principal(Account("acc-oth", "oth@b.example", None, frozenset({"editor"}), frozenset({other})))
    private = PrivateStore(data_dir)
    day = dt.datetime.now(dt.UTC).date()
    offered = sorted(
        r["id"] for r in store.read("MATCH (:Cluster {id: $id})-[:OFFERS]->(k) RETURN k.id AS id", {"id": other}).rows
    )
    draft = PostingDraft(
        "REQUEST", "Sought", "A pilot line.", [offered[0]], deadline=(day + dt.timedelta(days=30)).isoformat()
    )
    posting = service.create_posting(store, editor, owner, draft, day=day)
    story: list = [("created", posting.status, posting.revision, posting.competences)]
    total, found = find_postings(store, editor, PostingFilter(competences=(offered[0],)), day=day)
    story.append(("found", posting.id in {p.id for p in found}))
    matches = {m.id: m for m in partner_search(store, other, first=100, exclude_ties=False)}
    story.append(
        (
            "ranked",
            matches[owner].requests,
            matches[owner].posting,
            [p.id == posting.id for p in matches[owner].explanation.postings],
        )
    )
    interest = interests.express_interest(store, private, answering, posting.id, other, "hello", day=day)
    accepted = interests.decide_interest(store, private, editor, interest.id, True)
    tie = store.read(
        "MATCH (:Cluster {id: $a})-[t:CONNECTED]->(:Cluster {id: $b}) RETURN t.posting_id AS p",
        {"a": owner, "b": other},
    ).scalar()
    story.append(("interest", accepted.status, tie == posting.id))
    later = day + dt.timedelta(days=31)
    expired = service.expire_due(store, day=later)
    renewed = service.renew_posting(store, editor, posting.id, (later + dt.timedelta(days=30)).isoformat(), day=later)
    story.append(
        (
            "expired",
            posting.id in expired,
            renewed.status,
            renewed.deadline == (later + dt.timedelta(days=30)).isoformat(),
        )
    )
    return story


def test_postings_are_the_same_on_neo4j(neo4j_store, falkordb_twin, tmp_path):
    assert _posting_story(neo4j_store, tmp_path / "neo4j") == _posting_story(falkordb_twin, tmp_path / "falkordb")


def _programme_story(store) -> list:
    """Apply, validate, offer, match, accept on both sides, complete; progress of the call and of an event."""
    import datetime as dt

    from clusterkg.accounts.principal import Account, Principal
    from clusterkg.programme import applications, exchange_steps, matching
    from clusterkg.programme.progress import call_progress, event_progress

    officer = Principal(Account("acc-off", "off@eismea.example", None, frozenset({"moderator"})))
    call = "COS-CLUSTER-2020-3-03"
    partnership = store.read(
        "MATCH (p:Partnership)-[:FUNDED_BY]->(:Call {id: $c}) RETURN p.id AS p ORDER BY p LIMIT 1", {"c": call}
    ).scalar()
    clusters = store.read("MATCH (c:Cluster) RETURN c.id AS id, c.country AS country ORDER BY id").rows
    partners = {r["id"] for r in store.read("MATCH (c:Cluster)-[:PARTNER_IN]->() RETURN c.id AS id").rows}
    sender = [c for c in clusters if c["id"] not in partners][5]  # outside the community: the call's quota allows one
    host = next(c for c in clusters if c["country"] != sender["country"])
    start = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=20)
    applied = applications.apply(
        store,
        officer,
        applications.ApplicationInput(
            partnership,
            sender["id"],
            ["c-cell-chemistry"],
            start,
            start + dt.timedelta(days=30),
            4,
            None,
            "Visitor",
            "sme",
        ),
    )
    story: list = [("applied", applied["status"], applied["call_id"] == call)]
    story.append(("validated", applications.validate(store, officer, applied["id"], True)["status"]))
    applications.offer_hosting(
        store, officer, call, host["id"], 1, start, start + dt.timedelta(days=40), ["c-cell-chemistry"]
    )
    run = matching.run_matching(store, officer, call)
    story.append(("run", run["proposed"], run["kept"]))
    proposed = [m for m in applications.items(store, "ExchangeMatch", call_id=call) if m["status"] == "PROPOSED"]
    first = matching.accept_match(store, officer, proposed[0]["id"], "HOST")
    second = matching.accept_match(store, officer, proposed[0]["id"], "VISITOR")
    story.append(("accepted", first["status"], second["status"], second["exchange_id"] == f"cx-{proposed[0]['id']}"))
    closed = exchange_steps.close_exchange(store, officer, second["exchange_id"], True, "Good.")
    story.append(("closed", closed["status"], closed["report"]))
    progress = call_progress(store, call)
    story.append(("progress", progress.exchanges, progress.sme, progress.outside, sorted(progress.by_country.items())))
    story.append(("event", sorted(event_progress(store, "syn-e0000").items())))
    return story


def test_the_programme_is_the_same_on_neo4j(neo4j_store, falkordb_twin):
    assert _programme_story(neo4j_store) == _programme_story(falkordb_twin)


def test_composed_filters_and_sorts_are_the_same_on_neo4j_and_use_its_index(neo4j_store, falkordb_twin):
    from clusterkg.queries.where import compile_aggregate
    from tests.test_where import CLUSTER_CASES, every_form

    forms = every_form() + [compile_aggregate("Cluster", CLUSTER_CASES[9][0], facet) for facet in (None, "country")]

    def rounded(rows: list[dict]) -> list[dict]:  # FalkorDB's avg keeps fewer digits (2000.94444444444 vs ...446)
        return [{k: round(v, 6) if isinstance(v, float) else v for k, v in r.items()} for r in rows]

    for compiled in forms:
        params = {**compiled.params, "skip": 0, "limit": 1000}
        on_neo4j, on_falkordb = (
            neo4j_store.read(compiled.text, params).rows,
            falkordb_twin.read(compiled.text, params).rows,
        )
        assert rounded(on_neo4j) == rounded(on_falkordb), compiled.text
        assert neo4j_store.explain(compiled.text, params).lines, compiled.text
    indexed = compile_page("Cluster", {"country": {"eq": "IT"}}, None)
    plan = "\n".join(neo4j_store.explain(indexed.text, {**indexed.params, "skip": 0, "limit": 5}).lines)
    assert "Index" in plan, plan
