"""Cluster-level loaders: validation, formats, strictness, idempotence, generator."""

from __future__ import annotations

import csv
import gc
import hashlib
import json
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from clusterkg.errors import ClusterKGError
from clusterkg.loaders.pipeline import load_directory, load_files
from clusterkg.loaders.postcodes import correspondence
from clusterkg.loaders.reference import load_reference
from clusterkg.loaders.synthetic import generate
from tests.helpers import run_cli

CLUSTER = {
    "id": "c-1",
    "name": "Alpha Batteries Cluster",
    "acronym": "ABC",
    "country": "FR",
    "nuts": "FR10",
    "city": "Paris",
    "website": "https://alpha.example",
    "founded": "2005",
    "members_total": "40",
    "sme_members": "30",
    "large_members": "5",
    "research_members": "5",
    "excellence_label": "Gold",
    "ecosystems": "Mobility-Transport-Automotive",
    "offers": "Battery cell chemistry;BMS",
    "seeks": "battery recycling",
    "eccp_profile_id": "P-1",
    "eccp_registered_since": "2019-03-01",
    "description": "test cluster",
}
OTHER = {
    **CLUSTER,
    "id": "c-2",
    "name": "Beta Hydrogen Cluster",
    "country": "IT",
    "nuts": "ITF5",
    "offers": "Fuel cells",
    "seeks": "Electrolysers",
    "excellence_label": "",
}


def write_csv(path: Path, rows: list[dict], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture()
def graph(reference_copy):
    """A fresh graph with the reference data and the taxonomy."""
    return reference_copy


def snapshot(store) -> tuple:
    """Counts by label and type, and a checksum of every property of every node and relationship."""
    nodes = store.read(
        "MATCH (n) WHERE NOT n:Load AND NOT n:SchemaInfo RETURN labels(n)[0] AS label, properties(n) AS p"
    ).rows
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(a) AS a, properties(b) AS b, properties(r) AS p"
    ).rows
    digest = hashlib.sha256()
    for row in sorted(json.dumps(r, sort_keys=True, default=str) for r in nodes + rels):
        digest.update(row.encode())
    return Counter(r["label"] for r in nodes), Counter(r["t"] for r in rels), digest.hexdigest()


BAD_ROWS = [
    ("clusters", {"name": ""}, "name", "required"),
    ("clusters", {"nuts": "XX99"}, "nuts", "unknown NUTS code"),
    ("clusters", {"nuts": "PT17", "country": "PT"}, "nuts", "was split into PT1A, PT1B"),
    ("clusters", {"country": "DE"}, "country", "does not match the country of NUTS code FR10"),
    ("clusters", {"founded": "20x1"}, "founded", "valid integer"),
    ("clusters", {"founded": "2999"}, "founded", "in the future"),
    ("clusters", {"website": "not a url"}, "website", "not a web address"),
    ("clusters", {"members_total": "10"}, "members_total", "exceeds members_total = 10"),
    ("clusters", {"excellence_label": "platinum"}, "excellence_label", "'bronze', 'silver' or 'gold'"),
    ("clusters", {"ecosystems": "Space mining"}, "ecosystems", "not one of the 14 industrial ecosystems"),
    ("clusters", {"eccp_registered_since": "31/02/2020"}, "eccp_registered_since", "date"),
    ("clusters", {"sme_members": "-3"}, "sme_members", "greater than or equal to 0"),
]


@pytest.mark.parametrize("kind, change, field, reason", BAD_ROWS, ids=[f"{k}-{f}-{r[:20]}" for k, _, f, r in BAD_ROWS])
def test_each_cluster_rule_rejects_with_file_row_field_reason(graph, tmp_path, kind, change, field, reason):
    path = write_csv(tmp_path / "clusters.csv", [OTHER, {**CLUSTER, **change}])
    report = load_files(graph, kind, [path])
    assert not report.ok and not report.written
    issue = next(i for i in report.errors if i.field == field)
    assert issue.file == "clusters.csv" and issue.row == 3  # header is line 1, OTHER line 2
    assert reason in issue.reason, issue.reason
    # nothing of the file was written, not even its valid first row (full snapshot: the strict test below)
    assert graph.read("MATCH (n:Cluster) RETURN count(n) AS c").scalar() == 0
    assert graph.read("MATCH (l:Load {kind: 'clusters'}) RETURN count(l) AS c").scalar() == 0


