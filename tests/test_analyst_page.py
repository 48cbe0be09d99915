"""The analyst page (/cypher) in real headless Chromium, against a real server on the xs graph.

Chromium is Debian's (`/usr/bin/chromium`, installed by .ci/run), driven by
Playwright for Python. Screenshots of the table and graph views are saved to
test-artifacts/ at the project root.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from clusterkg.graph.process import free_port
from clusterkg.graphql.context import ApiSettings
from clusterkg.web.app import create_app
from tests.conftest import ARTIFACTS

MAX_ROWS = 50  # a small cap, so a test can see it cut
SLOW_QUERY = "MATCH (a:Region), (b:Region), (c:Region) RETURN count(*) AS n"  # 2,048^3 rows: stopped by the time limit


@pytest.fixture(scope="module")
def site(xs_graph):
    """A real uvicorn server on a free port, serving the app over the xs graph."""
    port = free_port()
    app = create_app(store=xs_graph, api_settings=ApiSettings(analyst_max_rows=MAX_ROWS, analyst_timeout_ms=10_000))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def page(browser, site):
    context = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{site}/cypher")
    page.wait_for_selector("body[data-ready=true]")
    yield page
    context.close()


def _type_query(page, text: str) -> None:
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def _run(page) -> None:
    page.evaluate("document.getElementById('status').textContent = ''")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "() => { const s = document.getElementById('status').textContent; return s && s !== 'running…'; }"
    )


def _table(page) -> list[list[str]]:
    return page.evaluate(
        "() => [...document.querySelectorAll('#result-table tr')].map(tr => [...tr.children].map(c => c.textContent))"
    )


def test_type_a_query_run_it_and_see_the_rows(page, xs_graph):
    query = "MATCH (c:Cluster) WHERE c.country = 'DE' RETURN c.id AS id, c.name AS name ORDER BY id"
    _type_query(page, query)
    _run(page)
    expected = xs_graph.read(query).rows
    table = _table(page)
    assert table[0] == ["id", "name"]
    assert table[1:] == [[r["id"], r["name"]] for r in expected]
    assert f"{len(expected)} rows in" in page.text_content("#status")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analyst-table.png"))


def test_the_graph_view_draws_the_nodes_returned(page, xs_graph):
    query = "MATCH (c:Cluster)-[r:LOCATED_IN]->(x:Region) RETURN c, r, x ORDER BY c.id LIMIT 12"
    _type_query(page, query)
    _run(page)
    page.click("#view-graph")
    page.wait_for_function("() => window.clusterkgGraph && window.clusterkgGraph.nodes().length > 0")
    drawn = page.evaluate(
        "() => ({nodes: window.clusterkgGraph.nodes().length, edges: window.clusterkgGraph.edges().length})"
    )
    rows = xs_graph.read(query).rows
    assert drawn == {"nodes": len({r["c"]["_id"] for r in rows} | {r["x"]["_id"] for r in rows}), "edges": len(rows)}
    assert page.is_visible("#graph canvas")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analyst-graph.png"))


def test_a_library_query_loads_with_its_parameters_and_runs(page, xs_graph):
    from clusterkg import queries

    page.click(".library-item[data-name='cluster_list']")
    params = json.loads(page.input_value("#params"))
    declared = {p.name for p in queries.get("cluster_list").params}
    assert set(params) == declared, "the example parameters are filled in"
    text = page.evaluate("() => window.clusterkgEditor.getValue()")
    assert all(f"${name}" in text for name in declared)
    page.click("#run")
    page.wait_for_selector("#result-table tbody tr")
    expected = xs_graph.read(text, params).rows
    assert len(_table(page)) - 1 == min(len(expected), MAX_ROWS)


def test_a_create_is_refused_and_the_graph_is_unchanged(page, xs_graph):
    before = xs_graph.read("MATCH (n) RETURN count(n) AS n").scalar()
    _type_query(page, "CREATE (:Country {code: 'ZZ', name: 'Nowhere'})")
    _run(page)
    assert page.is_visible("#error")
    assert page.get_attribute("#error", "data-code") == "READ_ONLY"
    assert "only read-only queries" in page.text_content("#error")
    assert xs_graph.read("MATCH (n) RETURN count(n) AS n").scalar() == before
    assert xs_graph.read("MATCH (c:Country {code: 'ZZ'}) RETURN count(c) AS n").scalar() == 0


def test_a_slow_query_is_stopped_by_the_time_limit(page):
    page.fill("#timeout", "1")
    _type_query(page, SLOW_QUERY)
    started = time.monotonic()
    _run(page)
    assert page.get_attribute("#error", "data-code") == "TIMEOUT"
    assert "stopped at the time limit (1 s)" in page.text_content("#error")
    assert time.monotonic() - started < 8


def test_a_syntax_error_shows_the_engines_message_and_position(page):
    _type_query(page, "MATCH (c:Cluster RETURN c")
    _run(page)
    error = page.text_content("#error")
    assert page.get_attribute("#error", "data-code") == "ENGINE"
    assert "line 1, column" in error and "Invalid input" in error
    assert page.locator(".cm-error-mark").count() == 1


def test_csv_download_equals_the_table_and_json_has_the_rows(page, xs_graph):
    _type_query(
        page,
        "MATCH (r:Region {level: 2, country: 'PT'}) RETURN r.nuts AS nuts, r.name AS name, r.category AS category ORDER BY nuts",
    )
    _run(page)
    page.click("#result-table th:nth-child(2)")  # sort by name: the download follows the table's order
    table = _table(page)
    with page.expect_download() as download_info:
        page.click("#download-csv")
    downloaded = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(downloaded))) == table
    with page.expect_download() as download_info:
        page.click("#download-json")
    rows = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert [[r["nuts"], r["name"], r["category"] or ""] for r in rows] == table[1:]
    names = [row[1] for row in table[1:]]
    assert (
        names == sorted(names)
        and len(names) == xs_graph.read("MATCH (r:Region {level: 2, country: 'PT'}) RETURN count(r) AS n").scalar()
    )


def test_csv_download_keeps_formulas_as_text(page):
    _type_query(page, "RETURN '=HYPERLINK(\"http://evil.example\")' AS a, '-1+2' AS b, 3 AS c, '@x' AS d")
    _run(page)
    with page.expect_download() as download_info:
        page.click("#download-csv")
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8"))))
    assert rows[1] == ['\'=HYPERLINK("http://evil.example")', "'-1+2", "3", "'@x"]


def test_beyond_loopback_the_page_asks_for_the_token_once(browser, xs_graph):
    from clusterkg.settings import WebSettings

    port = free_port()
    settings = WebSettings(bind_host="0.0.0.0", analyst_tokens=("page-token",))
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(store=xs_graph, web_settings=settings), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    prompts = []
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda dialog: (prompts.append(dialog.message), dialog.accept("page-token")))
    try:
        page.goto(f"http://127.0.0.1:{port}/cypher")
        page.wait_for_selector("body[data-ready=true]")
        _type_query(page, "MATCH (c:Country) RETURN count(c) AS n")
        _run(page)
        assert _table(page)[1] == [str(xs_graph.read("MATCH (c:Country) RETURN count(c) AS n").scalar())]
        assert len(prompts) == 1 and "analyst token" in prompts[0]
    finally:
        context.close()
        server.should_exit = True


def test_a_shared_url_reruns_the_query_and_history_keeps_it(page, site):
    _type_query(page, "MATCH (c:Country) WHERE c.code STARTS WITH $prefix RETURN c.code AS code ORDER BY code")
    page.fill("#params", '{"prefix": "D"}')
    _run(page)
    first = _table(page)
    assert first[1:] == [["DE"], ["DK"]]
    shared_url = page.url
    assert "q=" in shared_url and "params=" in shared_url
    other = page.context.new_page()
    other.goto(shared_url)
    other.wait_for_selector("#result-table tbody tr")
    assert _table(other) == first
    page.click(".tab[data-panel='history-panel']")
    assert "STARTS WITH $prefix" in page.text_content("#history li")


def test_large_results_are_capped_with_a_note(page):
    _type_query(page, "MATCH (r:Region) RETURN r.nuts AS nuts ORDER BY nuts")
    _run(page)
    assert len(_table(page)) - 1 == MAX_ROWS
    assert page.is_visible("#note")
    assert f"first {MAX_ROWS} rows" in page.text_content("#note")


def test_the_schema_panel_and_completion_know_the_graph(page, xs_graph):
    page.click(".tab[data-panel='schema-panel']")
    clusters = xs_graph.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar()
    assert ":Cluster" in page.text_content("#schema")
    entry = page.locator("#schema li", has_text=":Cluster").first
    assert f"{clusters:,}" in entry.text_content()
    assert "SYNTHETIC" in page.text_content("#synthetic")
    _type_query(page, "MATCH (c:Clu")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints")
    assert "Cluster" in page.text_content(".CodeMirror-hints")


# ---------------------------------------------------------------- the JSON endpoint, for scripts


@pytest.fixture(scope="module")
def client(xs_graph):
    from starlette.testclient import TestClient

    with TestClient(create_app(store=xs_graph, api_settings=ApiSettings(analyst_max_rows=MAX_ROWS))) as test_client:
        yield test_client


def test_run_endpoint_refuses_bad_requests_with_clear_messages(client):
    assert (
        client.post("/cypher/run", content=b"not json", headers={"content-type": "application/json"}).json()["error"][
            "code"
        ]
        == "BAD_REQUEST"
    )
    assert (
        client.post("/cypher/run", content=b'{"query": "RETURN 1"}', headers={"content-type": "text/plain"}).status_code
        == 415
    )
    assert "query" in client.post("/cypher/run", json={"q": "x"}).json()["error"]["message"]
    too_long = client.post("/cypher/run", json={"query": "RETURN 1", "timeoutMs": 10**9})
    assert too_long.status_code == 400 and "timeoutMs" in too_long.json()["error"]["message"]
    assert client.post("/cypher/run", json={"query": "RETURN 1", "params": [1]}).status_code == 400
    assert client.post("/cypher/run", json={"query": "  "}).json()["error"]["message"] == "the query is empty"


def test_explain_goes_through_the_engine_and_never_runs_the_query(client, xs_graph):
    before = xs_graph.read("MATCH (c:Country) RETURN count(c) AS n").scalar()
    planned = client.post("/cypher/run", json={"query": "EXPLAIN MATCH (c:Country) RETURN c.code"}).json()
    assert planned["mode"] == "explain" and any("Country" in line for line in planned["plan"])
    for form in ("EXPLAIN", "PROFILE"):  # a write is refused in every form, even a plan that would not run
        refused = client.post("/cypher/run", json={"query": f"{form} CREATE (:Country {{code: 'QQ'}})"}).json()
        assert refused["error"]["code"] == "READ_ONLY", refused
    assert xs_graph.read("MATCH (c:Country) RETURN count(c) AS n").scalar() == before
    profiled = client.post("/cypher/run", json={"query": "PROFILE MATCH (c:Country) RETURN c.code"}).json()
    assert profiled["mode"] == "profile" and any("Records produced" in line for line in profiled["plan"])


def test_the_library_endpoint_lists_every_query_with_parameters(client):
    from clusterkg import queries

    listed = {q["name"]: q for q in client.get("/cypher/library").json()}
    every = queries.library()
    assert set(listed) == {name for name, q in every.items() if q.mode == "read"}
    writes = {name for name, q in every.items() if q.mode == "write"}
    assert writes and not writes & set(listed), "the write side's queries are never offered on a read-only page"
    search = listed["partner_search"]
    assert {"seeker_id", "w_need"} <= {p["name"] for p in search["params"]}
    assert "__seeker__" not in search["text"] and search["example"]["seeker_id"]


def test_index_links_the_analyst_page(client):
    assert 'href="/cypher"' in client.get("/").text
    page = client.get("/cypher")
    assert page.status_code == 200 and "codemirror.js" in page.text and "cytoscape.min.js" in page.text
    assert client.get("/static/vendor/cytoscape/cytoscape.min.js").status_code == 200


def test_the_parameters_panel_has_a_field_per_parameter_kept_in_step_with_the_json(page, xs_graph):
    _type_query(
        page,
        "MATCH (c:Cluster) WHERE c.country = $country AND c.founded >= $since // not $this\nRETURN c.id AS id ORDER BY id",
    )
    page.wait_for_selector("#param-country")
    assert page.locator("#params-panel input").evaluate_all("els => els.map(e => e.dataset.name)") == [
        "country",
        "since",
    ]
    page.fill("#param-country", "IT")
    page.fill("#param-since", "2000")
    assert json.loads(page.input_value("#params")) == {"country": "IT", "since": 2000}, "2000 is read as a number"
    _run(page)
    expected = xs_graph.read(
        "MATCH (c:Cluster) WHERE c.country = 'IT' AND c.founded >= 2000 RETURN c.id AS id ORDER BY id"
    ).rows
    assert _table(page)[1:] == [[r["id"]] for r in expected]
    page.fill("#params", '{"country": "ES", "since": 1990}')
    page.dispatch_event("#params", "input")
    assert page.input_value("#param-country") == "ES" and page.input_value("#param-since") == "1990"


def test_the_graph_view_downloads_as_png_and_svg(page, tmp_path):
    _type_query(page, "MATCH (c:Cluster)-[r:LOCATED_IN]->(x:Region) RETURN c, r, x ORDER BY c.id LIMIT 6")
    _run(page)
    assert page.is_disabled("#download-png"), "no graph drawn yet"
    page.click("#view-graph")
    page.wait_for_function("() => !document.getElementById('download-svg').disabled")
    nodes = page.evaluate("() => window.clusterkgGraph.nodes().length")
    with page.expect_download() as png:
        page.click("#download-png")
    png_path = tmp_path / "graph.png"
    png.value.save_as(png_path)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png_path.stat().st_size > 1000
    with page.expect_download() as svg:
        page.click("#download-svg")
    svg_path = tmp_path / "graph.svg"
    svg.value.save_as(svg_path)
    text = svg_path.read_text(encoding="utf-8")
    assert text.startswith("<svg") and text.count('<g class="node">') == nodes and text.count('class="edge"') == 6


SAVED_QUERY = "MATCH (c:Cluster) WHERE c.country = $country RETURN c.id AS id, c.members_total AS members ORDER BY id"


def test_a_query_is_saved_on_the_server_and_a_dashboard_of_it_opens_read_only_by_its_link(
    page, browser, site, xs_graph
):
    import httpx

    _type_query(page, SAVED_QUERY)
    page.fill("#params", '{"country": "IT"}')
    page.click(".tab[data-panel='saved-panel']")
    page.fill("#save-name", "Italian clusters")
    page.click("#save-query")
    page.wait_for_selector("#saved-status[data-code=SAVED]")
    saved = httpx.get(f"{site}/cypher/saved").json()
    mine = [q for q in saved["queries"] if q["name"] == "Italian clusters"]
    assert (
        len(mine) == 1
        and mine[0]["query"] == SAVED_QUERY
        and mine[0]["params"] == {"country": "IT"}
        and mine[0]["mine"]
    )
    refused = httpx.post(f"{site}/cypher/saved", json={"name": "w", "query": "CREATE (:X)"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "READ_ONLY"
    assert xs_graph.read("MATCH (x:X) RETURN count(x) AS n").scalar() == 0

    regions = httpx.post(
        f"{site}/cypher/saved",
        json={
            "name": "Clusters by region",
            "query": "MATCH (c:Cluster) WHERE c.country = $country RETURN c.nuts AS nuts, count(c) AS n ORDER BY nuts",
        },
    ).json()
    graph_query = httpx.post(
        f"{site}/cypher/saved",
        json={
            "name": "Where they are",
            "query": "MATCH (c:Cluster)-[r:LOCATED_IN]->(x:Region) WHERE c.country = $country RETURN c, r, x LIMIT 10",
        },
    ).json()
    assert "id" in graph_query and "id" in regions, (graph_query, regions)
    page.click(".tab[data-panel='history-panel']")
    page.click(".tab[data-panel='saved-panel']")
    page.wait_for_selector(f".saved-pick[data-id='{graph_query['id']}']")
    for query_id, view in (
        (mine[0]["id"], "table"),
        (mine[0]["id"], "bar"),
        (regions["id"], "map"),
        (graph_query["id"], "graph"),
    ):
        if view == "bar":
            continue  # one panel per query from the page; the bar panel is added through the API below
        page.check(f".saved-pick[data-id='{query_id}']")
        page.select_option(f".saved-view[data-id='{query_id}']", view)
    page.fill("#dashboard-name", "Italy at a glance")
    page.click("#make-dashboard")
    page.wait_for_selector("#saved-status[data-code=DASHBOARD]")
    link = page.get_attribute("#saved-status", "data-link")
    board = next(d for d in httpx.get(f"{site}/cypher/saved").json()["dashboards"] if d["name"] == "Italy at a glance")
    panels = board["panels"] + [{"queryId": regions["id"], "view": "bar"}]
    assert (
        httpx.put(f"{site}/cypher/dashboards/{board['id']}", json={"name": board["name"], "panels": panels}).status_code
        == 200
    )

    viewer = browser.new_context(viewport={"width": 1300, "height": 1000})
    try:
        view = viewer.new_page()
        view.goto(link)
        view.wait_for_selector("body[data-ready=true]")
        assert view.text_content("#title") == "Italy at a glance"
        expected = xs_graph.read(SAVED_QUERY.replace("$country", "'IT'")).rows
        assert view.get_attribute(".panel-body[data-view='table']", "data-rows") == str(len(expected))
        assert view.locator(".panel-body[data-view='table'] tbody tr").count() == len(expected)
        assert view.locator(".panel-body[data-view='map'] path.region[fill^='rgb']").count() >= 1, (
            "the map colours the regions found"
        )
        view.wait_for_function(
            "() => document.querySelector(\".panel-body[data-view='graph'] .graph\").dataset.nodes > 0"
        )
        assert view.locator(".panel-body[data-view='bar'] svg[role=img]").count() == 1, "the bar chart"
        view.fill("#select-country", "ES")
        view.click("#selectors button[type=submit]")
        view.wait_for_selector("body[data-ready=true]")
        spanish = xs_graph.read(SAVED_QUERY.replace("$country", "'ES'")).rows
        view.wait_for_function(
            f"() => document.querySelector(\".panel-body[data-view='table']\").dataset.rows === '{len(spanish)}'"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        view.screenshot(path=str(ARTIFACTS / "analyst-dashboard.png"), full_page=True)
    finally:
        viewer.close()


def test_someone_elses_saved_query_or_dashboard_cannot_be_changed(site):
    import httpx

    query = httpx.post(f"{site}/cypher/saved", json={"name": "mine", "query": "RETURN 1 AS one"}).json()
    board = httpx.post(
        f"{site}/cypher/dashboards", json={"name": "mine", "panels": [{"queryId": query["id"], "view": "table"}]}
    ).json()
    # another analyst: one who sends a token (on loopback the page needs none, so this is who saves)
    other = {"Authorization": "Bearer someone-elses-analyst-token"}
    edit = httpx.put(
        f"{site}/cypher/saved/{query['id']}", json={"name": "theirs", "query": "RETURN 2 AS two"}, headers=other
    )
    assert edit.status_code == 403 and edit.json()["error"]["code"] == "FORBIDDEN"
    assert httpx.delete(f"{site}/cypher/dashboards/{board['id']}", headers=other).status_code == 403
    listed = httpx.get(f"{site}/cypher/saved").json()
    assert next(q for q in listed["queries"] if q["id"] == query["id"])["query"] == "RETURN 1 AS one", "nothing written"
    bad = httpx.post(f"{site}/cypher/dashboards", json={"name": "", "panels": [{"queryId": "nope", "view": "pie"}]})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {
        "name",
        "panels[0].queryId",
        "panels[0].view",
    }
