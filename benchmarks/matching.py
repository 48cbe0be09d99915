"""Matching jobs at the scales the issue names, on the embedded FalkorDB with the SYNTHETIC s graph.

Event: 500 and 2,000 generated attendees x 16 slots x 50 tables: time, objective,
bound, gap, and the greedy baseline. ClusterXchange: 1,000 applicants and 300
hosts (the 2020 call's scale): time and gap, with the call's quotas.

    .venv/bin/python benchmarks/matching.py [--attendees 500 2000] [--time-limit 60]

Figures are printed, never asserted: this machine is shared and noisy. The last
line is `RESULT {json}` with every figure.
"""

from __future__ import annotations

import argparse
import json
import time

from bench_support import scratch_server

from clusterkg.events.model import EventSettings
from clusterkg.events.plan import plan_event
from clusterkg.exchanges.assignment import assign_exchanges
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.jobs.inputs import read_records
from clusterkg.jobs.records import ApplicantRecord, AttendeeRecord, HostRecord
from clusterkg.jobs.synthetic import generate_attendees, generate_exchange_call, synthetic_clusters, write_rows
from clusterkg.loaders.pipeline import load_directory
from clusterkg.loaders.reference import build_reference, load_reference
from clusterkg.loaders.synthetic import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, nargs="*", default=[500, 2000])
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--applicants", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=300)
    args = parser.parse_args()

    with scratch_server() as scratch:
        work = scratch.work
        store = scratch.store("bench")
        load_reference(store, build_reference())
        generate("s", 42, work / "synthetic")
        load_directory(store, work / "synthetic")
        clusters = synthetic_clusters(store)
        print(f"graph: reference data + SYNTHETIC scale s ({len(clusters)} clusters)")
        result: dict[str, object] = {
            "scale": "s",
            "slots": args.slots,
            "tables": args.tables,
            "time_limit_s": args.time_limit,
            "events": [],
        }
        for count in args.attendees:
            path = write_rows(
                generate_attendees(count, 42, slots=args.slots, clusters=clusters), work / f"attendees-{count}.csv"
            )
            rows, _ = read_records(path, AttendeeRecord, "attendee_id")
            started = time.perf_counter()
            plan = plan_event(
                store, rows, EventSettings(slots=args.slots, tables=args.tables, time_limit_s=args.time_limit)
            )
            elapsed = time.perf_counter() - started
            r = plan.report
            print(
                f"event {count} attendees x {args.slots} slots x {args.tables} tables: {elapsed:.1f} s in all ({r.method}, solver {r.seconds:.1f} s, {r.status}); "
                f"{len(plan.pairs)} candidate pairs ({plan.pruned_pairs} pruned), {len(plan.meetings)} meetings; objective {r.objective:.2f}, bound {r.bound:.2f}, "
                f"gap {r.gap:.3%}; greedy {r.greedy_objective:.2f} ({len(plan.greedy_meetings)} meetings, {r.greedy_seconds:.3f} s): "
                f"solver {r.objective / r.greedy_objective - 1:+.2%} over greedy"
            )
            result["events"].append(
                {
                    "attendees": count,
                    "seconds": round(elapsed, 2),
                    "solver_seconds": round(r.seconds, 2),
                    "method": r.method,
                    "status": r.status,
                    "candidate_pairs": len(plan.pairs),
                    "pruned_pairs": plan.pruned_pairs,
                    "meetings": len(plan.meetings),
                    "objective": round(r.objective, 4),
                    "bound": round(r.bound, 4),
                    "gap": round(r.gap, 5),
                    "greedy_objective": round(r.greedy_objective, 4),
                    "over_greedy": round(r.objective / r.greedy_objective - 1, 4) if r.greedy_objective else None,
                }
            )
        applicants, hosts = generate_exchange_call(clusters, args.applicants, args.hosts, 42)
        applicant_rows, _ = read_records(
            write_rows(applicants, work / "applicants.csv"), ApplicantRecord, "applicant_id"
        )
        host_rows, _ = read_records(write_rows(hosts, work / "hosts.csv"), HostRecord, "cluster_id")
        started = time.perf_counter()
        exchange_plan = assign_exchanges(
            store, applicant_rows, host_rows, ExchangeSettings(time_limit_s=args.time_limit)
        )
        elapsed = time.perf_counter() - started
        r = exchange_plan.report
        quotas = ", ".join(f"{q.name} {q.reached:.1%} (needs {q.required:.0%})" for q in exchange_plan.quotas)
        print(
            f"ClusterXchange {args.applicants} applicants, {args.hosts} hosts: {elapsed:.1f} s in all (solver {r.seconds:.1f} s, {r.status}); "
            f"{len(exchange_plan.assignments)} assigned; objective {r.objective:.2f}, bound {r.bound:.2f}, gap {r.gap:.3%}; quotas: {quotas}"
        )
        result["exchanges"] = {
            "applicants": args.applicants,
            "hosts": args.hosts,
            "seconds": round(elapsed, 2),
            "solver_seconds": round(r.seconds, 2),
            "status": r.status,
            "assigned": len(exchange_plan.assignments),
            "objective": round(r.objective, 4),
            "bound": round(r.bound, 4),
            "gap": round(r.gap, 5),
            "quotas": {q.name: {"reached": round(q.reached, 4), "required": q.required} for q in exchange_plan.quotas},
        }
        print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
