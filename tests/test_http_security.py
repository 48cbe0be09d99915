"""The HTTP surface: JSON errors with codes for every failure, hosts, origins, bodies, roles, rates, CORS, safe files."""

from __future__ import annotations

import csv
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl
import pytest
import uvicorn
from starlette.testclient import TestClient

from clusterkg.graph.process import free_port
from clusterkg.graphql.context import ApiSettings
from clusterkg.settings import WebSettings
from clusterkg.web.app import create_app
from tests.helpers import run_cli

TOKEN = "s3cret-analyst-token"
PUBLIC = WebSettings(bind_host="0.0.0.0", analyst_tokens=(TOKEN,), allowed_hosts=("testserver",))
PARTNERS = '{ partnerSearch(input: {seekerId: "%s", first: 2}) { score } }'
JOB = '{ consortium(input: {lead: "%s", proposals: 1, timeLimitSeconds: 3}) { proposals { rank } } }'


@pytest.fixture(scope="module")
def client(xs_graph):
    with TestClient(create_app(store=xs_graph)) as test_client:
        yield test_client


def _code(response) -> str:
    body = response.json()
    return body["errors"][0]["extensions"]["code"] if "errors" in body else body["error"]["code"]


@pytest.mark.parametrize(
    "content, headers, status, code",
    [
        (b"null", {"content-type": "application/json"}, 400, "BAD_REQUEST"),
        (b'"a string"', {"content-type": "application/json"}, 400, "BAD_REQUEST"),
        (b"{not json", {"content-type": "application/json"}, 400, "BAD_REQUEST"),
        (b"\xff\xfe{}", {"content-type": "application/json"}, 400, "BAD_REQUEST"),
        (b'[{"query": "{ stats { nodes { label } } }"}]', {"content-type": "application/json"}, 400, "BAD_REQUEST"),
        (
            b'{"query": "{ stats { nodes { label } } }", "variables": {"v": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}",
            {"content-type": "application/json"},
            400,
            "BAD_REQUEST",
        ),
        (b'{"query": "{ stats { nodes { label } } }"}', {"content-type": "text/plain"}, 415, "UNSUPPORTED_MEDIA_TYPE"),
        (
            b'{"query": "' + b"#" * 30_000 + b'\\n{ stats { nodes { label } } }"}',
            {"content-type": "application/json"},
            400,
            "LIMIT_EXCEEDED",
        ),
    ],
    ids=["null", "string", "not-json", "not-utf8", "batch", "deep-variables", "text-plain", "comments"],
)
def test_malformed_graphql_bodies_are_json_errors(client, content, headers, status, code):
    response = client.post("/graphql", content=content, headers=headers)
    assert response.status_code == status and _code(response) == code, response.text


def test_bodies_over_the_limit_are_413_with_or_without_a_length(xs_graph):
    small = WebSettings(allowed_hosts=("testserver",), max_body_bytes=10_000)
    with TestClient(create_app(store=xs_graph, web_settings=small)) as client:
        big = json.dumps({"query": "RETURN 1 AS x", "params": {"pad": "x" * 20_000}})
        assert client.post("/cypher/run", content=big, headers={"content-type": "application/json"}).status_code == 413

        def chunks():  # no Content-Length: counted as it streams
            for _ in range(30):
                yield b" " * 1000

        response = client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413 and _code(response) == "TOO_LARGE"


def test_hosts_origins_and_methods(client):
    assert _code(client.get("/health", headers={"host": "evil.example"})) == "BAD_HOST"
    evil = client.post("/cypher/run", json={"query": "RETURN 1 AS x"}, headers={"origin": "http://evil.example"})
    assert evil.status_code == 403 and _code(evil) == "FORBIDDEN_ORIGIN"
    same = client.post("/cypher/run", json={"query": "RETURN 1 AS x"}, headers={"origin": "http://testserver"})
    assert same.status_code == 200 and same.json()["rows"] == [[1]]
    assert client.get("/nowhere").json()["error"]["code"] == "NOT_FOUND"
    assert client.delete("/graphql").status_code == 405
    assert client.options(
        "/graphql", headers={"origin": "http://evil.example", "access-control-request-method": "POST"}
    ).status_code in (400, 405)


