"""Postal codes to NUTS-3 through Eurostat's correspondence (clusterkg.loaders.postcodes), in loads and on the command line.

Expected regions are read from the correspondence file itself, never typed in:
the test writes each real code the way people do (prefixes, no separator,
lost leading zeros, lower case) and requires the region the file gives for
the code in its own form.
"""

from __future__ import annotations

import sqlite3

import pytest

from clusterkg.loaders.pipeline import load_files
from clusterkg.loaders.postcodes import FORMS, PostcodeError, correspondence, normalise
from tests.helpers import run_cli

# how people write a code: one spelling per country, each a different habit
SPELLINGS = {
    "DE": lambda code: (
        f"D-{code.lstrip('0')}" if code.startswith("0") else f"D-{code}"
    ),  # vehicle prefix; a spreadsheet dropped the zero
    "FR": lambda code: f"F-{code}",
    "IT": lambda code: code,
    "PT": lambda code: code.replace("-", " "),
    "PL": lambda code: code.replace("-", ""),
    "NL": lambda code: code.replace(" ", "").lower(),
    "CZ": lambda code: code.replace(" ", ""),
    "SE": lambda code: f"SE-{code}",
    "AT": lambda code: f"A-{code}",
    "EL": lambda code: f"{code[:3]} {code[3:]}",
    "LV": lambda code: code.removeprefix("LV-"),
    "IE": lambda code: f"{code} X1Y2".replace("X", "A").replace("Y", "C"),  # a full Eircode: its routing key decides
}


