"""A burst of edits from two editors at once on one cluster, over HTTP against `clusterkg serve`.

    python benchmarks/edits.py --scale s --changes 10000

Two threads, each an editor with its own token, each publishing `changes / 2`
edits of the same cluster: read the revision, send updateCluster with it, and
on CONFLICT read again and retry (what a front-end does). At the end it checks
what the test suite checks at xs, at this scale: every published change has
its own revision, none is skipped, the cluster holds the last change whole,
and the history has an entry for each. It prints the throughput, the
conflicts, the latency of a publishing request (p50, p95) and `RESULT {json}`.
The profile is brought within the publication rules first (a cluster
programme waives them), so that every edit publishes at once.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_support import scratch_server  # noqa: E402
from clusterkg.accounts.store import AccountStore  # noqa: E402

CLUSTER = "syn-c000000"
UPDATE = """mutation($id: ID!, $changes: ClusterChanges!, $revision: Int!) {
  updateCluster(id: $id, changes: $changes, revision: $revision) { status revision } }"""
REVISION = "query($id: ID!) { cluster(id: $id) { revision } }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="s", help="synthetic scale of the graph (xs, s, m)")
    parser.add_argument(
        "--changes", type=int, default=10_000, help="changes to publish in all (split between two editors)"
    )
    args = parser.parse_args()
    with scratch_server() as scratch:
        store = scratch.demo("bench", args.scale)
        data_dir = scratch.work / "serve-data"
        accounts = AccountStore(data_dir)
        tokens = [accounts.add(f"editor{n}@bench.example", ["editor"], [CLUSTER])[1].text for n in (1, 2)]
        moderator = accounts.add("moderator@bench.example", ["moderator"])[1].text
        with scratch.served("bench") as base, httpx.Client(base_url=base, timeout=60) as client:

            def call(query: str, variables: dict, token: str | None = None) -> dict:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers).json()

            revision = call(REVISION, {"id": CLUSTER})["data"]["cluster"]["revision"]
            waived = call(
                UPDATE,
                {"id": CLUSTER, "changes": {"clusterProgramme": "Benchmark programme"}, "revision": revision},
                moderator,
            )
            assert waived["data"]["updateCluster"]["status"] == "PUBLISHED", waived
            published: list[tuple[int, str]] = []
            latencies: list[float] = []
            conflicts = [0]
            lock = threading.Lock()
            per_editor = args.changes // 2

            def editor(name: str, token: str) -> None:
                with httpx.Client(base_url=base, timeout=60) as own:
                    for n in range(per_editor):
                        text = f"{name}-{n}"
                        while True:
                            current = own.post(
                                "/graphql",
                                json={"query": REVISION, "variables": {"id": CLUSTER}},
                                headers={"Authorization": f"Bearer {token}"},
                            ).json()
                            started = time.perf_counter()
                            answer = own.post(
                                "/graphql",
                                json={
                                    "query": UPDATE,
                                    "variables": {
                                        "id": CLUSTER,
                                        "changes": {"acronym": text[:40], "contactName": text},
                                        "revision": current["data"]["cluster"]["revision"],
                                    },
                                },
                                headers={"Authorization": f"Bearer {token}"},
                            ).json()
                            elapsed = time.perf_counter() - started
                            if answer.get("errors"):
                                assert answer["errors"][0]["extensions"]["code"] == "CONFLICT", answer
                                with lock:
                                    conflicts[0] += 1
                                continue
                            with lock:
                                published.append((answer["data"]["updateCluster"]["revision"], text))
                                latencies.append(elapsed)
                            break

            started = time.perf_counter()
            threads = [threading.Thread(target=editor, args=(f"e{n}", t)) for n, t in enumerate(tokens)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
        revisions = sorted(r for r, _ in published)
        node = store.read(
            "MATCH (c:Cluster {id: $id}) RETURN c.revision AS revision, c.acronym AS acronym, c.contact_name AS contact",
            {"id": CLUSTER},
        ).rows[0]
        history = store.read(
            "MATCH (ch:Change)-[:CHANGES]->(:Cluster {id: $id}) WHERE ch.status = 'PUBLISHED' RETURN count(ch) AS n",
            {"id": CLUSTER},
        ).scalar()
        last = max(published)[1]
        checks = {
            "unique_revisions": len(set(revisions)) == len(revisions) == per_editor * 2,
            "no_revision_skipped": revisions == list(range(revisions[0], revisions[0] + len(revisions))),
            "last_change_whole": (node["acronym"], node["contact"], node["revision"])
            == (last[:40], last, revisions[-1]),
            "history_complete": history == node["revision"],
        }
        ordered = sorted(latencies)
        summary = {
            "scale": args.scale,
            "changes": len(published),
            "editors": 2,
            "seconds": round(seconds, 2),
            "changes_per_s": round(len(published) / seconds, 1),
            "conflicts": conflicts[0],
            "publish_p50_ms": round(statistics.median(ordered) * 1000, 1),
            "publish_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
            **checks,
        }
        print(
            f"{summary['changes']} changes from 2 editors on one cluster at {args.scale}: {summary['seconds']} s, "
            f"{summary['changes_per_s']} changes/s, {summary['conflicts']} conflicts retried, publish p50 "
            f"{summary['publish_p50_ms']} ms, p95 {summary['publish_p95_ms']} ms"
        )
        print("checks: " + ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in checks.items()))
        print("RESULT " + json.dumps(summary))
        if not all(checks.values()):
            sys.exit(1)


if __name__ == "__main__":
    main()
