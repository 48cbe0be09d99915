"""CORDIS bulk files into the graph: the official layouts (CSV, JSON, zip), what real files hold, matching, ties."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from clusterkg.loaders.cordis.load import load_cordis
from clusterkg.loaders.cordis.rows import name_key
from clusterkg.loaders.pipeline import load_files
from clusterkg.loaders.readers import FileError
from tests.helpers import run_cli

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "cordis" / "csv"
NUMBERS = {"ecContribution", "netEcContribution", "totalCost", "ecMaxContribution", "order", "postCode"}
BOOLEANS = {"SME", "endOfParticipation", "active"}


def _organisations(store) -> dict[str, dict]:
    rows = store.read(
        "MATCH (o:Organisation) OPTIONAL MATCH (o)-[:LOCATED_IN]->(r:Region) "
        "RETURN o.id AS id, properties(o) AS p, r.nuts AS region"
    ).rows
    return {r["id"]: {**r["p"], "region": r["region"]} for r in rows}


def _ties(store) -> dict[tuple[str, str], int]:
    rows = store.read("MATCH (a)-[w:WORKED_WITH]->(b) RETURN a.id AS a, b.id AS b, w.projects AS n").rows
    return {(r["a"], r["b"]): r["n"] for r in rows}


def _canonical(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


def _counts(store) -> tuple[int, int]:
    nodes = store.read("MATCH (n) RETURN count(n) AS n").scalar()
    relationships = store.read("MATCH ()-[r]->() RETURN count(r) AS n").scalar()
    return nodes, relationships


def _as_json(folder: Path, target: Path) -> Path:
    """The same download in CORDIS's JSON form: numbers as numbers, true/false as booleans, empty as null."""
    target.mkdir(parents=True, exist_ok=True)
    for source in folder.glob("*.csv"):
        with source.open(encoding="utf-8", newline="") as stream:
            items = []
            for row in csv.DictReader(stream, delimiter=";"):
                item: dict[str, object] = {}
                for key, value in row.items():
                    if value == "":
                        item[key] = None
                    elif key in BOOLEANS and value in ("true", "false"):
                        item[key] = value == "true"
                    elif key in NUMBERS and value.replace(",", ".").replace(".", "", 1).isdigit():
                        number = float(value.replace(",", "."))
                        item[key] = int(number) if number.is_integer() else number
                    else:
                        item[key] = value
                items.append(item)
        (target / f"{source.stem}.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return target


def test_the_official_csv_layout_loads_field_by_field(reference_copy):
    report = load_cordis(reference_copy, EXAMPLE)
    assert report.written and report.projects == 3 and report.participations == 8
    orgs = _organisations(reference_copy)
    robotics = orgs["cordis-999000001"]
    # a PRC with SME true is an SME; its postcode lost its leading zero and is placed through TERCET
    assert (robotics["kind"], robotics["sme"], robotics["activity_type"]) == ("sme", True, "PRC")
    assert (robotics["postcode"], robotics["region"], robotics["nuts_source"]) == ("01067", "DED21", "postcode")
    assert robotics["vat"] == "DE123456789" and robotics["pic"] == "999000001" and robotics["source"] == "cordis"
    assert all(o["synthetic"] is True for o in orgs.values())  # the invented example says so in its rows
    university = orgs["cordis-999000002"]
    # EL stays EL; an empty SME is unknown, not false
    assert (university["kind"], university["country"], university["region"], university["nuts_source"]) == (
        "university",
        "EL",
        "EL303",
        "nuts",
    )
    assert "sme" not in university
    institute = orgs["cordis-999000003"]
    # the UK is not in NUTS 2024: the country alone, no region
    assert (institute["kind"], institute["country"], institute["region"], institute["nuts_source"]) == (
        "research",
        "UK",
        None,
        "country",
    )
    assert orgs["cordis-999000004"]["kind"] == "public"
    acme = orgs["cordis-999000005"]
    assert (acme["kind"], acme["sme"], acme["region"], acme["category"]) == ("large", False, "ITF51", "less_developed")
    # no NUTS code, no postcode: the city, which other rows placed in ITF51 and only there
    bioplastics = orgs["cordis-999000006"]
    assert (bioplastics["kind"], bioplastics["region"], bioplastics["nuts_source"]) == ("other", "ITF51", "city")
    assert "cordis-999000007" not in orgs and "cordis-999000008" not in orgs and "cordis-999000009" not in orgs

    project = reference_copy.read(
        "MATCH (p:Project {id: '900001'}) RETURN p.acronym AS acronym, p.start AS start, p.end AS end, "
        "p.ec_contribution AS ec, p.total_cost AS cost, p.programme AS programme, p.funding_scheme AS scheme, "
        "p.scivoc AS scivoc, p.topics AS topics"
    ).rows[0]
    assert (
        project["acronym"] == "EXALPHA"
        and str(project["start"]) == "2018-01-01"
        and str(project["end"]) == "2021-06-30"
    )
    assert (project["ec"], project["cost"]) == (2000000.5, 2412500.0)  # decimal commas
    assert (project["programme"], project["scheme"], project["scivoc"], project["topics"]) == (
        "H2020",
        "RIA",
        ["robotics"],
        ["ICT-10-2017"],
    )
    role = reference_copy.read(
        "MATCH (:Organisation {id: 'cordis-999000001'})-[r:PARTICIPATED_IN]->(p:Project) "
        "RETURN p.id AS p, r.role AS role, r.ec_contribution AS ec, r.order AS n ORDER BY p.id"
    ).rows
    assert [(r["p"], r["role"], r["ec"], r["n"]) for r in role] == [
        ("900001", "coordinator", 250000.5, 1),
        ("900002", "participant", 80000.25, 2),
        ("900003", "participant", 50000.0, 2),
    ]
    ties = _ties(reference_copy)
    assert ties[("cordis-999000001", "cordis-999000004")] == 1
    assert ties[("cordis-999000002", "cordis-999000003")] == 1
    assert ("cordis-999000002", "cordis-999000004") not in ties  # never in one project
    assert len(ties) == 7

    rejected = {(i.file, i.row, i.field): i.reason for i in report.errors}
    assert rejected[("organization.csv", 10, "projectID")].startswith("no such project")
    assert "true, false or empty" in rejected[("organization.csv", 11, "SME")]
    assert "not an amount" in rejected[("organization.csv", 12, "ecContribution")]
    assert report.located == {"postcode": 2, "nuts": 2, "city": 1, "country": 1}


def test_json_and_zip_forms_give_the_same_graph(server, reference_data, tmp_path):
    from tests.conftest import drop, reference_graph

    graphs = {}
    json_folder = _as_json(EXAMPLE, tmp_path / "json")
    assert isinstance(json.loads((json_folder / "organization.json").read_text())[0]["postCode"], int)
    archive = tmp_path / "cordis-h2020projects-csv.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for item in EXAMPLE.glob("*.csv"):
            zipped.write(item, f"csv/{item.name}")
    json_archive = tmp_path / "cordis-HORIZONprojects-json.zip"
    with zipfile.ZipFile(json_archive, "w") as zipped:
        for item in json_folder.glob("*.json"):
            zipped.write(item, item.name)
    for name, path in {"csv": EXAMPLE, "json": json_folder, "zip": archive, "json-zip": json_archive}.items():
        store = reference_graph(server, reference_data, f"cordis_{name.replace('-', '_')}")
        try:
            report = load_cordis(store, path)
            assert report.participations == 8 and len(report.errors) == 3, name
            graphs[name] = (_organisations(store), _ties(store), _counts(store))
        finally:
            drop(store)
    assert graphs["json"] == graphs["csv"] == graphs["zip"] == graphs["json-zip"]


def test_a_rerun_changes_nothing_and_matches_by_pic(reference_copy):
    load_cordis(reference_copy, EXAMPLE)
    before = (_counts(reference_copy), _organisations(reference_copy), _ties(reference_copy))
    again = load_cordis(reference_copy, EXAMPLE)
    assert (_counts(reference_copy), _organisations(reference_copy), _ties(reference_copy)) == before
    assert again.matched == {"pic": 6}


def test_participants_are_matched_by_pic_then_vat_then_name_in_the_country_and_clusters_get_ties(
    reference_copy, tmp_path
):
    (tmp_path / "clusters.csv").write_text(
        "id;name;country;nuts\nex-k1;Example Basilicata Cluster;IT;ITF51\nex-k2;Example Saxony Cluster;DE;DED21\n",
        encoding="utf-8",
    )
    (tmp_path / "members.csv").write_text(
        "organisation_id;name;kind;cluster_id;nuts\n"
        "ex-acme;Acme Smart Systems;large;ex-k1;ITF51\n"  # CORDIS: ACME SMART SYSTEMS S.R.L., IT
        "ex-bio;Example Bioplastics;sme;ex-k1;FRK26\n"  # same name, another country: another organisation
        "ex-rob;Robotics of Saxony;sme;ex-k2;DED21\n",  # matched by its VAT number below
        encoding="utf-8",
    )
    assert load_files(reference_copy, "clusters", [tmp_path / "clusters.csv"]).written
    assert load_files(reference_copy, "members", [tmp_path / "members.csv"]).written
    reference_copy.write("MATCH (o:Organisation {id: 'ex-rob'}) SET o.vat = 'DE123456789'")
    # a node that already carries another PIC is never given a second one
    reference_copy.write(
        "CREATE (:Organisation {id: 'ex-other-pic', name: 'Example Public Agency', country: 'IT', pic: '123'})"
    )

    report = load_cordis(reference_copy, EXAMPLE)
    assert report.matched == {"vat": 1, "name": 1, "new": 4}
    orgs = _organisations(reference_copy)
    assert orgs["ex-rob"]["pic"] == "999000001" and orgs["ex-rob"]["name"] == "Robotics of Saxony"  # name kept
    assert orgs["ex-acme"]["pic"] == "999000005" and orgs["ex-acme"]["kind"] == "large"
    assert "pic" not in orgs["ex-bio"] and orgs["cordis-999000006"]["name"] == "EXAMPLE BIOPLASTICS"
    assert orgs["ex-other-pic"]["pic"] == "123" and "cordis-999000004" in orgs
    assert "cordis-999000001" not in orgs and "cordis-999000005" not in orgs
    # ex-rob (a member of ex-k2) and ex-acme (of ex-k1) were partners in EXBETA: the clusters worked together once
    ties = _ties(reference_copy)
    assert ties[("ex-k1", "ex-k2")] == 1
    assert ties[("ex-acme", "ex-rob")] == 1
    assert name_key("ACME SMART SYSTEMS S.R.L.") == name_key("Acme Smart Systems")


def test_strict_writes_nothing_and_the_cli_exits_non_zero(tmp_path):
    data_dir = tmp_path / "data"
    try:
        strict = run_cli("load", "cordis", str(EXAMPLE), "--strict", data_dir=data_dir)
        assert strict.returncode == 1 and "nothing written" in strict.stdout
        assert "organization.csv" in strict.stdout and "no such project" in strict.stdout
        assert run_cli(
            "query", "MATCH (p:Project) RETURN count(p) AS n", "--format", "csv", data_dir=data_dir
        ).stdout.split() == ["n", "0"]
        loaded = run_cli("load", "cordis", str(EXAMPLE), data_dir=data_dir, check=True)
        assert (
            "written: 3 projects, 8 participations" in loaded.stdout and "(c) European Union, CORDIS" in loaded.stdout
        )
    finally:
        run_cli("db", "stop", data_dir=data_dir)


def test_bad_downloads_are_named_with_their_file(tmp_path):
    no_organisations = tmp_path / "cordis-h2020projects-csv.zip"
    with zipfile.ZipFile(no_organisations, "w") as zipped:
        zipped.write(EXAMPLE / "project.csv", "csv/project.csv")
    with pytest.raises(FileError, match=r"cordis-h2020projects-csv.zip: no organization file"):
        load_cordis(None, no_organisations)  # type: ignore[arg-type]  # refused before the graph is asked

    comma = tmp_path / "comma"
    comma.mkdir()
    (comma / "project.csv").write_text((EXAMPLE / "project.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (comma / "organization.csv").write_text(
        "projectID,projectAcronym,organisationID,name,country\n900001,EXALPHA,999000001,X,DE\n", encoding="utf-8"
    )
    from clusterkg.loaders.cordis.files import open_download

    download = open_download(comma)
    with pytest.raises(FileError, match=r"organization.csv row 1: the columns are separated by ','"):
        list(download.rows("organization"))


@pytest.fixture(scope="module")
def worked_graph(server, reference_data, tmp_path_factory):
    """The xs SYNTHETIC graph plus a SYNTHETIC CORDIS download whose participants are its organisations and clusters."""
    from clusterkg.loaders.cordis.synthetic import generate_download
    from tests.conftest import drop, synthetic_graph

    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("xs"), "xs", "cordis_xs")
    pool = [
        (r["name"], r["country"])
        for r in store.read(
            "MATCH (n) WHERE (n:Organisation OR n:Cluster) AND n.country IS NOT NULL "
            "RETURN n.name AS name, n.country AS country ORDER BY n.id"
        ).rows
    ]
    folder = tmp_path_factory.mktemp("cordis")
    generate_download(folder, pool, participations=1500, new_organisations=50)
    report = load_cordis(store, folder)
    assert report.written and not report.errors and report.matched["name"] > 100
    yield store
    drop(store)


@pytest.mark.parametrize("candidates", ["Cluster", "Organisation"])
def test_partner_search_with_collaboration_equals_the_reference(worked_graph, candidates):
    from clusterkg.scoring.complementarity import Weights, partner_search
    from clusterkg.scoring.reference import export_incidence, reference_search

    data = export_incidence(worked_graph)
    assert data.worked, "the comparison needs co-participation ties"
    with_ties = sorted(data.worked, key=lambda node: -len(data.worked[node]))  # the best connected first
    seekers = [(label, data.sides[label].ids[row]) for label, row in with_ties if label == "Cluster"][:6]
    seekers += [(label, data.sides[label].ids[row]) for label, row in with_ties if label == "Organisation"][:10]
    together = apart = 0
    for label, seeker in seekers:
        for weight in (0.0, 1.5, -2.0):
            weights = Weights(collaboration=weight)
            got = partner_search(worked_graph, seeker, candidates=candidates, weights=weights, first=30, explain=False)
            want = reference_search(data, (label, seeker), candidates=candidates, weights=weights, first=30)
            assert [(m.id, m.together, m.collaboration) for m in got] == [
                (m.id, m.together, m.collaboration) for m in want
            ], (label, seeker, weight)
            assert all(abs(g.score - w.score) < 1e-9 for g, w in zip(got, want))
            together += sum(m.together > 0 for m in got)
            apart += sum(m.collaboration == 0.5 for m in got)
    assert together and apart, "some results worked together, some are one partner apart"


def test_a_positive_weight_lifts_known_partners_and_the_explanation_names_the_projects(worked_graph):
    from clusterkg.scoring.complementarity import Weights, partner_search

    lifted = 0
    for seeker in worked_graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 10").rows:
        plain = partner_search(worked_graph, seeker["id"], candidates="Organisation", first=100)
        favoured = partner_search(
            worked_graph, seeker["id"], candidates="Organisation", first=100, weights=Weights(collaboration=3.0)
        )
        rank = {m.id: i for i, m in enumerate(plain)}
        for match in favoured:
            if match.together and match.id in rank:
                assert favoured.index(match) <= rank[match.id]  # never lower with a positive weight
                lifted += favoured.index(match) < rank[match.id]
                work = match.explanation.collaboration
                assert work is not None and work.projects == match.together
                assert any("EU project" in s for s in match.explanation.sentences())
        avoided = partner_search(
            worked_graph, seeker["id"], candidates="Organisation", first=100, weights=Weights(collaboration=-50.0)
        )
        known = [i for i, m in enumerate(avoided) if m.collaboration > 0]
        new = [i for i, m in enumerate(avoided) if m.collaboration == 0]
        assert not known or not new or max(new) < min(known)  # a strong negative weight puts new partners first
    assert lifted


def test_export_and_load_dir_round_trip_projects_participations_and_ties(server, reference_data, tmp_path):
    from clusterkg.loaders.export import export
    from clusterkg.loaders.pipeline import load_directory
    from clusterkg.schema.content import content_hash
    from tests.conftest import drop, reference_graph

    source, copy = (reference_graph(server, reference_data, name) for name in ("cordis_from", "cordis_to"))
    try:
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "clusters.csv").write_text(
            "id;name;country;nuts;ecosystems\nex-k1;Example Basilicata Cluster;IT;ITF51;digital\n", encoding="utf-8"
        )
        (tmp_path / "in" / "members.csv").write_text(
            "organisation_id;name;kind;cluster_id;nuts\nex-acme;Acme Smart Systems;large;ex-k1;ITF51\n",
            encoding="utf-8",
        )
        load_directory(source, tmp_path / "in")
        load_cordis(source, EXAMPLE)
        report = export(source, tmp_path / "out")
        assert report.counts["cordis/organization"] == 8 and report.counts["cordis/project"] == 3
        header = (tmp_path / "out" / "cordis" / "organization.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith('"projectID";"projectAcronym";"organisationID"')  # CORDIS's own layout
        assert all(r.written for r in load_directory(copy, tmp_path / "out"))
        again = load_cordis(copy, tmp_path / "out" / "cordis", strict=True)
        assert again.written and not again.errors and again.matched["id"] == 1  # ex-acme, by its clusterkg id
        for query in (
            "MATCH (n) WHERE n:Organisation OR n:Cluster OR n:Project RETURN n.id AS id, properties(n) AS p",
            "MATCH (a)-[r]->(b) WHERE a:Organisation OR a:Cluster RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p",
        ):
            assert _canonical(copy.read(query).rows) == _canonical(source.read(query).rows)
        assert content_hash(copy).hexdigest == content_hash(source).hexdigest
    finally:
        drop(source)
        drop(copy)


def test_graphql_gives_the_weight_the_components_and_the_collaboration_explanation(worked_graph):
    from starlette.testclient import TestClient

    from clusterkg.web.app import create_app

    text = (
        Path(__file__).resolve().parent.parent
        / "clusterkg"
        / "graphql"
        / "operations"
        / "partner_search_track_record.graphql"
    ).read_text(encoding="utf-8")
    seekers = worked_graph.read(
        "MATCH (c:Cluster)-[w:WORKED_WITH]-(:Cluster) RETURN c.id AS id, count(w) AS n ORDER BY n DESC, id LIMIT 5"
    ).rows
    explained = 0
    with TestClient(create_app(store=worked_graph)) as client:
        for seeker in seekers:
            body = client.post("/graphql", json={"query": text, "variables": {"id": seeker["id"]}}).json()
            assert "errors" not in body, body
            for match in body["data"]["partnerSearch"]:
                parts, work = match["explanation"]["components"], match["explanation"]["collaboration"]
                if parts["together"]:
                    assert parts["collaboration"] == 1.0 and work["projects"] == parts["together"]
                    assert work["via"] == "members"  # two clusters: through their members
                    assert any("EU project" in s for s in match["explanation"]["sentences"])
                    explained += 1
                elif work:
                    assert parts["collaboration"] == 0.5 and work["sharedPartnerCount"] >= 1
        bad = client.post(
            "/graphql",
            json={"query": '{ partnerSearch(input: {seekerId: "x", weights: {collaboration: "a lot"}}) { score } }'},
        ).json()
        assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "Float" in bad["errors"][0]["message"]
    assert explained


@pytest.mark.slow  # a durability test (a load cut off, then rerun): 14 s each
@pytest.mark.parametrize("cut_at", ["PARTICIPATED_IN", "WORKED_WITH"])
def test_a_cut_off_load_is_reported_and_a_rerun_completes_it(server, reference_data, tmp_path, cut_at):
    """The engine stops answering in the middle of the participations, or of the ties: the journal says the load is
    incomplete (and how to finish it), and the same load again gives the graph a clean load gives."""
    from clusterkg.errors import EngineUnavailable
    from clusterkg.loaders import journal
    from clusterkg.loaders.cordis.synthetic import generate_download
    from clusterkg.loaders.pipeline import LoadFailed
    from clusterkg.schema.content import content_hash
    from tests.conftest import drop, reference_graph

    folder = tmp_path / "download"
    generate_download(folder, [(f"Example Org {i}", "DE") for i in range(300)], participations=12_000)
    cut, clean = (reference_graph(server, reference_data, name) for name in ("cordis_cut", "cordis_clean"))
    try:
        original = cut.write
        seen = {"n": 0}

        def failing_write(query, *args, **kwargs):
            if cut_at in query:
                seen["n"] += 1
                if seen["n"] == 2:
                    raise EngineUnavailable("connection refused (simulated: the engine went away)")
            return original(query, *args, **kwargs)

        cut.write = failing_write
        with pytest.raises(LoadFailed, match="run again"):
            load_cordis(cut, folder)
        cut.write = original
        pending = journal.incomplete(cut)
        assert [p["kind"] for p in pending] == ["cordis"] and "load cordis" in pending[0]["command"]
        assert load_cordis(cut, folder).written and journal.incomplete(cut) == []
        load_cordis(clean, folder)
        assert content_hash(cut).hexdigest == content_hash(clean).hexdigest
    finally:
        drop(cut)
        drop(clean)


@pytest.mark.slow
def test_kill_9_of_a_cordis_load_is_reported_and_the_command_it_names_completes_it(tmp_path):
    """`clusterkg load cordis` killed with SIGKILL in the middle of its writes: `stats` names the incomplete load and the
    command that completes it; that command gives the graph a load that was never interrupted gives."""
    import os
    import shlex
    import signal
    import subprocess
    import sys
    import time

    from clusterkg.graph.embedded import EmbeddedServer
    from clusterkg.graph.falkordb_store import FalkorDBStore
    from clusterkg.loaders.cordis.synthetic import generate_download
    from clusterkg.schema.content import content_hash

    folder = tmp_path / "download"
    generate_download(folder, [(f"Example Org {i}", "IT") for i in range(2000)], participations=60_000)

    def graph_hash(data_dir: Path) -> str:
        info = EmbeddedServer(data_dir).ensure_running()
        store = FalkorDBStore(host=info.host, port=info.port, password=info.password, graph="clusterkg")
        try:
            return content_hash(store).hexdigest
        finally:
            store.close()

    clean, killed = tmp_path / "clean", tmp_path / "killed"
    try:
        for data_dir in (clean, killed):
            run_cli("load", "reference", data_dir=data_dir, check=True)
        run_cli("load", "cordis", str(folder), data_dir=clean, check=True)
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
        environment.update(CLUSTERKG_DATA_DIR=str(killed), COLUMNS="200")
        loader = subprocess.Popen(
            [sys.executable, "-m", "clusterkg.cli", "load", "cordis", str(folder)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        info = EmbeddedServer(killed).ensure_running()
        store = FalkorDBStore(host=info.host, port=info.port, password=info.password, graph="clusterkg")
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                assert loader.poll() is None, "the load ended before it could be interrupted"
                if (store.read("MATCH ()-[r:PARTICIPATED_IN]->() RETURN count(r) AS c").scalar() or 0) >= 10_000:
                    break
                time.sleep(0.05)
        finally:
            store.close()
        loader.send_signal(signal.SIGKILL)
        loader.wait(timeout=30)
        stats = run_cli("stats", "--format", "json", data_dir=killed)
        incomplete = json.loads(stats.stdout)["incomplete_loads"]
        assert [(load["kind"], load["running"]) for load in incomplete] == [("cordis", False)]
        rerun = run_cli(*shlex.split(incomplete[0]["command"])[1:], data_dir=killed)  # the command it names, as given
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert json.loads(run_cli("stats", "--format", "json", data_dir=killed).stdout)["incomplete_loads"] == []
        assert graph_hash(killed) == graph_hash(clean)
    finally:
        for data_dir in (clean, killed):
            run_cli("db", "stop", data_dir=data_dir)
