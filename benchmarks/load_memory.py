"""Peak memory and time of one `clusterkg load dir` of a whole scale, then of a restart: a streaming load stays flat.

    .venv/bin/python benchmarks/load_memory.py --scale s
    .venv/bin/python benchmarks/load_memory.py --scale s --chunk-rows 100000000   # the members in one chunk, to compare
    .venv/bin/python benchmarks/load_memory.py --scale l --files /tmp/lscale/files --data-dir /tmp/lscale/data

Generates the SYNTHETIC files of the scale (or takes `--files`, as `clusterkg
generate` wrote them), loads the reference data into a new graph, and runs the
real command line, `clusterkg load dir`, in a process of its own: its seconds
and peak resident memory (the child's ru_maxrss). Members stream: validated in
one pass that keeps only keys, written `CLUSTERKG_LOAD_CHUNK_ROWS` rows at a
time (clusterkg.loaders.streaming). Then the server is stopped and started
again (the restart replays what the load wrote). The last line is `RESULT {json}`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench_support import scratch_server

from clusterkg.graph import embedded_server
from clusterkg.loaders.reference import load_reference
from clusterkg.loaders.synthetic import generate
from clusterkg.settings import Settings

GRAPH = "load_memory"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m", "l"))
    parser.add_argument("--files", type=Path, help="the files of the scale, generated before (default: generate them)")
    parser.add_argument("--data-dir", type=Path, help="a data dir for the server (default: a temporary one)")
    parser.add_argument("--chunk-rows", type=int, help="CLUSTERKG_LOAD_CHUNK_ROWS for the load (default: the loader's)")
    args = parser.parse_args()
    with scratch_server(args.data_dir) as scratch:
        files = args.files or generate(args.scale, 42, scratch.work / args.scale).directory
        store = scratch.store(GRAPH, query_timeout_ms=600_000)
        if store.connection.exists(GRAPH):
            store.connection.execute_command("GRAPH.DELETE", GRAPH)
        load_reference(store)
        rows = {path.name: sum(1 for _ in path.open(encoding="utf-8")) - 1 for path in sorted(files.glob("*.csv"))}
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
        env["CLUSTERKG_GRAPH_URL"] = f"redis://:{scratch.info.password}@127.0.0.1:{scratch.info.port}?graph={GRAPH}"
        if args.chunk_rows:
            env["CLUSTERKG_LOAD_CHUNK_ROWS"] = str(args.chunk_rows)
        log = scratch.work / "load_memory.log"  # the progress bars, in a file: a pipe nobody reads would fill
        started = time.perf_counter()
        with log.open("w") as errors:
            process = subprocess.Popen(
                [sys.executable, "-m", "clusterkg.cli", "load", "dir", str(files)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"clusterkg load dir failed (see {log}): {log.read_text()[-3000:]}")
        organisations = store.read("MATCH (o:Organisation) RETURN count(o) AS n").scalar()
        used_mb = int(store.connection.info("memory")["used_memory"]) / 2**20
        store.close()
        server = embedded_server(Settings.from_env(data_dir=args.data_dir or scratch.work / "data"))
        begun = time.perf_counter()
        server.stop()
        stopped = time.perf_counter() - begun
        begun = time.perf_counter()
        server.ensure_running()
        restarted = time.perf_counter() - begun
        peak_mb = usage.ru_maxrss / 1024
        print(
            f"scale {args.scale} (SYNTHETIC): {rows.get('members.csv', 0):,} member rows, {organisations:,} organisations"
        )
        print(
            f"clusterkg load dir: {seconds:.1f} s, peak resident memory {peak_mb:.0f} MB (chunks: {args.chunk_rows or 'default'})"
        )
        print(f"server: {used_mb:.0f} MB used; db stop {stopped:.1f} s, db start {restarted:.1f} s")
        result = {
            "scale": args.scale,
            "member_rows": rows.get("members.csv", 0),
            "organisations": organisations,
            "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak_mb),
            "chunk_rows": args.chunk_rows,
            "server_used_mb": round(used_mb),
            "stop_s": round(stopped, 1),
            "start_s": round(restarted, 1),
        }
        print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
