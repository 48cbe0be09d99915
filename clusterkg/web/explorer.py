"""The explorer: pages for people who do not write GraphQL or Cypher.

    GET /                 overview: the map by NUTS-2 region, counters, charts, exchange flows
    GET /directory        clusters with facets (filters in the URL), CSV/XLSX
    GET /cluster/{id}     a cluster's profile and "Find complementary partners"
    GET /region/{nuts}    a region's category and how it was derived, GDP, clusters, complementary regions
    GET /postings         the postings board (offers and requests); /postings/new posts one; /inbox its interests
    GET /posting/{id}     a posting: express interest, its interests (owners), clusters that could answer it
    GET /call/{id}        a call's progress against its targets; /event/{id} an event's meetings from request to rating
    GET /jobs             the organisers' jobs (B2B meetings, ClusterXchange, consortia); /jobs?id=… one job
    GET /about            sources, attribution, the ways in
    GET /signin           sign in with a token (or the deployment's identity provider); /review the moderators' queue
    GET /graphql          GraphiQL, served from here (browsers; programs POST to /graphql)
    GET /geo/…            Eurostat's NUTS 2024 boundaries the maps draw (clusterkg/data/geo)

Every page is the same small HTML shell and one ES module that asks /graphql for
everything it shows: the pages prove the public API is enough for a front-end.
No build step: d3, Observable Plot, React and GraphiQL are vendored built files.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from clusterkg.loaders.geometry import GEO_DIR

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations"

SHELL = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · clusterkg</title>
<link rel="stylesheet" href="/static/explorer/explorer.css">
<link rel="icon" href="data:,">
<script src="/static/vendor/d3/d3.min.js"></script>
<script src="/static/vendor/plot/plot.umd.min.js"></script>
<script type="module" src="/static/explorer/{module}.js"></script>
</head>
<body>
<header id="top"><a class="brand" href="/">clusterkg</a><span class="tagline">European cluster ecosystem</span>
<nav aria-label="Main"><ul>{navigation}</ul></nav></header>
<p id="synthetic" class="synthetic" hidden></p>
<main id="main">
<h1 id="title">{title}</h1>
<div id="page"><p class="busy">Loading…</p><noscript><p class="error">These pages need JavaScript. The same data is in the GraphQL API at /graphql.</p></noscript></div>
</main>
</body>
</html>
"""

GRAPHIQL = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · clusterkg</title>
<link rel="stylesheet" href="/static/vendor/graphiql/graphiql.min.css">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/explorer/graphiql.css">
<script src="/static/vendor/react/react.production.min.js"></script>
<script src="/static/vendor/react/react-dom.production.min.js"></script>
<script src="/static/vendor/graphiql/graphiql.min.js"></script>
</head>
<body>
<main id="graphiql" aria-label="GraphiQL"><p>Loading GraphiQL…</p></main>
<script type="application/json" id="operations">{operations}</script>
<script src="/static/explorer/graphiql.js"></script>
</body>
</html>
"""

NAVIGATION = [
    ("/", "Overview"),
    ("/directory", "Directory"),
    ("/postings", "Postings"),
    ("/jobs", "Organisers' jobs"),
    ("/cypher", "Cypher"),
    ("/graphql", "GraphQL"),
    ("/about", "About"),
]
ACCOUNT_LINK = '<li class="account"><a id="account" href="/signin">Sign in</a></li>'  # common.js names the account
SECTION = {
    "overview": "/",
    "directory": "/directory",
    "cluster": "/directory",
    "organisation": "/directory",
    "region": "/",
    "jobs": "/jobs",
    "about": "/about",
    "signin": "/signin",
    "review": "/review",
    "postings": "/postings",
    "posting": "/postings",
    "post": "/postings",
    "inbox": "/postings",
    "call": "/",
    "event": "/",
}

PAGES = {
    "overview": "The European cluster ecosystem",
    "directory": "Directory of clusters",
    "cluster": "Cluster",
    "organisation": "Organisation",
    "region": "Region",
    "jobs": "Organisers' jobs",
    "about": "About clusterkg",
    "signin": "Sign in",
    "review": "Changes waiting for review",
    "postings": "Partner postings",
    "posting": "Posting",
    "post": "Post a request or an offer",
    "inbox": "Interests in your postings",
    "call": "Call",
    "event": "Event",
}


def page(module: str) -> HTMLResponse:
    links = (
        "".join(
            f'<li><a href="{href}"{" aria-current=page" if SECTION[module] == href else ""}>{html.escape(label)}</a></li>'
            for href, label in NAVIGATION
        )
        + ACCOUNT_LINK
    )
    return HTMLResponse(SHELL.format(title=html.escape(PAGES[module]), module=module, navigation=links))


@lru_cache(maxsize=1)
def example_operations() -> str:
    """The example operations as GraphiQL tabs (JSON safe inside a <script> element)."""
    tabs = []
    for path in sorted(OPERATIONS.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        found = re.search(r"^# variables: (.*)$", text, re.MULTILINE)
        tabs.append(
            {
                "name": path.stem,
                "query": text,
                "variables": json.dumps(json.loads(found.group(1)), indent=2) if found else None,
            }
        )
    return json.dumps(tabs).replace("<", "\\u003c")


def graphiql_page() -> HTMLResponse:
    return HTMLResponse(GRAPHIQL.format(operations=example_operations()))


def wants_html(request: Request) -> bool:
    """A browser opening /graphql (GraphiQL), not a program asking the API."""
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def explorer_routes() -> list[Route | Mount]:
    def route(path: str, module: str) -> Route:
        async def endpoint(request: Request) -> HTMLResponse:
            return page(module)

        return Route(path, endpoint, methods=["GET", "HEAD"])

    return [
        route("/", "overview"),
        route("/directory", "directory"),
        route("/cluster/{id:path}", "cluster"),
        route("/organisation/{id:path}", "organisation"),
        route("/region/{nuts}", "region"),
        route("/postings", "postings"),
        route("/postings/new", "post"),
        route("/posting/{id:path}", "posting"),
        route("/inbox", "inbox"),
        route("/call/{id:path}", "call"),
        route("/event/{id:path}", "event"),
        route("/jobs", "jobs"),
        route("/about", "about"),
        route("/signin", "signin"),
        route("/review", "review"),
        Mount("/geo", StaticFiles(directory=GEO_DIR), name="geo"),
    ]
