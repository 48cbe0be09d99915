"""A streamed kind (members) is written in chunks and stays all or nothing: chunks change nothing a user can see."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from clusterkg.errors import QueryError
from clusterkg.loaders import journal
from clusterkg.loaders.pipeline import LoadFailed, load_files
from clusterkg.loaders.synthetic import generate
from tests.conftest import drop, reference_graph
from tests.test_loaders import snapshot

SPREAD = 3  # organisations listed again under other clusters, at the end of the file


@pytest.fixture(scope="module")
def xs_files(tmp_path_factory) -> Path:
    """The xs files, with some organisations listed a second and third time far from their first row."""
    directory = generate("xs", 42, tmp_path_factory.mktemp("streamed")).directory
    members = directory / "members.csv"
    with members.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    clusters = sorted({r["cluster_id"] for r in rows})
    extra = []
    for row in rows[:SPREAD]:
        others = [c for c in clusters if c != row["cluster_id"]][:2]
        extra += [{**row, "cluster_id": other, "offers": ""} for other in others]
    with members.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + extra)
    return directory


@pytest.fixture()
def graphs(server, reference_data):
    first, second = (reference_graph(server, reference_data, name) for name in ("streamed", "whole"))
    yield first, second
    drop(first)
    drop(second)


def _load_members(store, files: Path, monkeypatch, chunk: int, **options):
    monkeypatch.setenv("CLUSTERKG_LOAD_CHUNK_ROWS", str(chunk))
    load_files(store, "clusters", [files / "clusters.csv"])
    return load_files(store, "members", [files / "members.csv"], **options)


def test_members_written_in_chunks_give_the_graph_of_one_write(graphs, xs_files, monkeypatch):
    streamed, whole = graphs
    rows = sum(1 for _ in (xs_files / "members.csv").open(encoding="utf-8")) - 1
    dry = _load_members(streamed, xs_files, monkeypatch, 300, dry_run=True)
    chunked = _load_members(streamed, xs_files, monkeypatch, 300)
    at_once = _load_members(whole, xs_files, monkeypatch, rows + 1)
    assert chunked.written and at_once.written
    assert snapshot(streamed) == snapshot(whole)
    assert chunked.changes.as_dict() == at_once.changes.as_dict() == dry.changes.as_dict()
    assert chunked.changes.nodes_created["Organisation"] == rows - 2 * SPREAD
    assert chunked.stats.nodes_created == at_once.stats.nodes_created
    assert chunked.stats.batches > at_once.stats.batches  # it did write in parts
    spread = streamed.read(
        "MATCH (o:Organisation)-[:MEMBER_OF]->(c:Cluster) WITH o, count(c) AS n WHERE n = 3 RETURN count(o) AS n"
    ).scalar()
    assert spread == SPREAD  # an organisation's rows, far apart in the file, were planned together
    again = _load_members(streamed, xs_files, monkeypatch, 300)
    assert again.changes.as_dict()["nodes_created"] == {} and again.stats.relationships_created == 0
    exchanges = []
    for store, chunk in ((streamed, 25), (whole, 10**6)):  # a participant's exchanges are written in one chunk
        monkeypatch.setenv("CLUSTERKG_LOAD_CHUNK_ROWS", str(chunk))
        load_files(store, "partnerships", [xs_files / "partnerships.csv"])
        exchanges.append(load_files(store, "exchanges", [xs_files / "exchanges.csv"]))
    assert exchanges[0].written and exchanges[0].changes.as_dict() == exchanges[1].changes.as_dict()
    assert exchanges[0].stats.batches > exchanges[1].stats.batches
    assert snapshot(streamed) == snapshot(whole)


def test_a_duplicate_in_a_streamed_kind_names_the_first_row(graphs, xs_files, monkeypatch, tmp_path):
    store, _ = graphs
    monkeypatch.setenv("CLUSTERKG_LOAD_CHUNK_ROWS", "5")
    load_files(store, "clusters", [xs_files / "clusters.csv"])
    before = snapshot(store)
    with (xs_files / "members.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:20]
    header = list(rows[0])
    first, second = tmp_path / "members-a.csv", tmp_path / "members-b.csv"
    for path, part in ((first, rows[:10]), (second, [*rows[10:], {**rows[4], "name": "Again"}])):
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(part)
    report = load_files(store, "members", [first, second])
    assert not report.written and snapshot(store) == before
    assert [(i.file, i.row, i.field) for i in report.errors] == [("members-b.csv", 12, "organisation_id")]
    assert "members-a.csv row 6" in report.errors[0].reason
    assert report.files[1].valid == 10 and report.files[1].rejected == 1
    skipped = load_files(store, "members", [first, second], skip_invalid=True)
    assert skipped.written and store.read("MATCH (o:Organisation) RETURN count(o) AS n").scalar() == 20
    assert store.read("MATCH (o:Organisation {name: 'Again'}) RETURN count(o) AS n").scalar() == 0


def test_a_file_changed_between_the_two_readings_is_undone(graphs, xs_files, monkeypatch, tmp_path):
    """Members are read twice; a file edited after the first reading fails the load, and what it wrote is undone."""
    store, _ = graphs
    monkeypatch.setenv("CLUSTERKG_LOAD_CHUNK_ROWS", "10")
    load_files(store, "clusters", [xs_files / "clusters.csv"])
    members = tmp_path / "members.csv"
    members.write_bytes((xs_files / "members.csv").read_bytes())
    before = snapshot(store)
    bars = []

    def progress(label: str, total: int):
        bars.append(label)
        if label.startswith("members ("):  # the second reading starts: someone saves the file meanwhile
            with members.open("a", encoding="utf-8") as handle:
                handle.write("\n")
        return lambda n: None

    with pytest.raises(LoadFailed, match="undone"):
        load_files(store, "members", [members], progress=progress)
    assert any(label.startswith("checking members.csv") for label in bars)
    assert snapshot(store) == before
    status = store.read("MATCH (l:Load {kind: 'members'}) RETURN l.status AS s, l.error AS e").rows
    assert status[0]["s"] == journal.ROLLED_BACK and "changed while it was being loaded" in status[0]["e"]


def test_an_engine_failure_in_a_later_chunk_undoes_the_earlier_ones(graphs, xs_files, monkeypatch):
    store, _ = graphs
    monkeypatch.setenv("CLUSTERKG_LOAD_CHUNK_ROWS", "10")
    load_files(store, "clusters", [xs_files / "clusters.csv"])
    before = snapshot(store)
    original, calls = store.write, {"n": 0}

    def failing_write(query, params=None):
        calls["n"] += 1
        if calls["n"] == 40:  # some chunks in
            raise QueryError("simulated engine failure")
        return original(query, params)

    store.write = failing_write
    try:
        with pytest.raises(LoadFailed, match="Everything the load had written was undone"):
            load_files(store, "members", [xs_files / "members.csv"])
    finally:
        store.write = original
    assert snapshot(store) == before
    assert journal.incomplete(store) == []


def test_the_export_pages_on_past_organisations_without_memberships(graphs, xs_files, monkeypatch, tmp_path):
    """A page of organisations that belong to no cluster (exchange participants, CORDIS) used to end the members file."""
    from clusterkg.loaders import export

    store, _ = graphs
    load_files(store, "clusters", [xs_files / "clusters.csv"])
    load_files(store, "members", [xs_files / "members.csv"])
    first = store.read("MATCH (o:Organisation) RETURN o.id AS id ORDER BY id LIMIT 1").scalar()
    loose = [f"{first}-loose-{i}" for i in range(7)]  # sort right after the first member
    store.write("UNWIND $ids AS id CREATE (:Organisation {id: id, name: id})", {"ids": loose})
    monkeypatch.setattr(export, "MEMBER_PAGE", 3)
    export.export(store, tmp_path / "out")
    with (tmp_path / "out" / "members.csv").open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    memberships = store.read("MATCH (:Organisation)-[m:MEMBER_OF]->(:Cluster) RETURN count(m) AS n").scalar()
    assert len(written) == memberships > 10
    assert not {r["organisation_id"] for r in written} & set(loose)


@pytest.mark.parametrize("per_page", [3, 40, 10**6])
def test_id_pages_cover_every_organisation_once(graphs, xs_files, per_page):
    """Passes over all organisations (export, a new vector layout) page by node id on FalkorDB, never sorting the rest."""
    from clusterkg.queries import ranges

    store, _ = graphs
    load_files(store, "clusters", [xs_files / "clusters.csv"])
    load_files(store, "members", [xs_files / "members.csv"])
    everyone = [r["id"] for r in store.read("MATCH (o:Organisation) RETURN o.id AS id ORDER BY id").rows]
    pages = list(ranges.organisation_id_pages(store, per_page))
    assert sorted(i for page in pages for i in page) == everyone  # each once
    assert all(page == sorted(page) and len(page) <= per_page for page in pages)
    assert len(pages) > len(everyone) // per_page or per_page > len(everyone)
