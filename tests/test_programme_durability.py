"""kill -9 of the engine while hosts and visitors accept ClusterXchange matches: after the restart no acknowledged
acceptance is lost, and a match is ACCEPTED exactly when both sides' acceptances are there and its Exchange exists.

Each acceptance is one guarded query (the stamp, and on the second one the status, the application and the
Exchange), so a crash between "accepted by the host" and "accepted by the visitor" keeps the first and can
never leave an exchange without its match or the reverse. The embedded FalkorDB runs with appendfsync always.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from clusterkg.accounts.principal import Account, Principal
from clusterkg.graph.embedded import EmbeddedServer
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.loaders.pipeline import load_directory
from clusterkg.loaders.reference import build_reference, load_reference
from clusterkg.loaders.synthetic import generate
from clusterkg.programme import applications, matching

pytestmark = pytest.mark.slow
CALL = "COS-CLUSTER-2020-3-03"
OFFICER = Principal(Account("acc-off", "off@eismea.example", None, frozenset({"moderator"})))

ACCEPTER = textwrap.dedent(
    """
    import sys
    from clusterkg.accounts.principal import Account, Principal
    from clusterkg.graph.falkordb_store import FalkorDBStore
    from clusterkg.programme import matching

    port, password = int(sys.argv[1]), sys.argv[2]
    store = FalkorDBStore(host="127.0.0.1", port=port, password=password, graph="clusterkg")
    officer = Principal(Account("acc-off", "off@eismea.example", None, frozenset({"moderator"})))
    for match_id in sys.argv[3:]:
        matching.accept_match(store, officer, match_id, "HOST")
        print("HOST", match_id, flush=True)
        matching.accept_match(store, officer, match_id, "VISITOR")
        print("VISITOR", match_id, flush=True)
    """
)


def _store(info) -> FalkorDBStore:
    return FalkorDBStore(host=info.host, port=info.port, password=info.password, graph="clusterkg")


def test_a_killed_engine_keeps_every_acknowledged_acceptance_and_no_half_exchange(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    server = EmbeddedServer(data_dir, appendfsync="always")
    info = server.ensure_running()
    store = _store(info)
    load_reference(store, build_reference())
    generate("xs", 42, tmp_path / "xs")
    load_directory(store, tmp_path / "xs")
    partnership = store.read(
        "MATCH (p:Partnership)-[:FUNDED_BY]->(:Call {id: $c}) RETURN p.id AS p ORDER BY p LIMIT 1", {"c": CALL}
    ).scalar()
    partners = {r["id"] for r in store.read("MATCH (c:Cluster)-[:PARTNER_IN]->() RETURN c.id AS id").rows}
    clusters = store.read("MATCH (c:Cluster) RETURN c.id AS id, c.country AS country ORDER BY id").rows
    sender = next(c for c in clusters if c["id"] not in partners)
    host = next(c for c in clusters if c["country"] != sender["country"])
    start = dt.date.today() + dt.timedelta(days=20)
    for n in range(30):
        applied = applications.apply(
            store,
            OFFICER,
            applications.ApplicationInput(
                partnership,
                sender["id"],
                ["c-cell-chemistry"],
                start,
                start + dt.timedelta(days=60),
                4,
                None,
                f"V{n}",
                "sme",
            ),
        )
        applications.validate(store, OFFICER, applied["id"], True)
    applications.offer_hosting(
        store, OFFICER, CALL, host["id"], 30, start, start + dt.timedelta(days=90), ["c-cell-chemistry"]
    )
    assert matching.run_matching(store, OFFICER, CALL)["proposed"] == 30
    match_ids = sorted(m["id"] for m in applications.items(store, "ExchangeMatch", call_id=CALL))
    store.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
    accepter = subprocess.Popen(
        [sys.executable, "-c", ACCEPTER, str(info.port), info.password, *match_ids],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[tuple[str, str]] = []
    assert accepter.stdout is not None
    deadline = time.monotonic() + 60
    while len(acknowledged) < 25 and time.monotonic() < deadline:
        line = accepter.stdout.readline()
        assert line, f"the accepter stopped: {accepter.stderr.read() if accepter.stderr else ''}"
        side, match_id = line.split()
        acknowledged.append((side, match_id))
    os.kill(info.pid, signal.SIGKILL)  # between some host's acceptance and its visitor's, or inside one
    accepter.wait(timeout=30)

    restarted = EmbeddedServer(data_dir, appendfsync="always").ensure_running()
    store = _store(restarted)
    try:
        rows = store.read(
            "MATCH (m:ExchangeMatch {call_id: $c}) OPTIONAL MATCH (x:Exchange)-[:FROM_MATCH]->(m) "
            "RETURN m.id AS id, m.status AS status, m.host_accepted_at AS host, m.visitor_accepted_at AS visitor, "
            "m.exchange_id AS exchange_id, x.id AS exchange, x.status AS exchange_status",
            {"c": CALL},
        ).rows
    finally:
        store.close()
        EmbeddedServer(data_dir).stop()
    found = {r["id"]: r for r in rows}
    for side, match_id in acknowledged:
        assert found[match_id]["host" if side == "HOST" else "visitor"], f"{side} acceptance of {match_id} was lost"
    for row in rows:
        both = bool(row["host"] and row["visitor"])
        assert (row["status"] == "ACCEPTED") == both, row
        assert (row["exchange"] is not None) == both == (row["exchange_id"] is not None), row
        if both:
            assert row["exchange_status"] == "planned"
        assert not (row["visitor"] and not row["host"]), "the accepter always stamps the host first"
    assert sum(1 for r in rows if r["status"] == "ACCEPTED") >= sum(1 for s, _ in acknowledged if s == "VISITOR")