def test_references_and_enumerations_of_other_kinds(graph, tmp_path):
    load_files(graph, "clusters", [write_csv(tmp_path / "clusters.csv", [CLUSTER, OTHER])])
    cases = [
        ("members", {"organisation_id": "o-1", "name": "Org", "kind": "startup", "cluster_id": "c-1"}, "kind", "'sme'"),
        (
            "members",
            {"organisation_id": "o-1", "name": "Org", "kind": "sme", "cluster_id": "c-404"},
            "cluster_id",
            "no such cluster",
        ),
        (
            "partnerships",
            {"id": "p-1", "name": "P", "kind": "ESCP-4x", "call": "COS-NOPE", "partner_cluster_ids": "c-1;c-2"},
            "call",
            "no such call",
        ),
        (
            "partnerships",
            {"id": "p-1", "name": "P", "kind": "escp-4x", "partner_cluster_ids": "c-1|c-404"},
            "partner_cluster_ids",
            "no such cluster",
        ),
        (
            "partnerships",
            {
                "id": "p-1",
                "name": "P",
                "kind": "ESCP-4x",
                "start": "2022-01-01",
                "end": "2021-01-01",
                "partner_cluster_ids": "c-1",
            },
            "end",
            "before start",
        ),
        (
            "exchanges",
            {
                "id": "x-1",
                "participant_id": "o-9",
                "sending_cluster_id": "c-1",
                "host_cluster_id": "c-404",
                "start": "2022-01-01",
                "end": "2022-01-05",
            },
            "host_cluster_id",
            "no such cluster",
        ),
        (
            "exchanges",
            {
                "id": "x-1",
                "participant_id": "o-9",
                "sending_cluster_id": "c-1",
                "host_cluster_id": "c-2",
                "start": "2022-01-01",
                "end": "2022-01-05",
                "partnership_id": "p-404",
            },
            "partnership_id",
            "no such partnership",
        ),
        (
            "competences",
            {"id": "k-1", "name": "K", "kind": "technology", "value_chain": "vc-batteries", "stage": "launch"},
            "stage",
            "not a stage of vc-batteries",
        ),
        (
            "competences",
            {"id": "k-1", "name": "K", "kind": "technology", "value_chain": "vc-nope", "stage": "x"},
            "value_chain",
            "no such value chain",
        ),
        (
            "competences",
            {"id": "k-1", "name": "K", "kind": "technology", "broader": "k-404"},
            "broader",
            "no such competence",
        ),
        (
            "value-chains",
            {"id": "v-1", "name": "V", "ecosystem": "digital", "stages": "only one"},
            "stages",
            "at least 2 stages",
        ),
        (
            "value-chains",
            {"id": "v-1", "name": "V", "ecosystem": "moon", "stages": "a|b"},
            "ecosystem",
            "not one of the 14",
        ),
    ]
    for kind, row, field, reason in cases:
        path = write_csv(tmp_path / f"{kind}.csv", [row])
        report = load_files(graph, kind, [path])
        assert not report.written, (kind, row)
        assert any(i.field == field and reason in i.reason and i.row == 2 for i in report.errors), (
            kind,
            field,
            [vars(i) for i in report.errors],
        )


