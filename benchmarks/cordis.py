"""CORDIS loads and partner search with the collaboration terms, on a SYNTHETIC download of CORDIS's layout.

    python benchmarks/cordis.py --scale s --participations 200000

1. The SYNTHETIC graph of `--scale` (reference data + clusters, members, ...).
2. A SYNTHETIC CORDIS download (clusterkg.loaders.cordis.synthetic) whose
   participants are that graph's organisations and clusters (matched by name
   in their country) plus `--new` organisations it does not know; written
   twice, at half and at full size.
3. `clusterkg load cordis` of each, in a process of its own (as a user runs
   it): rows/s and that process's peak RSS, so the two sizes show whether
   memory grows with the file; then the full one again (a re-run: nothing
   should change, and it says how long checking that takes).
4. Partner search at this scale for `--seekers` clusters, with the
   collaboration weight at 0 (the default: the extra work is one hop from the
   seeker), at +1.0 (the two-hop "one partner apart" search runs) and the
   in-memory reference; p50/p95 and how many results changed rank.

Prints figures with their scale and `RESULT {json}`. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_support import scratch_server  # noqa: E402
from clusterkg.loaders.cordis.synthetic import generate_download  # noqa: E402
from clusterkg.scoring.complementarity import Weights, partner_search  # noqa: E402
from clusterkg.scoring.reference import export_incidence, reference_search  # noqa: E402


def load(scratch, graph: str, folder: Path) -> tuple[float, float, str]:
    """`clusterkg load cordis FOLDER` in its own process: (seconds, peak RSS in MB, its last lines)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERKG_")}
    env["CLUSTERKG_GRAPH_URL"] = f"redis://:{scratch.info.password}@127.0.0.1:{scratch.info.port}?graph={graph}"
    env["CLUSTERKG_DATA_DIR"] = str(scratch.work / "cli-data")
    env["COLUMNS"] = "160"
    output = scratch.work / "load-cordis.out"
    started = time.perf_counter()
    with output.open("w") as sink:
        child = subprocess.Popen(
            [sys.executable, "-m", "clusterkg.cli", "load", "cordis", str(folder)], env=env, stdout=sink, stderr=sink
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource use (ru_maxrss in KiB)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    text = output.read_text()
    if child.returncode != 0:
        raise SystemExit(f"load cordis failed:\n{text}")
    return elapsed, usage.ru_maxrss / 1024, "\n".join(text.strip().splitlines()[-4:])


def timed_searches(store, seekers: list[str], weights: Weights) -> tuple[list[float], dict[str, list[str]]]:
    samples, pages = [], {}
    for seeker in seekers:
        started = time.perf_counter()
        found = partner_search(store, seeker, weights=weights, first=20, explain=False)
        samples.append((time.perf_counter() - started) * 1000)
        pages[seeker] = [m.id for m in found]
    return samples, pages


def p(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="s", help="synthetic scale of the graph (xs, s, m)")
    parser.add_argument("--participations", type=int, default=200_000, help="rows of the organisation file")
    parser.add_argument("--new", type=int, default=30_000, help="participants the graph does not know")
    parser.add_argument("--seekers", type=int, default=100, help="clusters whose partners are searched")
    args = parser.parse_args()
    with scratch_server() as scratch:
        graph = "cordis-bench"
        store = scratch.demo(graph, args.scale)
        pool = [
            (r["name"], r["country"])
            for r in store.read(
                "MATCH (n) WHERE (n:Organisation OR n:Cluster) AND n.country IS NOT NULL "
                "RETURN n.name AS name, n.country AS country ORDER BY n.id"
            ).rows
        ]
        figures: dict[str, object] = {"scale": args.scale, "pool": len(pool), "new_organisations": args.new}
        half, full = scratch.work / "cordis-half", scratch.work / "cordis-full"
        started = time.perf_counter()
        projects, rows = generate_download(full, pool, participations=args.participations, new_organisations=args.new)
        generate_download(half, pool, participations=args.participations // 2, new_organisations=args.new, seed=7)
        print(f"SYNTHETIC download: {projects} projects, {rows} participations ({time.perf_counter() - started:.1f} s)")
        for name, folder, size in (
            ("half", half, args.participations // 2),
            ("full", full, rows),
            ("rerun", full, rows),
        ):
            target = graph if name != "half" else f"{graph}-half"
            if name == "half":
                scratch.demo(target, args.scale)  # the same graph to match against, for the memory comparison
            seconds, peak, tail = load(scratch, target, folder)
            figures[name] = {
                "rows": size,
                "seconds": round(seconds, 1),
                "rows_per_s": round(size / seconds),
                "peak_rss_mb": round(peak),
            }
            print(
                f"load cordis ({name}, {size} rows): {seconds:.1f} s, {size / seconds:,.0f} rows/s, peak RSS {peak:.0f} MB"
            )
            print("  " + tail.replace("\n", "\n  "))
        counts = store.read(
            "MATCH ()-[w:WORKED_WITH]->() RETURN count(w) AS ties, count(CASE WHEN w.via = 'members' THEN 1 END) AS clusters"
        ).rows[0]
        figures["ties"] = counts
        print(f"WORKED_WITH ties: {counts['ties']:,} ({counts['clusters']:,} between clusters)")

        clusters = [r["id"] for r in store.read("MATCH (c:Cluster) RETURN c.id AS id ORDER BY id").rows]
        seekers = random.Random(3).sample(clusters, min(args.seekers, len(clusters)))
        data = export_incidence(store)
        plain, plain_pages = timed_searches(store, seekers, Weights())
        favoured, favoured_pages = timed_searches(store, seekers, Weights(collaboration=1.0))
        reference = []
        for seeker in seekers:
            begun = time.perf_counter()
            want = reference_search(data, ("Cluster", seeker), weights=Weights(collaboration=1.0), first=20)
            reference.append((time.perf_counter() - begun) * 1000)
            assert [m.id for m in want] == favoured_pages[seeker], seeker  # the figures are of a correct query
        changed = sum(plain_pages[s] != favoured_pages[s] for s in seekers)
        figures["search"] = {
            "seekers": len(seekers),
            "weight_0_p50_ms": round(statistics.median(plain), 2),
            "weight_0_p95_ms": round(p(plain, 0.95), 2),
            "weight_1_p50_ms": round(statistics.median(favoured), 2),
            "weight_1_p95_ms": round(p(favoured, 0.95), 2),
            "reference_p50_ms": round(statistics.median(reference), 2),
            "pages_changed_by_weight_1": changed,
        }
        print(
            f"partner search, {len(seekers)} cluster seekers at {args.scale}: weight 0 p50 {statistics.median(plain):.1f} ms "
            f"(p95 {p(plain, 0.95):.1f}); weight 1.0 p50 {statistics.median(favoured):.1f} ms (p95 {p(favoured, 0.95):.1f}); "
            f"reference p50 {statistics.median(reference):.2f} ms; the weight changed {changed} of {len(seekers)} pages"
        )
        print("RESULT " + json.dumps(figures))


if __name__ == "__main__":
    main()