def test_user_errors_are_bad_user_input_not_internal(client):
    cases = {
        "{ regions(offset: -1) { nuts } }": "BAD_USER_INPUT",
        '{ cluster(id: "a\\u0000") { id } }': "BAD_USER_INPUT",
        "{ partnerships(offset: -5) { id } }": "BAD_USER_INPUT",
    }
    for query, code in cases.items():
        body = client.post("/graphql", json={"query": query}).json()
        assert body["errors"][0]["extensions"]["code"] == code, (query, body)
    for text in ("a-", "-a", "fuel-cell", "a*", "**", '"quoted"', "(x|y)", "%%", "@x:y", "~z"):
        body = client.post(
            "/graphql", json={"query": "query($t: String!) { search(text: $t) { score } }", "variables": {"t": text}}
        ).json()
        assert not [e for e in body.get("errors", []) if e["extensions"]["code"] == "INTERNAL"], (text, body)
    for bad in (True, "1000", 1.5):
        response = client.post("/cypher/run", json={"query": "RETURN 1 AS x", "timeoutMs": bad})
        assert response.status_code == 400 and "timeoutMs" in response.json()["error"]["message"]


def test_cypher_answers_never_500(client):
    cases = [
        "RETURN 0.0/0.0 AS nan, 1.0/0.0 AS inf",
        "EXPLAIN CREATE INDEX FOR (n:X) ON (n.y)",
        "PROFILE DROP INDEX ON :Cluster(nuts)",
        "EXPLAIN DROP INDEX ON :Cluster(nuts)",
        "PROFILE CREATE INDEX FOR (n:X) ON (n.y)",
    ]
    for query in cases:
        response = client.post("/cypher/run", json={"query": query})
        assert response.status_code in (200, 400), (query, response.text)
    assert client.post("/cypher/run", json={"query": cases[0]}).json()["rows"] == [["nan", "inf"]]
    deep = b'{"query": "RETURN $p AS p", "params": {"p": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    response = client.post("/cypher/run", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 400 and _code(response) == "BAD_REQUEST"


def test_the_row_cap_is_cut_inside_the_engine(client):
    response = client.post(
        "/cypher/run",
        json={"query": "UNWIND range(1, 500000) AS i RETURN i, 'padding padding padding' AS pad", "maxRows": 100},
    ).json()
    assert response["rowCount"] == 100 and response["truncated"] is True
    assert response["columns"] == ["i", "pad"]  # the query's order, although the engine's RETURN * sorts them
    ordered = client.post(
        "/cypher/run", json={"query": "MATCH (c:Country) RETURN c.name AS zeta, c.code AS alpha ORDER BY alpha LIMIT 2"}
    ).json()
    assert ordered["columns"] == ["zeta", "alpha"] and ordered["rows"][0][1] < ordered["rows"][1][1]
    for query in (
        "UNWIND range(1, 2000000000) AS x RETURN count(x)",
        "RETURN size(range(1, $n)) AS n",
    ):  # built whole before any cap: refused
        huge = client.post("/cypher/run", json={"query": query, "params": {"n": 10**10}})
        assert (
            huge.status_code == 400 and _code(huge) == "LIMIT_EXCEEDED" and "range()" in huge.json()["error"]["message"]
        )


