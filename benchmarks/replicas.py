"""Read throughput with a FalkorDB read replica against one engine, and stale reads, same run.

    .venv/bin/python benchmarks/replicas.py --scale s

Starts a primary embedded FalkorDB with the reference data and the SYNTHETIC
data of the scale, and a replica of it (`clusterkg db start --replica-of`,
as a user would on a second machine; here both share this machine). Then:
  throughput    uncached partnerSearch (clusters) over HTTP, `clusterkg serve` with 2 workers and 32
                clients, the Zipf workload of benchmarks/partner_search.py: first on the primary alone,
                then with CLUSTERKG_READ_REPLICAS naming the replica (reads there, writes on the primary)
  stale reads   a writer sets a counter on the primary and reads it back through the replicated store,
                N times; and a second store reads it with the first one's position (another worker
                given the client's X-Clusterkg-Position): a read older than the write is stale
The replica can only add throughput where there are cores for it: the
machine's count is printed, and on 2 cores the engines, the workers and the
load generator share them. The last line is `RESULT {json}`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_support import ScratchServer
from partner_search import load_test, start_api, zipf_workload

from clusterkg.graph.embedded import EmbeddedServer
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.graph.replicas import ReplicatedStore, offset_of, required_position


def stale_reads(primary: FalkorDBStore, replica: FalkorDBStore, rounds: int) -> dict[str, int]:
    writer, other = ReplicatedStore(primary, [replica]), ReplicatedStore(primary, [replica])
    stale = 0
    for n in range(rounds):
        writer.write("MERGE (c:BenchCounter {id: 'stale'}) SET c.n = $n", {"n": n})
        stale += writer.read("MATCH (c:BenchCounter {id: 'stale'}) RETURN c.n AS n").scalar() != n
        token = required_position.set(writer.position())
        try:
            stale += other.read("MATCH (c:BenchCounter {id: 'stale'}) RETURN c.n AS n").scalar() != n
        finally:
            required_position.reset(token)
    primary.write("MATCH (c:BenchCounter) DELETE c")
    return {
        "reads": 2 * rounds,
        "stale": stale,
        "on_replica": writer.reads_on_replicas + other.reads_on_replicas,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m"))
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--seekers", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=500, help="write-then-read rounds of the stale-read check")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="clusterkg-replicas-"))
    primary_server, replica_server = EmbeddedServer(work / "primary"), EmbeddedServer(work / "replica")
    processes: list[subprocess.Popen] = []
    try:
        info = primary_server.ensure_running()
        scratch = ScratchServer(work, info)
        started = time.perf_counter()
        primary = scratch.demo("clusterkg", args.scale, query_timeout_ms=120_000)
        print(
            f"scale {args.scale} (SYNTHETIC) on the primary in {time.perf_counter() - started:.0f} s; cores: {os.cpu_count()}"
        )
        url = f"redis://:{info.password}@127.0.0.1:{info.port}"
        replica_server.follow(url)
        started = time.perf_counter()
        replica_info = replica_server.ensure_running()
        replica = FalkorDBStore(
            host=replica_info.host, port=replica_info.port, password=replica_info.password, graph="clusterkg"
        )
        while offset_of(replica) < max(offset_of(primary), 0) or offset_of(replica) < 0:
            time.sleep(0.05)
        print(f"replica in sync after {time.perf_counter() - started:.1f} s")

        seekers = [r["id"] for r in primary.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id").rows]
        seekers = random.Random(7).sample(seekers, min(args.seekers, len(seekers)))
        workload = zipf_workload(seekers, args.requests, 1.1)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
        env |= {"CLUSTERKG_GRAPH_URL": f"{url}?graph=clusterkg", "CLUSTERKG_RESPONSE_CACHE_MB": "0"}
        env["CLUSTERKG_DATA_DIR"] = str(work / "serve-data")
        result: dict[str, object] = {"scale": args.scale, "cores": os.cpu_count(), "requests": args.requests}
        for name, extra in (
            ("one engine", {}),
            (
                "with a replica",
                {"CLUSTERKG_READ_REPLICAS": f"redis://:{replica_info.password}@127.0.0.1:{replica_info.port}"},
            ),
        ):
            api, base = start_api({**env, **extra}, workers=2)
            processes.append(api)
            latencies, elapsed, errors, _ = asyncio.run(load_test(base, workload, args.concurrency, "cluster"))
            api.terminate()
            api.wait(timeout=10)
            rps = args.requests / elapsed
            latencies.sort()
            print(f"  {name:<15} {rps:6.1f} requests/s, p50 {latencies[len(latencies) // 2]:.1f} ms, {errors} errors")
            result[f"rps_{'replica' if extra else 'single'}"] = round(rps, 1)
        result["replica_over_single"] = round(float(result["rps_replica"]) / float(result["rps_single"]), 3)  # type: ignore[arg-type]
        print(f"  with a replica over one engine: {result['replica_over_single']:.2f}x on {os.cpu_count()} cores")

        check = stale_reads(primary, replica, args.rounds)
        print(
            f"stale reads: {check['stale']} of {check['reads']} (a write then reads through two stores, "
            f"{check['on_replica']} answered by the replica)"
        )
        result |= {f"stale_check_{k}": v for k, v in check.items()}
        print("RESULT " + json.dumps(result))
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        replica_server.stop(compact=False)
        primary_server.stop(compact=False)


if __name__ == "__main__":
    sys.exit(main())
