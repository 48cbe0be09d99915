"""Load throughput: clusterkg's loaders against a bare UNWIND loop, same rows, same run.

    .venv/bin/python benchmarks/load_throughput.py --scale s
    .venv/bin/python benchmarks/load_throughput.py --scale m

Starts its own embedded FalkorDB in a temporary data dir, generates the
synthetic files, loads the reference data into two graphs, then per kind:
  clusterkg  read + validate + write (nodes, relationships synced) via load_files
  bare       csv.DictReader + the same nodes and relationships with plain
             `UNWIND $rows ... MERGE` through the falkordb client, no validation
and prints rows/s for each and the ratio bare_time / clusterkg_time (1.0 =
as fast as the bare loop). Also the server's memory after the load. Not a
test: figures vary with the machine; compare ratios within one run. The last
line is `RESULT {json}` with every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from bench_support import scratch_server

from clusterkg.loaders.pipeline import load_files
from clusterkg.loaders.reference import build_reference, load_reference
from clusterkg.loaders.synthetic import generate

BATCH = 5000
ORDER = ("competences", "clusters", "members", "partnerships", "exchanges")


def split(cell: str) -> list[str]:
    return [part for part in cell.replace(";", "|").split("|") if part]


def bare_load(graph, kind: str, path: Path, names: dict[str, str], regions: dict[str, tuple[str, str]]) -> None:
    """The same rows written the plainest way: read, UNWIND in batches, MERGE."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    def run(query: str, items: list[dict]) -> None:
        for start in range(0, len(items), BATCH):
            graph.query(query, {"rows": items[start : start + BATCH]})

    if kind == "competences":
        run("UNWIND $rows AS r MERGE (c:Competence {id: r.id}) SET c.name = r.name, c.kind = r.kind", rows)
        run(
            "UNWIND $rows AS r MATCH (c:Competence {id: r.id}) MATCH (b:Competence {id: r.broader}) MERGE (c)-[:BROADER]->(b)",
            rows,
        )
        run(
            "UNWIND $rows AS r MATCH (c:Competence {id: r.id}) MATCH (v:ValueChain {id: r.value_chain}) MERGE (c)-[s:IN_STAGE]->(v) SET s.stage = r.stage",
            rows,
        )
    elif kind == "clusters":
        numbers = ("founded", "members_total", "sme_members", "large_members", "research_members")
        props = [
            {
                **{
                    k: r[k]
                    for k in (
                        "id",
                        "name",
                        "acronym",
                        "country",
                        "nuts",
                        "city",
                        "website",
                        "description",
                        "excellence_label",
                    )
                },
                **{k: int(r[k]) for k in numbers},
                "category": regions[r["nuts"]][1],
                "synthetic": r["synthetic"] == "true",
            }
            for r in rows
        ]
        run("UNWIND $rows AS r MERGE (c:Cluster {id: r.id}) SET c += r", props)
        run(
            "UNWIND $rows AS r MATCH (c:Cluster {id: r.id}) MATCH (g:Region {nuts: r.nuts}) MERGE (c)-[:LOCATED_IN]->(g)",
            props,
        )
        for rel, column in (("OFFERS", "offers"), ("SEEKS", "seeks")):
            pairs = [{"c": r["id"], "k": names[t]} for r in rows for t in split(r[column])]
            run(
                f"UNWIND $rows AS r MATCH (c:Cluster {{id: r.c}}) MATCH (k:Competence {{id: r.k}}) MERGE (c)-[:{rel}]->(k)",
                pairs,
            )
        pairs = [{"c": r["id"], "e": e} for r in rows for e in split(r["ecosystems"])]
        run(
            "UNWIND $rows AS r MATCH (c:Cluster {id: r.c}) MATCH (e:Ecosystem {id: r.e}) MERGE (c)-[:ACTIVE_IN]->(e)",
            pairs,
        )
    elif kind == "members":
        # the same node properties clusterkg writes (country and category looked up, as clusterkg does)
        nodes = [
            {
                "id": r["organisation_id"],
                "name": r["name"],
                "kind": r["kind"],
                "nuts": r["nuts"],
                "country": regions[r["nuts"]][0],
                "category": regions[r["nuts"]][1],
                "synthetic": r["synthetic"] == "true",
            }
            for r in rows
        ]
        run("UNWIND $rows AS r MERGE (o:Organisation {id: r.id}) SET o += r", nodes)
        run(
            "UNWIND $rows AS r MATCH (o:Organisation {id: r.organisation_id}) MATCH (c:Cluster {id: r.cluster_id}) MERGE (o)-[:MEMBER_OF]->(c)",
            rows,
        )
        run(
            "UNWIND $rows AS r MATCH (o:Organisation {id: r.organisation_id}) MATCH (g:Region {nuts: r.nuts}) MERGE (o)-[:LOCATED_IN]->(g)",
            rows,
        )
        for rel, column in (("OFFERS", "offers"), ("SEEKS", "seeks")):
            pairs = [{"o": r["organisation_id"], "k": names[t]} for r in rows for t in split(r[column])]
            run(
                f"UNWIND $rows AS r MATCH (o:Organisation {{id: r.o}}) MATCH (k:Competence {{id: r.k}}) MERGE (o)-[:{rel}]->(k)",
                pairs,
            )
    elif kind == "partnerships":
        run("UNWIND $rows AS r MERGE (p:Partnership {id: r.id}) SET p.name = r.name, p.kind = r.kind", rows)
        pairs = [
            {"p": r["id"], "c": c}
            for r in rows
            for c in [r["coordinator_cluster_id"], *split(r["partner_cluster_ids"])]
        ]
        run(
            "UNWIND $rows AS r MATCH (p:Partnership {id: r.p}) MATCH (c:Cluster {id: r.c}) MERGE (c)-[:PARTNER_IN]->(p)",
            pairs,
        )
    elif kind == "exchanges":
        run("UNWIND $rows AS r MERGE (o:Organisation {id: r.participant_id})", rows)
        run(
            "UNWIND $rows AS r MERGE (x:Exchange {id: r.id}) SET x.status = r.status, x.topic = r.topic, x.start = date(r.start), x.end = date(r.end)",
            rows,
        )
        for rel, label, column in (
            ("PARTICIPANT", "Organisation", "participant_id"),
            ("SENT_BY", "Cluster", "sending_cluster_id"),
            ("HOSTED_BY", "Cluster", "host_cluster_id"),
        ):
            run(
                f"UNWIND $rows AS r MATCH (x:Exchange {{id: r.id}}) MATCH (t:{label} {{id: r.{column}}}) MERGE (x)-[:{rel}]->(t)",
                rows,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="s", choices=("xs", "s", "m", "l"))
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    with scratch_server() as scratch:
        work = scratch.work
        started = time.perf_counter()
        generated = generate(args.scale, args.seed, work / "files")
        print(f"scale {args.scale}: {generated.counts} (SYNTHETIC), generated in {time.perf_counter() - started:.1f} s")
        reference = build_reference()
        ours = scratch.store("clusterkg")
        bare = scratch.store("bare")
        for store in (ours, bare):
            load_reference(store, reference)
        names = {}
        for row in ours.read("MATCH (c:Competence) RETURN c.id AS id, c.name AS name").rows:
            names[row["name"]] = row["id"]
        regions = {r["nuts"]: (r["country"], r.get("category")) for r in reference.nodes["Region"]}
        with open(generated.directory / "competences.csv", newline="", encoding="utf-8") as handle:
            names.update({r["name"]: r["id"] for r in csv.DictReader(handle)})

        print(f"{'kind':<14}{'rows':>9}{'clusterkg s':>13}{'rows/s':>10}{'bare s':>9}{'rows/s':>10}{'ratio':>8}")
        total_ours = total_bare = 0.0
        kinds: dict[str, dict[str, float]] = {}
        for kind in ORDER:
            path = generated.directory / f"{kind}.csv"
            rows = generated.counts[kind]
            t0 = time.perf_counter()
            report = load_files(ours, kind, [path])
            t_ours = time.perf_counter() - t0
            assert report.written and not report.errors, report.errors[:3]
            t0 = time.perf_counter()
            bare_load(bare._graph, kind, path, names, regions)
            t_bare = time.perf_counter() - t0
            total_ours += t_ours
            total_bare += t_bare
            print(
                f"{kind:<14}{rows:>9}{t_ours:>13.2f}{rows / t_ours:>10.0f}{t_bare:>9.2f}{rows / t_bare:>10.0f}{t_bare / t_ours:>8.2f}"
            )
            kinds[kind] = {
                "rows": rows,
                "seconds": round(t_ours, 3),
                "rows_per_s": round(rows / t_ours),
                "bare_seconds": round(t_bare, 3),
                "bare_rows_per_s": round(rows / t_bare),
                "ratio": round(t_bare / t_ours, 3),
            }
        total_rows = sum(generated.counts.values())
        print(
            f"{'all':<14}{total_rows:>9}{total_ours:>13.2f}{total_rows / total_ours:>10.0f}{total_bare:>9.2f}{total_rows / total_bare:>10.0f}{total_bare / total_ours:>8.2f}"
        )
        memory = ours.connection.info("memory")
        print(
            f"server memory after both graphs: used {memory['used_memory_human']}, rss {memory['used_memory_rss_human']}"
        )
        counts = (
            ours.read("MATCH (n) RETURN count(n) AS n").scalar(),
            ours.read("MATCH ()-[r]->() RETURN count(r) AS r").scalar(),
        )
        print(f"clusterkg graph: {counts[0]} nodes, {counts[1]} relationships")
        print(
            "RESULT "
            + json.dumps(
                {
                    "scale": args.scale,
                    "kinds": kinds,
                    "rows": total_rows,
                    "seconds": round(total_ours, 2),
                    "rows_per_s": round(total_rows / total_ours),
                    "bare_seconds": round(total_bare, 2),
                    "bare_rows_per_s": round(total_rows / total_bare),
                    "ratio": round(total_bare / total_ours, 3),
                    "server_memory": memory["used_memory_human"],
                    "nodes": counts[0],
                    "relationships": counts[1],
                }
            )
        )


if __name__ == "__main__":
    main()
