"""The explorer pages in Debian's headless Chromium over a real server and the demo graph (xs) plus docs/examples.

Every page is checked for console errors, requests to any host but this
server (the network is limited to loopback), and axe-core's serious or
critical violations; screenshots of every page at 375 px and 1280 px go to
test-artifacts/.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pytest
import uvicorn

from clusterkg.graph.process import free_port
from clusterkg.loaders.cordis.load import load_cordis
from clusterkg.loaders.geometry import GEO_DIR
from clusterkg.loaders.pipeline import load_directory
from clusterkg.settings import Settings
from clusterkg.web.app import create_app
from tests.conftest import ARTIFACTS, drop, synthetic_graph

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
GEOMETRY = GEO_DIR / "nuts2024_rg_20m_level2.geojson"
SEEKER = "syn-c000000"
PAGES = [
    "/",
    "/directory",
    f"/cluster/{SEEKER}?find=1",
    "/region/PL82",
    "/organisation/cordis-999000001",
    "/jobs",
    "/about",
    "/graphql",
    "/signin",
    "/review",
    "/postings",
    "/posting/syn-post-000000",
    "/postings/new",
    "/inbox",
    "/call/COS-CLUSTER-2020-3-03",
    "/event/syn-e0000",
]


@pytest.fixture(scope="module")
def graph(server, reference_data, tmp_path_factory):
    store = synthetic_graph(server, reference_data, tmp_path_factory.mktemp("explorer-xs"), "xs", "explorer")
    load_directory(store, EXAMPLES)  # the example clusters the matching examples name
    load_cordis(store, EXAMPLES / "cordis" / "csv")  # EU projects for the organisation and cluster pages
    yield store
    drop(store)


@pytest.fixture(scope="module")
def site(graph, tmp_path_factory):
    port = free_port()
    settings = Settings(data_dir=tmp_path_factory.mktemp("explorer-data"))
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings=settings, store=graph), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", settings.data_dir
    server.should_exit = True


class Watch:
    """What a page did wrong: console errors, uncaught exceptions, requests beyond this server."""

    def __init__(self, page, base: str) -> None:
        self.problems: list[str] = []
        host = urlsplit(base).netloc
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))

        def route(request_route):
            url = request_route.request.url
            if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == host:
                request_route.continue_()
            else:  # the network is limited to this server: anything else is a failure
                self.problems.append(f"request to another host: {url}")
                request_route.abort()

        page.route("**/*", route)


@pytest.fixture()
def browse(browser, site):
    base, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = Watch(page, base)
    page.base = base
    yield page, watch
    context.close()
    assert watch.problems == []


def gql(base: str, query: str, variables: dict | None = None) -> dict:
    import httpx

    body = httpx.post(f"{base}/graphql", json={"query": query, "variables": variables or {}}, timeout=60).json()
    assert "errors" not in body, body
    return body["data"]


def saved(download, directory: Path) -> Path:
    """A download under its own name (openpyxl goes by the suffix)."""
    path = directory / download.suggested_filename
    download.save_as(path)
    return path


def open_page(page, path: str, ready: str = "body[data-ready=true]") -> None:
    page.goto(page.base + path)
    page.wait_for_selector(ready, timeout=30_000)


# ---------------------------------------------------------------- the overview map


def test_the_map_draws_every_region_and_hover_and_click_find_the_right_one(browse, graph):
    page, _ = browse
    open_page(page, "/")
    features = json.loads(GEOMETRY.read_text(encoding="utf-8"))["features"]
    assert page.locator("svg.map path.region").count() == len(features)
    assert "© EuroGeographics for the administrative boundaries" in page.text_content(".legend")
    target = graph.read("MATCH (r:Region {nuts: 'PL82'}) RETURN r.name AS name").scalar()
    shape = page.locator("svg.map path.region[data-nuts='PL82']")
    shape.hover()
    assert target in page.text_content(".map-tooltip") and "PL82" in page.text_content(".map-tooltip")
    counters = {
        li.get_attribute("data-counter"): int(li.locator(".value").text_content().replace(",", ""))
        for li in page.locator(".counters li").all()
    }
    assert counters["clusters"] == graph.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar()
    shape.click()
    page.wait_for_url("**/region/PL82")
    page.wait_for_selector("body[data-ready=true]")
    assert page.text_content("#title") == f"{target} (PL82)"
    assert "Commission Implementing Decision" in page.text_content("#derivation") or "Art. 108(2)" in page.text_content(
        "#derivation"
    )


def test_the_map_colours_change_with_the_measure(browse):
    page, _ = browse
    open_page(page, "/")
    by_category = page.get_attribute("svg.map path.region[data-nuts='PL82']", "fill")
    page.check("input[name=mode][value=gdp]")
    assert page.get_attribute("svg.map path.region[data-nuts='PL82']", "fill") != by_category
    assert "GDP per head" in page.text_content(".legend-title")


# ---------------------------------------------------------------- the directory


def test_directory_filters_give_the_count_the_api_reports_and_live_in_the_url(browse, tmp_path):
    page, _ = browse
    base = page.base
    open_page(page, "/directory")
    everything = gql(base, "{ clusters { totalCount } }")["clusters"]["totalCount"]
    assert page.text_content("#total").startswith(f"{everything:,} clusters")
    facets = gql(base, "{ clusterFacets(filter: {regionCategories: [LESS_DEVELOPED]}) { dimension value count } }")[
        "clusterFacets"
    ]
    country = next(
        f["value"] for f in facets if f["dimension"] == "country"
    )  # a country with clusters in less developed regions
    page.check(f"[data-facet=country] input[value='{country}']")
    expected = gql(base, "query($c: [String!]) { clusters(filter: {countries: $c}) { totalCount } }", {"c": [country]})[
        "clusters"
    ]["totalCount"]
    page.wait_for_function(
        "(n) => document.querySelector('#total').textContent.startsWith(n)", arg=f"{expected:,} clusters"
    )
    assert expected < everything
    page.check("[data-facet=category] input[value=LESS_DEVELOPED]")
    both = gql(
        base,
        "query($c: [String!]) { clusters(filter: {countries: $c, regionCategories: [LESS_DEVELOPED]}) { totalCount } }",
        {"c": [country]},
    )
    page.wait_for_function(
        "(n) => document.querySelector('#total').textContent.startsWith(n)",
        arg=f"{both['clusters']['totalCount']:,} clusters",
    )
    assert f"country={country}" in page.url and "category=LESS_DEVELOPED" in page.url
    shared = page.context.new_page()  # the link reproduces the list
    shared.goto(page.url)
    shared.wait_for_selector("body[data-ready=true]")
    assert shared.text_content("#total") == page.text_content("#total")
    with page.expect_download() as download:
        page.click("#download-xlsx")
    sheet = openpyxl.load_workbook(saved(download.value, tmp_path)).active
    assert sheet.max_row - 1 == both["clusters"]["totalCount"]


def test_directory_pages_through_the_connection(browse):
    page, _ = browse
    open_page(page, "/directory")
    first = page.locator("#results tbody tr td:first-child").all_text_contents()
    page.click("#next")
    page.wait_for_function("(n) => document.querySelector('#results tbody tr td').textContent !== n", arg=first[0])
    second = page.locator("#results tbody tr td:first-child").all_text_contents()
    assert len(first) == 25 and not set(first) & set(second)
    page.click("#previous")
    page.wait_for_function("(n) => document.querySelector('#results tbody tr td').textContent === n", arg=first[0])


# ---------------------------------------------------------------- profile and partner finder


PARTNERS = """query($input: PartnerSearchInput!) { partnerSearch(input: $input) { partner { ... on Cluster { id } } explanation { sentences } } }"""


def test_the_partner_list_is_partner_search_and_every_reason_is_in_the_graph(browse, graph):
    page, _ = browse
    open_page(
        page, f"/cluster/{SEEKER}?find=1&category=LESS_DEVELOPED&category=TRANSITION", "body[data-partners=ready]"
    )
    shown = [li.get_attribute("data-id") for li in page.locator("#partner-list > li").all()]
    api = gql(
        page.base,
        PARTNERS,
        {"input": {"seekerId": SEEKER, "regionCategories": ["LESS_DEVELOPED", "TRANSITION"], "first": 20}},
    )["partnerSearch"]
    assert shown == [m["partner"]["id"] for m in api] and shown
    names = lambda rel, node_id: set(
        graph.read(
            f"MATCH (:Cluster {{id: $id}})-[:{rel}]->(c:Competence) RETURN collect(c.name) AS n", {"id": node_id}
        ).scalar()
    )
    seeker_seeks = names("SEEKS", SEEKER)
    checked = 0
    for li in page.locator("#partner-list > li").all():
        partner = li.get_attribute("data-id")
        for sentence in li.locator(".reasons li").all_text_contents():
            offered = re.match(r"offers (.+?)(?: \(a kind of (.+)\))?, which you seek$", sentence)
            sought = re.match(r"seeks (.+?), which you offer", sentence)
            if offered:
                assert offered.group(1) in names("OFFERS", partner)
                assert (offered.group(2) or offered.group(1)) in seeker_seeks
                checked += 1
            elif sought:
                assert sought.group(1) in names("SEEKS", partner)
                checked += 1
    assert checked > 0
    assert page.locator("#partner-map svg.map circle.marker").count() > 0
    assert "find=1" in page.get_attribute("#share-link", "href")


def test_the_finder_form_changes_the_search_and_the_link_reproduces_it(browse):
    page, _ = browse
    open_page(page, f"/cluster/{SEEKER}")
    page.fill("#countries", "DE, FR")
    page.click("#finder button[type=submit]")
    page.wait_for_selector("body[data-partners=ready]")
    api = gql(page.base, PARTNERS, {"input": {"seekerId": SEEKER, "countries": ["DE", "FR"], "first": 20}})[
        "partnerSearch"
    ]
    assert [li.get_attribute("data-id") for li in page.locator("#partner-list > li").all()] == [
        m["partner"]["id"] for m in api
    ]
    link = page.get_attribute("#share-link", "href")
    assert "countries=DE" in link
    with page.expect_download() as download:
        page.click("text=CSV")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == [m["partner"]["id"] for m in api]


# ---------------------------------------------------------------- organisers' jobs


def test_b2b_workflow_schedules_the_example_attendees_and_the_downloads_match(browse, tmp_path):
    page, _ = browse
    open_page(page, "/jobs")
    page.set_input_files("#attendees", str(EXAMPLES / "matching" / "attendees.csv"))
    page.fill("#slots", "4")
    page.fill("#tables", "2")
    page.fill("#eventTime", "5")
    page.click("#event-form button[type=submit]")
    page.wait_for_url("**/jobs?id=*")
    page.wait_for_selector("body[data-job=done]", timeout=60_000)
    assert page.locator("#by-slot table").count() >= 1
    downloads = {}
    for name in ("meetings.csv", "schedule.xlsx", "agendas.zip"):
        with page.expect_download() as download:
            page.click(f"button[data-file='{name}']")
        downloads[name] = saved(download.value, tmp_path)
    meetings = list(csv.reader(io.StringIO(downloads["meetings.csv"].read_text(encoding="utf-8"))))
    assert len(meetings) > 1
    overview = openpyxl.load_workbook(downloads["schedule.xlsx"])["Overview"]
    rows = [["" if v is None else str(v) for v in row] for row in overview.iter_rows(values_only=True)]
    header = meetings[0]
    start = next(i for i, row in enumerate(rows) if row[: len(header)] == header)
    key = lambda row: (row[0], row[1], row[2], row[3], row[6])  # slot, time, table, attendee_a, attendee_b
    assert [key(r) for r in rows[start + 1 :] if any(r)] == [key(r) for r in meetings[1:]]
    for slot in sorted({r[0] for r in meetings[1:]}):  # the preview, slot by slot, is the file
        page.select_option("#slot", slot)
        shown = [row.locator("td").all_text_contents()[:3] for row in page.locator("#by-slot tbody tr").all()]
        assert shown == [[r[2], r[4], r[7]] for r in meetings[1:] if r[0] == slot]  # table, name_a, name_b
    import zipfile

    with zipfile.ZipFile(downloads["agendas.zip"]) as archive:
        assert "agendas/index.html" in archive.namelist()


def test_a_bad_attendee_file_shows_its_row_errors_and_runs_nothing(browse, site, tmp_path):
    page, _ = browse
    _, data_dir = site
    bad = tmp_path / "attendees.csv"
    bad.write_text("attendee_id,name,available_slots\na-1,Ann,1-2\na-1,Bob,1\na-2,Cy,x\n", encoding="utf-8")
    before = sorted((data_dir / "jobs").glob("*")) if (data_dir / "jobs").exists() else []
    open_page(page, "/jobs")
    page.set_input_files("#attendees", str(bad))
    page.click("#event-form button[type=submit]")
    page.wait_for_selector("#outcome table")
    text = page.text_content("#outcome")
    assert "Nothing was run" in text and "attendees.csv" in text and "duplicate" in text
    cells = page.locator("#outcome tbody tr td:nth-child(2)").all_text_contents()
    assert cells == ["3", "4"]  # the rows of the file: a duplicate id, a slot that is no slot
    after = sorted((data_dir / "jobs").glob("*")) if (data_dir / "jobs").exists() else []
    assert after == before


# ---------------------------------------------------------------- GraphiQL, accessibility, small screens


def test_graphiql_renders_and_runs_a_query_offline(browse):
    page, _ = browse
    page.goto(page.base + "/graphql", wait_until="networkidle")
    page.wait_for_selector(".graphiql-container", timeout=30_000)
    tabs = page.locator(".graphiql-tab").count()
    assert tabs == len(list((ROOT / "clusterkg" / "graphql" / "operations").glob("*.graphql")))
    page.click(".graphiql-execute-button")
    page.wait_for_function(
        "document.querySelector('.result-window') && document.querySelector('.result-window').textContent.includes('\"data\"')",
        timeout=30_000,
    )
    assert '"errors"' not in page.text_content(".result-window")


def test_an_organisation_page_lists_its_projects_and_frequent_partners_as_the_api_does(browse):
    page, _ = browse
    open_page(page, "/organisation/cordis-999000001")
    assert page.text_content("#title") == "EXAMPLE ROBOTICS GMBH"
    rows = page.locator("#projects tbody tr")
    api = gql(
        page.base,
        '{ organisation(id: "cordis-999000001") { projects { acronym role } frequentPartners { id name projects } } }',
    )["organisation"]
    assert rows.count() == len(api["projects"]) == 3
    assert [rows.nth(i).locator("td").first.text_content() for i in range(3)] == [p["acronym"] for p in api["projects"]]
    partners = page.locator("#frequent-partners li a")
    assert [partners.nth(i).text_content() for i in range(partners.count())] == [
        p["name"] for p in api["frequentPartners"]
    ]
    partners.first.click()  # a partner's own page
    page.wait_for_url(f"**/organisation/{api['frequentPartners'][0]['id']}")
    page.wait_for_selector("body[data-ready=true] #projects")
    assert "© European Union, CORDIS" in page.text_content("#projects")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_accessible_and_fits_a_phone(browse, path):
    page, _ = browse
    ready = ".graphiql-container" if path == "/graphql" else "body[data-ready=true]"
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "overview"
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        open_page(page, path, ready)
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"explorer-{name}-{width}.png"), full_page=True)
        if width == 375:  # nothing forces a phone to scroll sideways
            assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# ---------------------------------------------------------------- the write side: sign-in, edit, review, history


def _sign_in(page, token: str) -> None:
    open_page(page, "/signin")
    page.fill("#token", token)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#signed-in", timeout=30_000)


def test_an_editor_edits_in_the_browser_and_a_moderator_approves(browse, browser, site, graph):
    from clusterkg.accounts.store import AccountStore

    page, _ = browse
    _, data_dir = site
    accounts = AccountStore(data_dir)
    cluster = "syn-c000005"
    editor = accounts.add("editor@browser.example", ["editor"], [cluster])[1].text
    moderator = accounts.add("moderator@browser.example", ["moderator"])[1].text

    open_page(page, f"/cluster/{cluster}")
    assert page.locator("#edit-open").count() == 0, "the public gets no edit form"
    assert page.locator("#history-empty").count() == 1

    _sign_in(page, editor)
    assert page.text_content("#account") == "editor@browser.example"
    open_page(page, f"/cluster/{cluster}")
    page.click("#edit-open")
    before = graph.read("MATCH (c:Cluster {id: $id}) RETURN properties(c) AS p", {"id": cluster}).scalar()
    page.fill("#edit-website", "ftp://files.example")
    page.fill("#edit-membersTotal", "-4")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#edit-website-error:not([hidden])")
    assert "http" in page.text_content("#edit-website-error")
    assert page.is_visible("#edit-membersTotal-error")
    assert page.get_attribute("#edit-status", "data-status") == "BAD_USER_INPUT"
    assert graph.read("MATCH (c:Cluster {id: $id}) RETURN properties(c) AS p", {"id": cluster}).scalar() == before

    page.fill("#edit-membersTotal", str(before["members_total"]))
    page.fill("#edit-website", "https://browser-edit.example")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#edit-status[data-status=PENDING_REVIEW]")
    assert "moderator" in page.text_content("#edit-status")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        reviewer = context.new_page()
        reviewer.base = page.base
        _sign_in(reviewer, moderator)
        open_page(reviewer, "/review")
        card = reviewer.locator("article.change", has_text="website")
        assert card.locator("td.after").first.text_content() == "https://browser-edit.example"
        card.locator("button.approve").click()
        reviewer.wait_for_selector("#queue-empty")
        reviewer.screenshot(path=str(ARTIFACTS / "explorer-review.png"), full_page=True)
    finally:
        context.close()

    assert (
        graph.read("MATCH (c:Cluster {id: $id}) RETURN c.website AS w", {"id": cluster}).scalar()
        == "https://browser-edit.example"
    )
    open_page(page, f"/cluster/{cluster}")
    row = page.locator("#history tbody tr").first
    assert (
        "website" in row.text_content()
        and "https://browser-edit.example" in row.text_content()
        and "published" in row.text_content()
    )
    page.screenshot(path=str(ARTIFACTS / "explorer-cluster-edit.png"), full_page=True)
    page.click("#account")
    page.wait_for_selector("#sign-out")
    page.click("#sign-out")
    page.wait_for_url(page.base + "/")
    open_page(page, f"/cluster/{cluster}")
    assert page.locator("#edit-open").count() == 0, "signed out: the form is gone"


# ---------------------------------------------------------------- partner postings: post, find, express interest, accept


def test_an_editor_posts_a_request_another_expresses_interest_and_the_owner_accepts(browse, browser, site, graph):
    from clusterkg.accounts.store import AccountStore

    page, _ = browse
    _, data_dir = site
    accounts = AccountStore(data_dir)
    owner, other = "syn-c000006", "syn-c000007"
    owner_token = accounts.add("owner@postings.example", ["editor"], [owner])[1].text
    other_token = accounts.add("other@postings.example", ["editor"], [other])[1].text

    open_page(page, "/postings/new")
    assert page.locator("#post-signin").count() == 1, "the public is asked to sign in"
    _sign_in(page, owner_token)
    open_page(page, "/postings/new")
    page.fill("#post-title", "Cell chemists sought")
    page.fill("#post-text", "We build a pilot line and need cell chemistry know-how.")
    page.select_option("#post-competences", ["c-cell-chemistry"])
    page.fill("#post-deadline", "2001-01-01")
    page.click("#post-form button[type=submit]")
    page.wait_for_selector("#post-deadline-error:not([hidden])")
    assert page.get_attribute("#post-status", "data-status") == "BAD_USER_INPUT"
    assert graph.read("MATCH (p:Posting {title: 'Cell chemists sought'}) RETURN count(p) AS n").scalar() == 0
    ahead = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    page.fill("#post-deadline", ahead)
    page.click("#post-form button[type=submit]")
    page.wait_for_url("**/posting/post-*")
    page.wait_for_selector("body[data-ready=true]")
    posting_id = page.url.rsplit("/", 1)[1]
    assert graph.read("MATCH (p:Posting {id: $id}) RETURN p.deadline AS d", {"id": posting_id}).scalar() == ahead
    assert page.locator("#interest-form").count() == 0, "no interest form on one's own posting"

    open_page(page, "/postings?competence=ket-advanced-materials")
    assert page.locator(f"a[href='/posting/{posting_id}']").count() == 1, "the board finds it through the hierarchy"

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        visitor = context.new_page()
        visitor.base = page.base
        _sign_in(visitor, other_token)
        open_page(visitor, f"/posting/{posting_id}")
        assert visitor.locator("#interests").count() == 0, "another cluster sees no interests"
        visitor.fill("#interest-message", "We have cell chemists.")
        visitor.click("#interest-form button[type=submit]")
        visitor.wait_for_selector("#interest-status[data-status=PENDING]")
    finally:
        context.close()

    open_page(page, "/inbox")
    row = page.locator("tr.interest", has_text="We have cell chemists.")
    assert row.count() == 1
    row.locator("button.accept").click()
    page.wait_for_selector("tr.interest:has-text('Accepted')")
    page.screenshot(path=str(ARTIFACTS / "explorer-inbox.png"), full_page=True)
    tie = "MATCH (:Cluster {id: $a})-[t:CONNECTED]->(:Cluster {id: $b}) RETURN t.posting_id AS p"
    assert graph.read(tie, {"a": owner, "b": other}).scalar() == posting_id


# ---------------------------------------------------------------- the programme: a call's and an event's figures


def test_a_call_page_shows_the_progress_the_api_reports_and_its_file(browse, tmp_path):
    page, _ = browse
    progress = gql(
        page.base,
        '{ call(id: "COS-CLUSTER-2020-3-03") { progress { exchanges target smeShare smeShareMin byCountry { country exchanges } } } }',
    )["call"]["progress"]
    open_page(page, "/")
    page.click("#calls a[href='/call/COS-CLUSTER-2020-3-03']")
    page.wait_for_selector("body[data-ready=true]")
    assert page.text_content("#gauge-exchanges .value") == f"{progress['exchanges']:,}"
    met = progress["smeShare"] is not None and progress["smeShare"] >= progress["smeShareMin"]
    assert page.get_attribute("#gauge-sme", "data-met") == str(met).lower()
    assert (
        page.get_attribute("#gauge-exchanges", "data-met") == str(progress["exchanges"] >= progress["target"]).lower()
    )
    with page.expect_download() as download:
        page.click("button[data-format=CSV]")
    rows = list(csv.reader(io.StringIO(saved(download.value, tmp_path).read_text(encoding="utf-8"))))
    assert rows[0] == ["measure", "value", "target"] and rows[1] == [
        "exchanges",
        str(progress["exchanges"]),
        str(progress["target"]),
    ]
    assert len(rows) == 1 + 3 + len(progress["byCountry"]) + len({*()} | set()) + sum(
        1 for r in rows if "regions" in r[0]
    )


def test_an_event_page_shows_the_figures_by_attendee_kind(browse):
    page, _ = browse
    figures = gql(
        page.base, '{ eventProgress(eventId: "syn-e0000") { byKind { kind scheduled } total { attendees scheduled } } }'
    )
    open_page(page, "/")
    page.click("#events a[href='/event/syn-e0000']")
    page.wait_for_selector("body[data-ready=true]")
    cells = page.locator("tbody tr").last.locator("td").all_text_contents()
    total = figures["eventProgress"]["total"]
    assert cells[0] == "all" and cells[1] == str(total["attendees"]) and cells[4] == str(total["scheduled"])
    assert page.locator("figure.chart svg[role=img]").count() == 1