def test_the_engine_caps_one_querys_memory(tmp_path):
    """CLUSTERKG_QUERY_MEMORY_MB reaches the embedded server; a query over it is LIMIT_EXCEEDED, not a grown server."""
    from clusterkg.graph import embedded_server
    from clusterkg.graph.falkordb_store import FalkorDBStore
    from clusterkg.settings import Settings

    server = embedded_server(Settings(data_dir=tmp_path / "small", query_memory_mb=16))
    info = server.ensure_running()
    store = FalkorDBStore(host=info.host, port=info.port, password=info.password, graph="g")
    try:
        with TestClient(create_app(store=store)) as client:
            memory = client.post(
                "/cypher/run", json={"query": "UNWIND range(1, 5000000) AS x WITH collect(x) AS l RETURN size(l) AS n"}
            )
            assert memory.status_code == 400 and _code(memory) == "LIMIT_EXCEEDED", memory.text
            assert client.post(
                "/cypher/run", json={"query": "UNWIND range(1, 1000) AS x WITH collect(x) AS l RETURN size(l) AS n"}
            ).json()["rows"] == [[1000]]
    finally:
        store.close()
        server.stop()


def test_one_analyst_query_at_a_time_per_worker(xs_graph):
    """While a runaway query holds the analyst slot, a second one waits for it, then says BUSY; GraphQL goes on."""
    with TestClient(create_app(store=xs_graph, api_settings=ApiSettings(analyst_timeout_ms=3_000))) as client:
        runaway = threading.Thread(
            target=client.post,
            args=("/cypher/run",),
            kwargs={"json": {"query": "MATCH (a), (b), (c) RETURN count(*)", "timeoutMs": 3000}},
        )
        runaway.start()
        time.sleep(0.5)
        second = client.post("/cypher/run", json={"query": "RETURN 1 AS x", "timeoutMs": 300})
        assert second.status_code == 429 and _code(second) == "BUSY" and second.headers["retry-after"]
        assert client.post("/graphql", json={"query": "{ ecosystems { id } }"}).json()["data"]["ecosystems"]
        runaway.join()
        assert client.post("/cypher/run", json={"query": "RETURN 1 AS x"}).status_code == 200


