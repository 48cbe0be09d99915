"""The programme's figures at the size of a real call and a large brokerage event, and the steps that feed them.

    python benchmarks/programme.py --attendees 2000 --repeat 30

1. The SYNTHETIC graph of scale s: 1,100 clusters and 1,000 ClusterXchange
   exchanges (the 2020 call's target is about 1,000).
2. `call(id) { progress }`'s work (clusterkg.programme.progress.call_progress)
   `--repeat` times: p50/p95, and the figures it found.
3. An event next month with `--attendees` organisations, loaded through the
   events and attendance loaders. Then:
   - 300 meeting requests through the real service (each one guarded write), for
     their p50;
   - three requests an attendee in one UNWIND, half of them accepted (SYNTHETIC
     set-up, said so in the output);
   - the schedule run by the real scheduler (12 slots, attendees / 4 tables);
   - ratings for half the meetings (set-up);
   - `eventProgress`'s work `--repeat` times.

Prints figures with their scale and `RESULT {json}`. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_support import scratch_server  # noqa: E402
from clusterkg.accounts.principal import Account, Principal  # noqa: E402
from clusterkg.events.model import EventSettings  # noqa: E402
from clusterkg.loaders.pipeline import load_files  # noqa: E402
from clusterkg.programme.meetings import request_meeting  # noqa: E402
from clusterkg.programme.progress import call_progress, event_progress  # noqa: E402
from clusterkg.programme.schedule import schedule_event  # noqa: E402

CALL = "COS-CLUSTER-2020-3-03"
OFFICER = Principal(Account("acc-bench", "bench@eismea.example", None, frozenset({"moderator"})))


def p(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(fn, repeat: int) -> list[float]:
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        found.append((time.perf_counter() - started) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attendees", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse the server (and graphs) of this data dir")
    args = parser.parse_args()
    rng = random.Random(11)
    with scratch_server(args.data_dir) as scratch:
        store = scratch.demo("programme-s", "s")
        progress = call_progress(store, CALL)
        call_ms = timed(lambda: call_progress(store, CALL), args.repeat)
        # then every exchange of the graph made by this call's matching (SYNTHETIC: stamped here), so that all count
        store.write(
            "MATCH (x:Exchange) WHERE x.call_id IS NULL SET x.call_id = $c, x.bench_stamped = true", {"c": CALL}
        )
        every = call_progress(store, CALL)
        every_ms = timed(lambda: call_progress(store, CALL), args.repeat)
        store.write("MATCH (x:Exchange) WHERE x.bench_stamped REMOVE x.call_id, x.bench_stamped")

        event_id = f"bench-ev-{args.attendees}"
        day = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        parties = [
            r["id"]
            for r in store.read(
                "MATCH (o:Organisation) RETURN o.id AS id ORDER BY id LIMIT $n", {"n": args.attendees}
            ).rows
        ]
        folder = scratch.work / event_id
        folder.mkdir(exist_ok=True)
        with open(folder / "events.csv", "w", newline="") as handle:
            csv.writer(handle).writerows(
                [
                    ["id", "name", "start", "end", "country", "organiser", "synthetic"],
                    [event_id, "Benchmark Brokerage Day", day, day, "PT", "bench", "true"],
                ]
            )
        with open(folder / "attendance.csv", "w", newline="") as handle:
            csv.writer(handle).writerows(
                [["event_id", "participant_id", "role"], *[[event_id, x, "attendee"] for x in parties]]
            )
        started = time.perf_counter()
        load_files(store, "events", [folder / "events.csv"])
        load_files(store, "attendance", [folder / "attendance.csv"])
        load_s = time.perf_counter() - started

        request_ms = []
        for n in range(300):
            a, b = rng.sample(parties, 2)
            started = time.perf_counter()
            try:
                request_meeting(store, OFFICER, event_id, a, b, f"bench {n}")
            except Exception:  # a pair drawn twice: the service says CONFLICT, as it should
                continue
            request_ms.append((time.perf_counter() - started) * 1000)
        bulk = [
            {"id": f"bench-req-{i}", "a": a, "b": b, "status": "ACCEPTED" if i % 2 else "PENDING"}
            for i, (a, b) in enumerate((x, rng.choice(parties)) for x in parties for _ in range(3))
            if a != b
        ]
        store.write(
            "UNWIND $rows AS r MATCH (a:Organisation {id: r.a}) MATCH (b:Organisation {id: r.b}) "
            "CREATE (q:MeetingRequest {id: r.id, event_id: $e, from_id: r.a, to_id: r.b, status: r.status, at: $at, synthetic: true}) "
            "CREATE (q)-[:REQUESTED {role: 'from'}]->(a) CREATE (q)-[:REQUESTED {role: 'to'}]->(b)",
            {"rows": bulk, "e": event_id, "at": dt.datetime.now(dt.UTC).isoformat()},
        )
        settings = EventSettings(slots=12, tables=max(args.attendees // 4, 1), time_limit_s=60.0)
        started = time.perf_counter()
        scheduled = schedule_event(store, OFFICER, event_id, settings)
        schedule_s = time.perf_counter() - started
        store.write(
            "MATCH (m:Meeting {event_id: $e}) WITH m ORDER BY m.id LIMIT $n "
            "MATCH (m)-[:BETWEEN]->(p) WITH m, min(p.id) AS first "
            "MATCH (m)-[:BETWEEN]->(p) WHERE p.id = first "
            "CREATE (p)-[:RATED {rating: 4, follow_up: true, at: $at, by: 'bench'}]->(m)",
            {"e": event_id, "n": scheduled["meetings"] // 2, "at": dt.datetime.now(dt.UTC).isoformat()},
        )
        figures = event_progress(store, event_id)
        event_ms = timed(lambda: event_progress(store, event_id), args.repeat)
    totals = {
        m: sum(k[m] for k in figures.values()) for m in ("attendees", "requested", "accepted", "scheduled", "rated")
    }
    result = {
        "call": CALL,
        "call_exchanges": progress.exchanges,
        "call_sme_share": round(progress.sme_share or 0, 4),
        "call_outside_share": round(progress.outside_share or 0, 4),
        "call_progress_p50_ms": round(statistics.median(call_ms), 2),
        "call_progress_p95_ms": round(p(call_ms, 0.95), 2),
        "call_all_counting_exchanges": every.exchanges,
        "call_all_counting_p50_ms": round(statistics.median(every_ms), 2),
        "call_all_counting_p95_ms": round(p(every_ms, 0.95), 2),
        "event_attendees": totals["attendees"],
        "event_load_s": round(load_s, 2),
        "meeting_request_write_p50_ms": round(statistics.median(request_ms), 2),
        "event_requests": totals["requested"],
        "event_requests_accepted": totals["accepted"],
        "schedule_s": round(schedule_s, 1),
        "schedule_status": scheduled["status"],
        "meetings": scheduled["meetings"],
        "accepted_unscheduled": len(scheduled["accepted_unscheduled"]),
        "no_thanks_scheduled": scheduled["no_thanks_scheduled"],
        "event_rated": totals["rated"],
        "event_progress_p50_ms": round(statistics.median(event_ms), 2),
        "event_progress_p95_ms": round(p(event_ms, 0.95), 2),
    }
    print(
        f"call {CALL} at scale s (1,000 exchanges in the graph): {progress.exchanges:,} count for it, progress p50 "
        f"{result['call_progress_p50_ms']} ms; all {every.exchanges:,} counting: p50 {result['call_all_counting_p50_ms']} ms"
    )
    print(
        f"event of {totals['attendees']:,} attendees: {totals['requested']:,} requests (SYNTHETIC set-up beyond 300 through the service, "
        f"p50 {result['meeting_request_write_p50_ms']} ms each), schedule {result['schedule_s']} s ({scheduled['status']}, "
        f"{scheduled['meetings']:,} meetings, {result['accepted_unscheduled']} accepted requests without a common free slot)"
    )
    print(f"event progress p50 {result['event_progress_p50_ms']} ms, p95 {result['event_progress_p95_ms']} ms")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