def test_warnings_are_loaded_not_dropped(graph, tmp_path):
    rows = [
        {**CLUSTER, "nuts": "NL31", "country": "NL", "offers": "Battery cell chemistry;Quantum basket weaving"},
        {**OTHER, "id": "c-3", "nuts": "IT", "country": "IT"},
    ]
    report = load_files(graph, "clusters", [write_csv(tmp_path / "clusters.csv", rows)])
    assert report.ok and report.written and not report.errors
    reasons = " | ".join(i.reason for i in report.warnings)
    assert "NL31 is NL35" in reasons and "country precision" in reasons and "custom competence" in reasons
    located = graph.read("MATCH (c:Cluster {id: 'c-1'})-[:LOCATED_IN]->(r:Region) RETURN r.nuts AS nuts").scalar()
    assert located == "NL35"
    custom = graph.read(
        "MATCH (:Cluster {id: 'c-1'})-[:OFFERS]->(k:Competence {kind: 'custom'}) RETURN k.name AS name"
    ).scalar()
    assert custom == "Quantum basket weaving"
    # exchanges inside one country are flagged, not rejected
    report = load_files(
        graph,
        "exchanges",
        [
            write_csv(
                tmp_path / "x.csv",
                [
                    {
                        "id": "x-1",
                        "participant_id": "o-1",
                        "sending_cluster_id": "c-3",
                        "host_cluster_id": "c-3",
                        "start": "2022-01-01",
                        "end": "2022-01-03",
                    }
                ],
            )
        ],
    )
    assert report.written and any("not cross-border" in i.reason for i in report.warnings)
    assert graph.read("MATCH (x:Exchange {id: 'x-1'}) RETURN x.cross_border AS b, x.days AS d").rows == [
        {"b": False, "d": 3}
    ]


def _cluster_view(store) -> list[dict]:
    return store.read(
        "MATCH (c:Cluster) OPTIONAL MATCH (c)-[:OFFERS]->(k:Competence) WITH c, k ORDER BY k.id "
        "RETURN c.id AS id, c.name AS name, c.founded AS founded, c.website AS website, c.category AS category, collect(k.id) AS offers ORDER BY id"
    ).rows


def test_all_formats_give_the_same_graph(store, reference_data, tmp_path, server):
    from tests.conftest import _store

    rows = [CLUSTER, {**OTHER, "name": "Bêta Hydrogène Cluster"}]
    variants = {
        "comma": write_csv(tmp_path / "a.csv", rows),
        "semicolon-bom": write_csv(
            tmp_path / "b.csv",
            [{**r, "offers": r["offers"].replace(";", "|")} for r in rows],
            delimiter=";",
            encoding="utf-8-sig",
        ),
        "cp1252": write_csv(tmp_path / "c.csv", rows, encoding="cp1252"),
        "json": tmp_path / "d.json",
        "xlsx": tmp_path / "e.xlsx",
    }
    variants["json"].write_text(
        json.dumps([{**r, "founded": int(r["founded"]), "offers": r["offers"].split(";")} for r in rows]),
        encoding="utf-8",
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [k.replace("_", " ").title() for k in rows[0]]
    )  # "Members Total": headers match case- and space-insensitively
    for r in rows:
        sheet.append(list(r.values()))
    book.save(variants["xlsx"])
    views = {}
    for name, path in variants.items():
        graph = _store(server, f"fmt_{name}_{store.graph_name}")
        try:
            load_reference(graph, reference_data)
            report = load_files(graph, "clusters", [path])
            assert report.written, (name, [vars(i) for i in report.errors])
            views[name] = _cluster_view(graph)
        finally:
            graph.connection.execute_command("GRAPH.DELETE", graph.graph_name)
    first = views.pop("comma")
    assert first[1]["name"] == "Bêta Hydrogène Cluster" and first[0]["offers"] == [
        "c-battery-management-systems",
        "c-cell-chemistry",
    ]
    for name, view in views.items():
        assert view == first, name


