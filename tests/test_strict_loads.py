"""Strict means nothing written: hostile and broken inputs are named (file, row, field, reason) and leave the graph as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterkg.loaders import journal
from clusterkg.loaders.pipeline import LoadFailed, load_directory, load_files
from clusterkg.validation import MAX_FIELD_CHARS
from tests.helpers import run_cli
from tests.test_loaders import CLUSTER, OTHER, snapshot, write_csv

HEADER = list(CLUSTER)


@pytest.fixture()
def graph(reference_copy):
    return reference_copy


def _raw(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _csv_line(values: list[str]) -> str:
    return ",".join(f'"{v}"' if ("," in v or '"' in v) else v for v in values)


def _errors(report) -> list[tuple[str, int, str, str]]:
    return [(i.file, i.row, i.field, i.reason) for i in report.errors]


def _members(n: int, broken_row: int, broken: str) -> str:
    """A members file of n rows (header = line 1) whose row `broken_row` carries `broken` in its name."""
    lines = ["organisation_id,name,kind,cluster_id"]
    for i in range(n):
        name = broken if i + 2 == broken_row else f"Org {i}"
        lines.append(f"o-{i},{name},sme,c-1")
    return "\n".join(lines) + "\n"


def test_a_nul_byte_in_row_5502_rejects_the_file_before_any_write(graph, tmp_path):
    load_files(graph, "clusters", [write_csv(tmp_path / "clusters.csv", [CLUSTER])])
    before = snapshot(graph)
    path = _raw(tmp_path / "members.csv", _members(6000, 5502, "Bad\x00Name"))
    report = load_files(graph, "members", [path])
    assert not report.written
    assert _errors(report) == [
        ("members.csv", 5502, "name", "control character U+0000 at position 4: remove it (files must be text)")
    ]
    assert report.errors[0].value == "Bad\\x00Name"
    assert snapshot(graph) == before  # not one of the 5,500 good rows before it


@pytest.mark.parametrize(
    "content, field, reason",
    [
        ("ex-c-2;Example Hydrogen Valley;EHV;ES;ES21", "(row)", "the row has 5 fields and the header 20"),
        (";".join(["c-9", "Too many", *[""] * 18, "surplus"]), "(row)", "values beyond the last column"),
        ("c-9;Tab\x0bName;;FR;FR10" + ";" * 15, "name", "control character U+000B"),
        ("c\u202e9;Bidi;;FR;FR10" + ";" * 15, "id", "invisible or direction-changing character U+202E"),
        ("c-9;" + "x" * 131_072 + ";;FR;FR10" + ";" * 15, "name", f"a field may have at most {MAX_FIELD_CHARS:,}"),
    ],
    ids=["short-row", "long-row", "control-char", "bidi-id", "131k-field"],
)
def test_row_level_problems_name_file_row_field(graph, tmp_path, content, field, reason):
    header = ";".join(HEADER + ["synthetic"])
    good = ";".join(["c-ok", "Fine", "", "FR", "FR10"] + [""] * 15)
    path = _raw(tmp_path / "clusters.csv", f"{header}\n{good}\n{content}\n")
    before = snapshot(graph)
    report = load_files(graph, "clusters", [path])
    assert not report.written and report.errors
    issue = report.errors[0]
    assert (issue.file, issue.row, issue.field) == ("clusters.csv", 3, field), _errors(report)
    assert reason in issue.reason, issue.reason
    assert snapshot(graph) == before


@pytest.mark.parametrize(
    "name, content, reason",
    [
        (
            "clusters.csv",
            "id,name,Name,nuts\nc-1,a,b,FR10\n",
            "columns 2 ('name') and 3 ('Name') are the same column 'name'",
        ),
        ("clusters.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "this is a PNG image, not a text file"),
        ("clusters.csv", b"PK\x03\x04" + b"\x00" * 100, "a zip archive"),
        ("clusters.csv", bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 200, "binary file"),
        ("clusters.csv", b"id,name,nuts\nc-1,caf\x81,FR10\n", "byte 0x81 at offset 20, line 2"),
        ("clusters.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("clusters.json", '{"id": "c-1"}', "expected a JSON array of objects"),
    ],
    ids=["duplicate-header", "png", "xlsx-as-csv", "binary", "0x81", "deep-json", "json-object"],
)
def test_unreadable_files_are_one_clear_error(graph, tmp_path, name, content, reason):
    report = load_files(graph, "clusters", [_raw(tmp_path / name, content)])
    assert not report.written
    assert [(i.file, i.row, i.field) for i in report.errors] == [(name, 0, "(file)")]
    assert reason in report.errors[0].reason, report.errors[0].reason


def test_nested_json_where_a_value_is_expected(graph, tmp_path):
    rows = [{**CLUSTER, "name": {"en": "Alpha"}}, {**OTHER, "offers": [["Fuel cells"]]}]
    report = load_files(graph, "clusters", [_raw(tmp_path / "clusters.json", json.dumps(rows))])
    assert [(i.row, i.field) for i in report.errors] == [(1, "name"), (2, "offers")]
    assert "JSON object where a value is expected" in report.errors[0].reason
    assert "nested list" in report.errors[1].reason


def test_the_cli_prints_no_traceback_for_hostile_files(graph, tmp_path, server):
    env = {"CLUSTERKG_GRAPH_URL": f"redis://:{server.password}@127.0.0.1:{server.port}?graph={graph.graph_name}"}
    files = [
        _raw(tmp_path / "a.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
        _raw(tmp_path / "b.csv", b"id,name,nuts\nc-1,caf\x81,FR10\n"),
        _raw(tmp_path / "c.json", "[" * 50_000 + "]" * 50_000),
        _raw(tmp_path / "d.csv", "id,name,nuts\nc-1," + "y" * 131_072 + ",FR10\n"),
        _raw(tmp_path / "e.csv", "id,name,nuts\nc-1,Bad\x00Name,FR10\n"),
    ]
    for path in files:
        result = run_cli("load", "clusters", str(path), env=env)
        assert result.returncode == 1, (path.name, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, path.name
        assert path.name in result.stdout and "nothing written" in result.stdout, (path.name, result.stdout)


def test_load_dir_validates_every_file_before_writing_any(graph, tmp_path):
    directory = tmp_path / "dir"
    directory.mkdir()
    write_csv(directory / "clusters.csv", [CLUSTER, OTHER])
    write_csv(
        directory / "members.csv", [{"organisation_id": "o-1", "name": "Org", "kind": "sme", "cluster_id": "c-1"}]
    )
    write_csv(
        directory / "exchanges.csv",
        [
            {
                "id": "x-1",
                "participant_id": "o-1",
                "sending_cluster_id": "c-1",
                "host_cluster_id": "c-404",
                "start": "2022-01-01",
                "end": "2022-01-05",
            }
        ],
    )
    before = snapshot(graph)
    reports = load_directory(graph, directory)
    assert [r.kind for r in reports] == ["clusters", "members", "exchanges"]
    assert not any(r.written for r in reports)
    assert [(i.file, i.row, i.field) for r in reports for i in r.errors] == [("exchanges.csv", 2, "host_cluster_id")]
    assert snapshot(graph) == before  # clusters.csv, valid, was not written either


class EngineFailure(Exception):
    pass


def test_an_engine_failure_during_the_writes_is_undone(graph, tmp_path):
    """The engine rejects the 4th write of a load: everything the load wrote is undone, the journal says so."""
    from clusterkg.errors import QueryError

    load_files(graph, "clusters", [write_csv(tmp_path / "v1.csv", [CLUSTER])])
    before = snapshot(graph)
    changed = [{**CLUSTER, "name": "Renamed", "offers": "Fuel cells", "description": ""}, OTHER]
    original, calls = graph.write, {"n": 0}

    def failing_write(query, params=None):
        calls["n"] += 1
        if calls["n"] == 4:  # after the node upsert and two relationship syncs
            raise QueryError("simulated engine failure")
        return original(query, params)

    graph.write = failing_write
    try:
        with pytest.raises(LoadFailed, match="Everything the load had written was undone"):
            load_files(graph, "clusters", [write_csv(tmp_path / "v2.csv", changed)])
    finally:
        graph.write = original
    assert calls["n"] > 4  # the undo ran
    assert snapshot(graph) == before
    statuses = graph.read("MATCH (l:Load {kind: 'clusters'}) RETURN l.status AS s, l.error AS e ORDER BY s").rows
    assert statuses == [{"s": "committed", "e": None}, {"s": "rolled_back", "e": "simulated engine failure"}]
    assert journal.incomplete(graph) == []


def test_a_dry_run_says_what_would_be_cleared_and_removed(graph, tmp_path):
    load_files(graph, "clusters", [write_csv(tmp_path / "v1.csv", [CLUSTER, OTHER])])
    before = snapshot(graph)
    changed = {**CLUSTER, "offers": "Battery cell chemistry", "description": "", "website": "", "excellence_label": ""}
    dry = load_files(graph, "clusters", [write_csv(tmp_path / "v2.csv", [changed])], dry_run=True)
    assert not dry.written and snapshot(graph) == before
    assert dry.changes.properties_cleared == {
        "Cluster.description": 1,
        "Cluster.website": 1,
        "Cluster.excellence_label": 1,
    }
    assert dry.changes.relationships_removed == {"OFFERS": 1, "HOLDS_LABEL": 1}
    real = load_files(graph, "clusters", [write_csv(tmp_path / "v2.csv", [changed])])
    assert real.written and real.changes.as_dict() == dry.changes.as_dict()
    row = graph.read(
        "MATCH (c:Cluster {id: 'c-1'}) RETURN c.description AS d, c.website AS w, c.excellence_label AS l"
    ).rows[0]
    assert row == {"d": None, "w": None, "l": None}


def test_an_absent_column_keeps_what_the_graph_has(graph, tmp_path):
    load_files(graph, "clusters", [write_csv(tmp_path / "v1.csv", [CLUSTER])])
    partial = {"id": "c-1", "name": "Alpha Batteries Cluster", "nuts": "FR10", "description": "new words"}
    report = load_files(graph, "clusters", [write_csv(tmp_path / "v2.csv", [partial])])
    assert report.written and not report.changes.erases
    row = graph.read(
        "MATCH (c:Cluster {id: 'c-1'}) OPTIONAL MATCH (c)-[:OFFERS]->(k) "
        "RETURN c.description AS d, c.website AS w, c.founded AS f, count(k) AS offers"
    ).rows[0]
    assert row == {"d": "new words", "w": "https://alpha.example", "f": 2005, "offers": 2}


def test_a_quoted_formula_loads_back_as_the_text(graph, tmp_path):
    """A cell clusterkg neutralised ('=...) reads back as the original text."""
    path = write_csv(tmp_path / "clusters.csv", [{**CLUSTER, "name": '\'=HYPERLINK("x")', "acronym": "'-ABC"}])
    assert load_files(graph, "clusters", [path]).written
    assert graph.read("MATCH (c:Cluster {id: 'c-1'}) RETURN c.name AS n, c.acronym AS a").rows == [
        {"n": '=HYPERLINK("x")', "a": "-ABC"}
    ]
