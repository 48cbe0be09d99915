"""Consortium builder on the SYNTHETIC s and m graphs: time to three proposals around a lead, and the gap.

    .venv/bin/python benchmarks/consortium.py [--scales s m] [--leads 5] [--time-limit 10]

Leads are every 97th synthetic cluster (a fixed, spread-out sample). Figures are
printed, never asserted; the last line is `RESULT {json}` with every lead's figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench_support import scratch_server

from clusterkg.consortium.model import ConsortiumRequest
from clusterkg.consortium.propose import propose_consortia
from clusterkg.errors import ClusterKGError
from clusterkg.loaders.pipeline import load_directory
from clusterkg.loaders.reference import build_reference, load_reference
from clusterkg.loaders.synthetic import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="*", default=["s", "m"])
    parser.add_argument("--leads", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=10.0)
    args = parser.parse_args()
    result: dict[str, object] = {"leads": args.leads, "time_limit_s": args.time_limit, "scales": {}}
    with scratch_server() as scratch:
        work = scratch.work
        reference = build_reference()
        for scale in args.scales:
            store = scratch.store(f"bench_{scale}")
            load_reference(store, reference)
            generate(scale, 42, work / scale)
            started = time.perf_counter()
            load_directory(store, work / scale)
            clusters = store.read("MATCH (c:Cluster) RETURN count(c) AS n").scalar()
            print(f"scale {scale}: {clusters} SYNTHETIC clusters loaded in {time.perf_counter() - started:.0f} s")
            times, gaps, shortlists, statuses = [], [], [], []
            per_lead: list[dict[str, object]] = []
            for k in range(args.leads):
                lead = f"syn-c{97 * k:06d}"
                started = time.perf_counter()
                try:
                    plan = propose_consortia(store, ConsortiumRequest(lead=lead, time_limit_s=args.time_limit))
                except ClusterKGError as exc:
                    print(f"  {lead}: {exc}")
                    continue
                times.append(time.perf_counter() - started)
                gaps.append(plan.report.gap)
                shortlists.append(plan.shortlist)
                statuses.append(plan.report.status)
                greedy = plan.report.greedy_objective
                per_lead.append(
                    {
                        "lead": lead,
                        "seconds": round(times[-1], 2),
                        "objective": round(plan.report.objective, 4),
                        "bound": round(plan.report.bound, 4),
                        "gap": round(plan.report.gap, 4),
                        "status": plan.report.status,
                        "greedy": round(greedy, 4),
                        "shortlist": plan.shortlist,
                    }
                )
                print(
                    f"  {lead}: {times[-1]:.1f} s, {len(plan.proposals)} proposals from {plan.shortlist} shortlisted; "
                    f"objective {plan.report.objective:.2f}, bound {plan.report.bound:.2f}, gap {plan.report.gap:.1%} ({plan.report.status}); greedy {greedy:.2f}"
                )
            if times:
                print(
                    f"scale {scale}: median {statistics.median(times):.1f} s (max {max(times):.1f} s) to three proposals; "
                    f"median gap {statistics.median(gaps):.1%}, {statuses.count('OPTIMAL')} of {len(times)} proven optimal; "
                    f"median shortlist {statistics.median(shortlists):.0f}"
                )
            result["scales"][scale] = {
                "clusters": clusters,
                "leads": per_lead,
                "median_seconds": round(statistics.median(times), 2) if times else None,
                "max_seconds": round(max(times), 2) if times else None,
                "median_gap": round(statistics.median(gaps), 4) if gaps else None,
                "max_gap": round(max(gaps), 4) if gaps else None,
                "proven_optimal": statuses.count("OPTIMAL"),
                "within_2_percent": sum(g <= 0.02 for g in gaps),
            }
            store.connection.execute_command("GRAPH.DELETE", store.graph_name)
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
