"""Peak memory of `clusterkg export` against the graph's size: a streaming export stays flat.

    .venv/bin/python benchmarks/export_memory.py --scale s
    .venv/bin/python benchmarks/export_memory.py --scale m --data-dir /tmp/bench-m/data   # m kept there before

Runs the real command line in a process of its own against a graph of the
scale (reference data + SYNTHETIC data, built in a scratch server or reused
from --data-dir) and reports its rows, seconds and peak resident memory
(the child's ru_maxrss). The members file streams a page of organisations at
a time (clusterkg.loaders.export.MEMBER_PAGE); the other files are of
cluster size. Compare the peaks of two scales: flat means the members no
longer sit in memory. The last line is `RESULT {json}`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_support import scratch_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m", "l"))
    parser.add_argument("--data-dir", type=Path, help="the data dir of a graph of this scale kept by another benchmark")
    parser.add_argument(
        "--graph",
        default="clusterkg",
        help="the graph's name on the server (benchmarks/load_memory.py loads `load_memory`)",
    )
    args = parser.parse_args()
    with scratch_server(args.data_dir) as scratch:
        store = scratch.demo(args.graph, args.scale, query_timeout_ms=600_000)
        members = store.read("MATCH (:Organisation)-[m:MEMBER_OF]->() RETURN count(m) AS n").scalar()
        out = Path(tempfile.mkdtemp(prefix="clusterkg-export-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
        env["CLUSTERKG_GRAPH_URL"] = (
            f"redis://:{scratch.info.password}@127.0.0.1:{scratch.info.port}?graph={args.graph}"
        )
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "clusterkg.cli", "export", str(out)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"clusterkg export failed: {process.stderr.read().decode() if process.stderr else ''}")
        with open(out / "members.csv", encoding="utf-8") as handle:
            written = sum(1 for _ in handle) - 1
        peak_mb = usage.ru_maxrss / 1024
        print(f"scale {args.scale} (SYNTHETIC): {members:,} memberships in the graph, {written:,} rows in members.csv")
        print(f"clusterkg export: {seconds:.1f} s, peak resident memory {peak_mb:.0f} MB")
        result = {"scale": args.scale, "memberships": members, "rows": written, "seconds": round(seconds, 1)}
        print("RESULT " + json.dumps({**result, "peak_rss_mb": round(peak_mb)}))


if __name__ == "__main__":
    main()