def _file_rows(country: str, count: int) -> list[tuple[str, str]]:
    with sqlite3.connect(f"file:{correspondence().path}?mode=ro&immutable=1", uri=True) as db:
        rows = db.execute("SELECT zip, nuts_3 FROM nuts WHERE alpha_2 = ? ORDER BY zip", (country,)).fetchall()
    step = max(1, len(rows) // count)
    return rows[::step][:count]


@pytest.mark.parametrize("country", sorted(SPELLINGS))
def test_real_codes_written_as_people_write_them_find_the_files_region(country):
    rows = _file_rows(country, 25)
    assert len(rows) == 25
    for code, nuts3 in rows:
        assert correspondence().nuts3("GR" if country == "EL" else country, SPELLINGS[country](code)) == nuts3, (
            country,
            code,
        )


def test_a_code_that_cannot_be_the_countrys_names_the_form_and_an_unknown_code_says_so():
    with pytest.raises(PostcodeError, match="expected the form NNNN-NNN"):
        normalise("PT", "1000")
    with pytest.raises(PostcodeError, match="expected the form NNNNN"):
        normalise("DE", "ABCDE")
    with pytest.raises(PostcodeError, match="expected the form NNNN LL"):
        normalise("NL", "1011")
    with pytest.raises(PostcodeError, match="not in Eurostat's correspondence"):
        correspondence().nuts3("DE", "00000")
    with pytest.raises(PostcodeError, match="no postal-code correspondence for country 'US'"):
        normalise("US", "10001")
    assert set(FORMS) >= set(SPELLINGS)


CLUSTERS_OK = """id,name,country,nuts,postcode
pc-1,Given Cluster,DE,DE30,
pc-2,Postcode Cluster,IT,,85100
pc-3,Both Cluster,PT,PT1A,1000-001
pc-4,Disagreeing Cluster,DE,DE21,D-10115
"""
CLUSTERS_BAD = """id,name,country,nuts,postcode
pc-5,Bad Form Cluster,PT,,1000
pc-6,Unknown Cluster,DE,,00000
pc-7,Nowhere Cluster,DE,,
pc-8,No Country Cluster,,,10115
"""


def test_a_file_mixing_nuts_and_postcodes_loads_with_the_region_and_its_category(reference_copy, tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text(CLUSTERS_OK, encoding="utf-8")
    report = load_files(reference_copy, "clusters", [path])
    assert report.written and not report.errors, report.errors
    warnings = [(i.row, i.field, i.reason) for i in report.issues if i.severity == "warning"]
    assert warnings == [(5, "nuts", "disagrees with postal code D-10115 (DE300): DE21 is used")]
    rows = reference_copy.read(
        "MATCH (c:Cluster)-[:LOCATED_IN]->(r:Region) RETURN c.id AS id, c.nuts AS nuts, c.nuts_source AS how, c.postcode AS postcode, "
        "c.category AS category, r.category AS region_category ORDER BY id"
    ).rows
    expected_it = correspondence().nuts3("IT", "85100")
    category = lambda code: reference_copy.read(
        "MATCH (r:Region {nuts: $n}) RETURN r.category AS c", {"n": code}
    ).scalar()  # noqa: E731
    assert [(r["id"], r["nuts"], r["how"]) for r in rows] == [
        ("pc-1", "DE30", "given"),
        ("pc-2", expected_it, "postcode"),
        ("pc-3", "PT1A", "given"),
        ("pc-4", "DE21", "given"),
    ]
    assert (
        rows[1]["postcode"] == "85100"
        and rows[1]["category"] == category(expected_it) == rows[1]["region_category"] is not None
    )


def test_bad_and_unknown_postcodes_are_row_errors_and_nothing_is_written(reference_copy, tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text(CLUSTERS_BAD, encoding="utf-8")
    report = load_files(reference_copy, "clusters", [path])
    assert not report.written
    errors = {(i.file, i.row, i.field): i.reason for i in report.errors}
    assert errors[("clusters.csv", 2, "postcode")] == "'1000' is not a PT postal code: expected the form NNNN-NNN"
    assert "DE postal code 00000 is not in Eurostat's correspondence" in errors[("clusters.csv", 3, "postcode")]
    assert errors[("clusters.csv", 4, "nuts")] == "give nuts, or country and postcode"
    assert errors[("clusters.csv", 5, "postcode")] == "a postal code needs the row's country"
    assert reference_copy.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar() == 0


def test_members_may_be_located_by_postcode(reference_copy, tmp_path):
    (tmp_path / "clusters.csv").write_text("id,name,nuts\nm-c,Home Cluster,DE30\n", encoding="utf-8")
    (tmp_path / "members.csv").write_text(
        "organisation_id,name,kind,cluster_id,country,postcode\nm-1,Lab,research,m-c,PL,00-002\nm-2,Shop,sme,m-c,,\n",
        encoding="utf-8",
    )
    assert load_files(reference_copy, "clusters", [tmp_path / "clusters.csv"]).written
    report = load_files(reference_copy, "members", [tmp_path / "members.csv"])
    assert report.written, report.errors
    rows = {
        r["id"]: r
        for r in reference_copy.read(
            "MATCH (o:Organisation) RETURN o.id AS id, o.nuts AS nuts, o.nuts_source AS how, o.country AS country"
        ).rows
    }
    assert rows["m-1"] == {
        "id": "m-1",
        "nuts": correspondence().nuts3("PL", "00-002"),
        "how": "postcode",
        "country": "PL",
    }
    assert (
        rows["m-2"]["nuts"] is None and rows["m-2"]["country"] == "DE"
    )  # no address of its own: its cluster's country


def test_the_region_command(tmp_path):
    result = run_cli("region", "IT", "85100", data_dir=tmp_path / "data")
    expected = correspondence().nuts3("IT", "85100")
    assert result.returncode == 0 and expected in result.stdout and expected[:4] in result.stdout
    bad = run_cli("region", "PT", "1000", data_dir=tmp_path / "data")
    assert bad.returncode != 0 and "expected the form NNNN-NNN" in bad.stderr and "Traceback" not in bad.stderr
    run_cli("db", "stop", data_dir=tmp_path / "data")


def test_matching_inputs_are_located_by_postcode_and_their_region_counts(reference_copy, tmp_path):
    """Attendees, applicants and hosts may say where they are: resolved as the loaders do, row errors alike."""
    from clusterkg.events.attendees import build_attendees
    from clusterkg.events.model import EventSettings
    from clusterkg.exchanges.assignment import build_parties
    from clusterkg.exchanges.model import ExchangeSettings
    from clusterkg.exchanges.solvers import eligible_options
    from clusterkg.jobs.inputs import InvalidInput, rows_from_dicts
    from clusterkg.jobs.records import ApplicantRecord, AttendeeRecord, HostRecord
    from clusterkg.scoring.profiles import Taxonomy

    (tmp_path / "clusters.csv").write_text(
        "id,name,nuts,offers\nh-de,Berlin Host,DE30,hydrogen\nh-it,Potenza Host,ITF51,hydrogen\nh-fr,Paris Host,FR10,hydrogen\n",
        encoding="utf-8",
    )
    assert load_files(reference_copy, "clusters", [tmp_path / "clusters.csv"]).written
    taxonomy = Taxonomy.from_graph(reference_copy)
    category = lambda code: reference_copy.read(
        "MATCH (r:Region {nuts: $n}) RETURN r.category AS c", {"n": code}
    ).scalar()  # noqa: E731
    ((pt_code, pt_nuts3),) = _file_rows("PT", 1)
    rows, _ = rows_from_dicts(
        [
            {
                "attendee_id": "a1",
                "name": "Ana",
                "country": "PT",
                "postcode": pt_code.replace("-", ""),
                "offers": "hydrogen",
            },
            {"attendee_id": "a2", "name": "Ben", "nuts": "DE30", "seeks": "hydrogen"},
            {"attendee_id": "a3", "name": "Cy", "seeks": "hydrogen"},
        ],
        AttendeeRecord,
        "attendee_id",
        "attendees",
    )
    attendees, _ = build_attendees(reference_copy, rows, EventSettings(slots=2, tables=2), taxonomy)
    located = {a.id: (a.country, a.region, a.region_category) for a in attendees}
    assert located == {
        "a1": ("PT", pt_nuts3, category(pt_nuts3)),
        "a2": ("DE", "DE30", category("DE30")),
        "a3": (None, None, None),
    }
    bad, _ = rows_from_dicts(
        [{"attendee_id": "b1", "name": "Di", "country": "PT", "postcode": "1000"}],
        AttendeeRecord,
        "attendee_id",
        "attendees",
    )
    with pytest.raises(InvalidInput) as caught:
        build_attendees(reference_copy, bad, EventSettings(slots=2, tables=2), taxonomy)
    assert [(i.file, i.row, i.field) for i in caught.value.issues] == [("attendees", 1, "postcode")]
    assert "NNNN-NNN" in caught.value.issues[0].reason

    # a participant of the Berlin cluster who works in Potenza: Italy decides what is abroad, and its region the sender category
    it_nuts3 = correspondence().nuts3("IT", "85100")
    applicant_rows, _ = rows_from_dicts(
        [
            {
                "applicant_id": "x1",
                "name": "Eva",
                "sending_cluster_id": "h-de",
                "kind": "sme",
                "country": "IT",
                "postcode": "85100",
                "topics": "hydrogen",
                "earliest": "2026-03-01",
                "latest": "2026-06-30",
                "days": 10,
            }
        ],
        ApplicantRecord,
        "applicant_id",
        "applicants",
    )
    host_rows, _ = rows_from_dicts(
        [
            {"cluster_id": cluster_id, "capacity": 1, "available_from": "2026-01-01", "available_to": "2026-12-31"}
            for cluster_id in ("h-de", "h-it", "h-fr")
        ],
        HostRecord,
        "cluster_id",
        "hosts",
    )
    applicants, hosts, _ = build_parties(reference_copy, applicant_rows, host_rows, taxonomy)
    assert (applicants[0].country, applicants[0].category) == ("IT", category(it_nuts3))
    options, _ = eligible_options(applicants, hosts, taxonomy, ExchangeSettings().weights)
    assert {hosts[o.host].cluster.id for o in options} == {"h-fr"}  # Potenza is not abroad for her, Berlin sends her