def test_strict_load_writes_nothing_and_the_cli_exits_non_zero(graph, tmp_path, server):
    path = write_csv(tmp_path / "clusters.csv", [CLUSTER, {**OTHER, "nuts": "ZZ00"}, {**OTHER, "id": "c-3"}])
    before = snapshot(graph)
    env = {"CLUSTERKG_GRAPH_URL": f"redis://:{server.password}@127.0.0.1:{server.port}?graph={graph.graph_name}"}
    report_path = tmp_path / "report.json"
    result = run_cli("load", "clusters", str(path), "--report", str(report_path), env=env)
    assert result.returncode == 1 and "nothing written" in result.stdout and "Traceback" not in result.stderr
    assert snapshot(graph) == before
    saved = json.loads(report_path.read_text())
    assert saved["written"] is False
    assert saved["rejected"] == [
        {
            "file": "clusters.csv",
            "row": 3,
            "field": "nuts",
            "value": "ZZ00",
            "reason": "unknown NUTS code (neither NUTS 2024 nor a changed NUTS 2021 code)",
            "severity": "error",
        }
    ]
    # --skip-invalid writes exactly the good rows
    result = run_cli("load", "clusters", str(path), "--skip-invalid", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [r["id"] for r in _cluster_view(graph)] == ["c-1", "c-3"]
    assert graph.read("MATCH (l:Load {kind: 'clusters'}) RETURN l.written AS w, l.rejected AS r").rows == [
        {"w": 2, "r": 1}
    ]


def test_duplicate_ids_in_one_load_are_rejected(graph, tmp_path):
    report = load_files(
        graph,
        "clusters",
        [write_csv(tmp_path / "a.csv", [CLUSTER]), write_csv(tmp_path / "b.csv", [{**CLUSTER, "name": "Again"}])],
    )
    assert not report.written
    assert report.errors[0].file == "b.csv" and "a.csv row 2" in report.errors[0].reason


def test_reloading_a_changed_profile_removes_stale_relationships(graph, tmp_path):
    load_files(graph, "clusters", [write_csv(tmp_path / "v1.csv", [CLUSTER, OTHER])])
    changed = {
        **CLUSTER,
        "offers": "Battery cell chemistry",
        "ecosystems": "",
        "excellence_label": "",
        "eccp_profile_id": "",
        "eccp_registered_since": "",
        "website": "",
    }
    report = load_files(graph, "clusters", [write_csv(tmp_path / "v2.csv", [changed])])
    assert report.written
    row = graph.read(
        "MATCH (c:Cluster {id: 'c-1'}) OPTIONAL MATCH (c)-[:OFFERS]->(k) WITH c, collect(k.id) AS offers "
        "OPTIONAL MATCH (c)-[r:ACTIVE_IN|HOLDS_LABEL|REGISTERED_ON]->() RETURN offers, count(r) AS others, c.website AS website"
    ).rows[0]
    assert row == {"offers": ["c-cell-chemistry"], "others": 0, "website": None}
    assert graph.read("MATCH (:Cluster {id: 'c-2'})-[:OFFERS]->(k) RETURN count(k) AS c").scalar() == 1  # c-2 untouched


@pytest.mark.slow  # kills a loader mid-load; CI runs it with make test-slow
def test_a_killed_load_converges_when_run_again(store, reference_data, tmp_path, server):
    """Interrupt the writes of a real load midway; the same load again gives the complete graph."""
    from tests.conftest import _store

    directory = tmp_path / "xs"
    generate("xs", 3, directory)
    load_reference(store, reference_data)

    class Interrupted(Exception):
        pass

    original = store.write_batches
    calls = {"n": 0}

    def failing_write_batches(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 9:  # in the middle of the clusters' relationships
            raise Interrupted()
        return original(*args, **kwargs)

    store.write_batches = failing_write_batches
    with pytest.raises(Interrupted):
        load_directory(store, directory)
    store.write_batches = original
    partial = snapshot(store)
    load_directory(store, directory)
    complete = _store(server, f"complete_{store.graph_name}")
    try:
        load_reference(complete, reference_data)
        load_directory(complete, directory)
        rerun, clean = snapshot(store), snapshot(complete)
        assert rerun[:2] == clean[:2], (rerun[:2], clean[:2])
        assert rerun == clean != partial
    finally:
        complete.connection.execute_command("GRAPH.DELETE", complete.graph_name)


def test_loading_the_generated_files_twice_changes_nothing(graph, tmp_path):
    directory = tmp_path / "xs"
    counts = generate("xs", 7, directory).counts
    reports = load_directory(graph, directory)
    assert all(r.written and not r.errors for r in reports), [vars(i) for r in reports for i in r.errors][:3]
    first = snapshot(graph)
    assert first[0]["Cluster"] == counts["clusters"] and first[0]["Exchange"] == counts["exchanges"]
    second = load_directory(graph, directory)
    assert (
        sum(r.stats.nodes_created + r.stats.relationships_created + r.stats.relationships_deleted for r in second) == 0
    )
    assert snapshot(graph) == first
    synthetic = graph.read(
        "MATCH (n) WHERE n:Cluster OR n:Organisation OR n:Partnership OR n:Exchange RETURN n.synthetic AS s, count(*) AS c"
    ).rows
    assert synthetic == [
        {"s": True, "c": sum(first[0][k] for k in ("Cluster", "Organisation", "Partnership", "Exchange"))}
    ]


def test_generator_is_deterministic(tmp_path):
    a, b, c = (generate("xs", seed, tmp_path / name) for seed, name in ((5, "a"), (5, "b"), (6, "c")))
    for name in a.counts:
        assert (a.directory / f"{name}.csv").read_bytes() == (b.directory / f"{name}.csv").read_bytes()
    assert (a.directory / "clusters.csv").read_bytes() != (c.directory / "clusters.csv").read_bytes()


def test_generator_shape_at_scale_s(tmp_path, reference_data):
    generated = generate("s", 42, tmp_path / "s")

    def rows(name):
        with open(generated.directory / f"{name}.csv", newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    clusters, members, partnerships, exchanges = (
        rows("clusters"),
        rows("members"),
        rows("partnerships"),
        rows("exchanges"),
    )
    assert (
        len(clusters) == 1100
        and abs(len(members) - 50_000) < 2_500
        and len(partnerships) == 30
        and len(exchanges) == 1000
    )
    assert all(r["synthetic"] == "true" and r["id"].startswith("syn-") for r in clusters)
    sizes = Counter(m["cluster_id"] for m in members)
    assert min(sizes.values()) >= 15 and max(sizes.values()) > 10 * min(sizes.values())  # heavy tail
    country_of = {c["id"]: c["country"] for c in clusters}
    for p in partnerships:
        ids = [p["coordinator_cluster_id"], *p["partner_cluster_ids"].split("|")]
        assert 4 <= len(ids) <= 8 and len({country_of[i] for i in ids}) >= 3
    community = {i for p in partnerships for i in [p["coordinator_cluster_id"], *p["partner_cluster_ids"].split("|")]}
    sme_share = sum(x["participant_kind"] == "sme" for x in exchanges) / len(exchanges)
    outside_share = sum(x["sending_cluster_id"] not in community for x in exchanges) / len(exchanges)
    assert abs(sme_share - 0.50) <= 0.05 and abs(outside_share - 0.25) <= 0.05, (sme_share, outside_share)
    assert all(country_of[x["sending_cluster_id"]] != country_of[x["host_cluster_id"]] for x in exchanges)
    category = {r["nuts"]: r.get("category") for r in reference_data.nodes["Region"]}
    per_category = Counter(category[c["nuts"]] for c in clusters)
    regions_per_category = Counter(
        r.get("category") for r in reference_data.nodes["Region"] if r["level"] == 2 and r.get("category")
    )
    density = {k: per_category[k] / regions_per_category[k] for k in regions_per_category}
    assert density["more_developed"] > density["less_developed"] > 0


def test_unknown_kind_and_missing_columns(graph, tmp_path):
    with pytest.raises(ClusterKGError, match="unknown kind"):
        load_files(graph, "planets", [])
    assert gc.isenabled(), "a failed load gives the cycle collector back (loads pause it)"
    report = load_files(graph, "clusters", [write_csv(tmp_path / "c.csv", [{"id": "c-9", "name": "No NUTS"}])])
    assert [(i.row, i.field, i.reason) for i in report.errors] == [(2, "nuts", "give nuts, or country and postcode")]


def test_the_documented_examples_load_as_documented(graph):
    """docs/examples/ must stay loadable: every kind, no rejected row, the documented warnings."""
    directory = Path(__file__).resolve().parent.parent / "docs" / "examples"
    reports = load_directory(graph, directory)
    assert [r.kind for r in reports] == [
        "value-chains",
        "competences",
        "clusters",
        "members",
        "partnerships",
        "exchanges",
        "events",
        "attendance",
        "meetings",
    ]
    assert all(r.written and not r.errors for r in reports), [vars(i) for r in reports for i in r.errors]
    warnings = [i.reason for r in reports for i in r.warnings]
    assert any("NL33 is NL36" in w for w in warnings)
    row = graph.read(
        "MATCH (o:Organisation {id: 'ex-o-2'})-[:MEMBER_OF]->(c:Cluster) WITH o, collect(c.id) AS clusters "
        "MATCH (x:Exchange {id: 'ex-x-1'})-[:UNDER]->(p:Partnership)-[:FUNDED_BY]->(call:Call) "
        "RETURN clusters, x.days AS days, call.id AS call"
    ).rows
    assert len(row) == 1 and sorted(row[0].pop("clusters")) == ["ex-c-1", "ex-c-2"]
    assert row[0] == {"days": 12, "call": "COS-CLUSTER-2020-3-03"}
    event = graph.read(
        "MATCH (e:Event {id: 'ex-ev-1'})-[:LOCATED_IN]->(r:Region) RETURN e.nuts_source AS how, r.nuts AS nuts"
    ).rows
    assert event == [{"how": "postcode", "nuts": correspondence().nuts3("PT", "4000-008")}]
    met = graph.read(
        "MATCH (:Cluster {id: 'ex-c-1'})<-[:BETWEEN]-(m:Meeting)-[:BETWEEN]->(:Cluster {id: 'ex-c-2'}) RETURN count(m) AS n"
    ).scalar()
    assert met == 1


@pytest.mark.slow  # two demo loads through the CLI: 18 s
def test_demo_again_with_nothing_loaded_since_has_nothing_to_do(tmp_path):
    """`make run` after `make stop`: the demo it left is recognised by the graph's revision; any load since makes it load again."""
    data_dir = tmp_path / "data"
    try:
        first = run_cli("demo", "--scale", "xs", data_dir=data_dir, check=True)
        assert "nothing to do" not in first.stdout
        hashed = run_cli("stats", "--hash", data_dir=data_dir, check=True).stdout
        again = run_cli("demo", "--scale", "xs", data_dir=data_dir, check=True)
        assert "is loaded and nothing was loaded since: nothing to do" in " ".join(again.stdout.split())
        assert run_cli("stats", "--hash", data_dir=data_dir, check=True).stdout == hashed
        (tmp_path / "clusters.csv").write_text("id,name,nuts\nafter-demo,After The Demo,ITF51\n", encoding="utf-8")
        run_cli("load", "clusters", str(tmp_path / "clusters.csv"), data_dir=data_dir, check=True)
        reloaded = run_cli("demo", "--scale", "xs", data_dir=data_dir, check=True)
        assert "nothing to do" not in reloaded.stdout and "SYNTHETIC demo data" in reloaded.stdout
    finally:
        run_cli("db", "stop", data_dir=data_dir)
