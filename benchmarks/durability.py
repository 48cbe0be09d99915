"""Durability: restart time after a load, and kill -9 at random moments of a load.

    .venv/bin/python benchmarks/durability.py --scale s --trials 5
    .venv/bin/python benchmarks/durability.py --scale m --trials 3

Everything goes through the real command line (`clusterkg load dir`, `stats`,
`db stop`, `db start`) on data dirs of its own under a temporary folder:

1. a clean load of the reference data and the SYNTHETIC files of the scale,
   its time and content hash;
2. `db stop` then `db start`: the restart time of the compacted graph;
3. N trials: the server is killed (kill -9) at a random moment of `load dir`;
   the next command (`clusterkg stats`) must restart it, name the incomplete
   load, and re-running the load must give the clean content hash;
4. N trials of the same with the loader killed instead of the server.

A kill during validation (every row is checked before the first write) or
after the commit leaves nothing to report; a trial counts as reported when an
incomplete load is listed exactly when the load was killed while writing.

Prints one line per trial, a summary, and `RESULT {json}`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clusterkg.graph.embedded import EmbeddedServer
from clusterkg.graph.falkordb_store import FalkorDBStore
from clusterkg.loaders.synthetic import generate
from clusterkg.schema.content import content_hash


def cli(data_dir: Path, *args: str, check: bool = True) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
    env.update(CLUSTERKG_DATA_DIR=str(data_dir), COLUMNS="200")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "clusterkg.cli", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if check and result.returncode != 0:
        raise SystemExit(f"clusterkg {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result, elapsed


def background(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
    env.update(CLUSTERKG_DATA_DIR=str(data_dir), COLUMNS="200")
    return subprocess.Popen(
        [sys.executable, "-m", "clusterkg.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def graph_hash(data_dir: Path) -> str:
    info = EmbeddedServer(data_dir).ensure_running()
    store = FalkorDBStore(host=info.host, port=info.port, password=info.password, graph="clusterkg")
    try:
        return content_hash(store).hexdigest
    finally:
        store.close()


def load_status(data_dir: Path) -> str | None:
    info = EmbeddedServer(data_dir).ensure_running()
    store = FalkorDBStore(host=info.host, port=info.port, password=info.password, graph="clusterkg")
    try:
        return store.read("MATCH (l:Load {kind: 'dir'}) RETURN l.status AS s").scalar()
    finally:
        store.close()


def server_pid(data_dir: Path) -> int:
    return json.loads((data_dir / "falkordb" / "server.json").read_text())["pid"]


def content_counts(stats_json: str) -> dict[str, int]:
    return {r["label"]: r["count"] for r in json.loads(stats_json)["nodes"] if r["label"] != "Load"}


def trial(
    template: Path, work: Path, files: Path, victim: str, after_s: float, expected: str, template_counts: dict[str, int]
) -> dict:
    data_dir = work / f"{victim}-{after_s:.2f}"
    shutil.copytree(template, data_dir)
    loader = background(data_dir, "load", "dir", str(files))
    time.sleep(after_s)
    finished_first = loader.poll() is not None
    if not finished_first:
        if victim == "server":
            os.kill(server_pid(data_dir), signal.SIGKILL)
        else:
            loader.send_signal(signal.SIGKILL)
    loader.wait()
    stats, restart_s = cli(data_dir, "stats", "--format", "json", check=False)
    restarted = stats.returncode == 0
    incomplete = json.loads(stats.stdout)["incomplete_loads"] if restarted else []
    # killed while validating (the first write comes after every row is checked), or after the commit: nothing to report
    untouched = restarted and content_counts(stats.stdout) == template_counts
    committed = restarted and load_status(data_dir) == "committed"
    rerun, rerun_s = cli(data_dir, "load", "dir", str(files), check=False)
    equal = rerun.returncode == 0 and graph_hash(data_dir) == expected
    EmbeddedServer(data_dir).stop()
    shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "victim": victim,
        "killed_after_s": round(after_s, 2),
        "load_had_finished": finished_first,
        "restarted": restarted,
        "restart_s": round(restart_s, 2),
        "before_first_write": untouched,
        "after_commit": committed,
        "incomplete_reported": len(incomplete) == 1 if not (untouched or committed) else not incomplete,
        "rerun_s": round(rerun_s, 1),
        "hash_equal_after_rerun": equal,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m"))
    parser.add_argument("--trials", type=int, default=5, help="kill -9 trials per victim (server, loader)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the random kill moments")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="clusterkg-durability-"))
    try:
        files = generate(args.scale, 42, work / "files").directory
        template = work / "template"
        cli(template, "load", "reference")
        template_counts = content_counts(cli(template, "stats", "--format", "json")[0].stdout)
        EmbeddedServer(template).stop()

        clean = work / "clean"
        shutil.copytree(template, clean)
        _, load_s = cli(clean, "load", "dir", str(files))
        expected = graph_hash(clean)
        _, stop_s = cli(clean, "db", "stop")
        aof_bytes = sum(p.stat().st_size for p in (clean / "falkordb" / "appendonlydir").iterdir())
        _, start_s = cli(clean, "db", "start")
        print(
            f"scale {args.scale}: clean load {load_s:.1f} s; db stop {stop_s:.2f} s; db start {start_s:.2f} s ({aof_bytes / 1e6:.1f} MB on disk)"
        )
        restart_ok = graph_hash(clean) == expected
        EmbeddedServer(clean).stop()

        results = []
        for victim in ("server", "loader"):
            for _ in range(args.trials):
                outcome = trial(
                    template, work, files, victim, rng.uniform(1.0, max(1.5, load_s * 0.95)), expected, template_counts
                )
                results.append(outcome)
                print(json.dumps(outcome))
        killed = [r for r in results if not r["load_had_finished"]]
        summary = {
            "scale": args.scale,
            "load_s": round(load_s, 1),
            "restart_s": round(start_s, 2),
            "restart_hash_equal": restart_ok,
            "aof_mb": round(aof_bytes / 1e6, 1),
            "trials": len(results),
            "killed_mid_load": len(killed),
            "killed_while_writing": sum(not r["before_first_write"] and not r["after_commit"] for r in killed),
            "restarted": f"{sum(r['restarted'] for r in results)}/{len(results)}",
            "restart_after_kill_max_s": max((r["restart_s"] for r in killed if r["victim"] == "server"), default=None),
            "incomplete_reported": f"{sum(r['incomplete_reported'] for r in results)}/{len(results)}",
            "hash_equal_after_rerun": f"{sum(r['hash_equal_after_rerun'] for r in results)}/{len(results)}",
        }
        print(
            f"summary: {summary['restarted']} restarted (slowest after a kill {summary['restart_after_kill_max_s']} s), "
            f"{summary['incomplete_reported']} reported an incomplete load exactly when one was ({summary['killed_while_writing']} killed while writing), {summary['hash_equal_after_rerun']} equal to a clean load after the re-run"
        )
        print("RESULT " + json.dumps(summary))
    finally:
        for data_dir in work.iterdir():
            if (data_dir / "falkordb").exists():
                EmbeddedServer(data_dir).stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