def test_roles_beyond_loopback(xs_graph):
    seeker = xs_graph.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id LIMIT 1").scalar()
    with TestClient(create_app(store=xs_graph, web_settings=PUBLIC)) as client:
        assert client.get("/cypher").status_code == 200  # the page itself: it asks for the token
        refused = client.post("/cypher/run", json={"query": "RETURN 1 AS x"})
        assert (
            refused.status_code == 401
            and _code(refused) == "UNAUTHORIZED"
            and "Bearer" in refused.headers["www-authenticate"]
        )
        assert client.get("/cypher/schema").status_code == 401
        wrong = client.post("/cypher/run", json={"query": "RETURN 1 AS x"}, headers={"authorization": "Bearer guess"})
        assert wrong.status_code == 401
        allowed = client.post(
            "/cypher/run", json={"query": "RETURN 1 AS x"}, headers={"authorization": f"Bearer {TOKEN}"}
        )
        assert allowed.status_code == 200
        public = client.post("/graphql", json={"query": PARTNERS % seeker}).json()
        assert "errors" not in public and public["data"]["partnerSearch"]
        job = client.post("/graphql", json={"query": JOB % seeker}).json()
        assert job["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
        job = client.post("/graphql", json={"query": JOB % seeker}, headers={"authorization": f"Bearer {TOKEN}"}).json()
        assert "errors" not in job, job
    with TestClient(create_app(store=xs_graph)) as loopback:  # on loopback everything is open, as before
        assert loopback.post("/cypher/run", json={"query": "RETURN 1 AS x"}).status_code == 200


def test_serving_beyond_loopback_needs_tokens_or_open():
    result = run_cli(
        "serve", "--host", "0.0.0.0", "--port", str(free_port()), env={"CLUSTERKG_GRAPH_URL": "redis://127.0.0.1:1"}
    )
    assert result.returncode == 1 and "CLUSTERKG_ANALYST_TOKENS" in result.stderr and "--open" in result.stderr
    assert "Traceback" not in result.stderr


def test_graphql_rate_limit_per_client(xs_graph):
    limited = WebSettings(allowed_hosts=("testserver",), graphql_rate_per_minute=60)
    with TestClient(create_app(store=xs_graph, web_settings=limited)) as client:
        answers = [client.post("/graphql", json={"query": "{ ecosystems { id } }"}) for _ in range(8)]
        refused = [a for a in answers if a.status_code == 429]
        assert answers[0].status_code == 200 and refused
        assert _code(refused[0]) == "RATE_LIMITED" and int(refused[0].headers["retry-after"]) >= 1
        assert client.get("/health").status_code == 200  # only GraphQL is limited


class _Page(BaseHTTPRequestHandler):
    """Serves one page that calls the API's /graphql from its own origin and shows what happened."""

    api = ""

    def do_GET(self):  # noqa: N802
        script = f"""fetch('{self.api}/graphql', {{method: 'POST', headers: {{'content-type': 'application/json'}},
            body: JSON.stringify({{query: '{{ ecosystems {{ id }} }}'}})}})
          .then(r => r.json()).then(b => {{ document.title = 'ok:' + b.data.ecosystems.length; }})
          .catch(e => {{ document.title = 'refused'; }});"""
        body = f"<!doctype html><html><head><title>waiting</title></head><body><script>{script}</script></body></html>".encode()
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_cors_lets_a_listed_front_end_call_graphql_in_a_real_browser(xs_graph, browser):
    allowed_port, other_port, api_port = free_port(), free_port(), free_port()
    settings = WebSettings(cors_origins=(f"http://127.0.0.1:{allowed_port}",))
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(store=xs_graph, web_settings=settings), host="127.0.0.1", port=api_port, log_level="warning"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    _Page.api = f"http://127.0.0.1:{api_port}"
    pages = [ThreadingHTTPServer(("127.0.0.1", port), _Page) for port in (allowed_port, other_port)]
    for page_server in pages:
        threading.Thread(target=page_server.serve_forever, daemon=True).start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        titles = {}
        for port in (allowed_port, other_port):
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_function("document.title !== 'waiting'", timeout=10_000)
            titles[port] = page.title()
            page.close()
        assert titles[allowed_port].startswith("ok:") and int(titles[allowed_port][3:]) == 14
        assert titles[other_port] == "refused"
    finally:
        server.should_exit = True
        for page_server in pages:
            page_server.shutdown()


def test_files_for_spreadsheets_run_no_formulas(xs_graph, server, tmp_path):
    """Hostile names in the graph: the consortium workbook, the schedule and every CSV carry them as text."""
    url = f"redis://:{server.password}@127.0.0.1:{server.port}?graph={xs_graph.graph_name}"
    hostile = ['=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)"]
    attendees = tmp_path / "attendees.csv"
    rows = ["attendee_id,name,organisation,country,offers,seeks"]
    for n in range(12):
        name = hostile[n % len(hostile)]
        offers, seeks = (
            ("Fuel cells;Hydrogen storage", "Electrolysers")
            if n % 2
            else ("Electrolysers", "Fuel cells;Hydrogen storage")
        )
        quoted = name.replace('"', '""')
        rows.append(f'a{n},"{quoted}","{quoted} Org {n}",{("DE", "FR", "IT")[n % 3]},{offers},{seeks}')
    attendees.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "event"
    result = run_cli(
        "match",
        "event",
        str(attendees),
        "--slots",
        "4",
        "--tables",
        "4",
        "--time-limit",
        "5",
        "--out",
        str(out),
        env={"CLUSTERKG_GRAPH_URL": url},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    workbook = openpyxl.load_workbook(out / "schedule.xlsx")
    formulas = [c.coordinate for sheet in workbook for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    texts = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    for name in ("meetings.csv", "pairs.csv"):
        with open(out / name, newline="", encoding="utf-8") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], name
    query = run_cli(
        "query",
        "RETURN '=1+2' AS a, '-3' AS b, 4 AS c",
        "--format",
        "csv",
        env={"CLUSTERKG_GRAPH_URL": url},
        check=True,
    )
    assert query.stdout.splitlines()[1] == "'=1+2,'-3,4"
