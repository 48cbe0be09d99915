"""The taxonomy's file kinds (competences, value chains) and the history of edits (changes).

Written as the cluster-level kinds in kinds.py are: `check_*` validates a record
against the context, `plan_*` turns the items into a WritePlan that MERGEs nodes
and syncs relationships, so that re-loading the same file changes nothing.
"""

from __future__ import annotations

from typing import Any

from clusterkg.loaders.context import Context
from clusterkg.loaders.kinds import by_anchor, given, has
from clusterkg.loaders.plan import WritePlan
from clusterkg.loaders.records import ChangeRecord, CompetenceRecord, Record, ValueChainRecord
from clusterkg.validation import Checker, fold

# -- the taxonomy: competences and value chains ------------------------------------------------


def check_competence(
    record: CompetenceRecord, ctx: Context, check: Checker, columns: set[str]
) -> dict[str, Any] | None:
    if record.value_chain:
        stages = ctx.value_chains.get(record.value_chain)
        if stages is None:
            check.error(
                "value_chain", record.value_chain, "no such value chain in the graph or in the files loaded with it"
            )
        elif record.stage and record.stage not in stages:
            check.error("stage", record.stage, f"not a stage of {record.value_chain} (stages: {', '.join(stages)})")
    if record.broader and fold(record.broader) not in ctx.competences and record.broader != record.id:
        check.error("broader", record.broader, "no such competence in the taxonomy or in the files loaded with it")
    if check.failed:
        return None
    ctx.add_competence_terms(record.id, [record.name, *record.aliases])
    broader = ctx.competences[fold(record.broader)] if record.broader else None
    stage_index = (
        ctx.value_chains[record.value_chain].index(record.stage) if record.value_chain and record.stage else None
    )
    return {"record": record, "broader": broader, "stage_index": stage_index}


def plan_competences(items: list[dict[str, Any]]) -> WritePlan:
    plan = WritePlan("competences")
    rows = []
    for item in items:
        r: CompetenceRecord = item["record"]
        rows.append(
            {
                "id": r.id,
                "name": r.name,
                "kind": r.kind,
                "scheme": r.source or "user",
                **given(item, {"aliases": r.aliases, "synthetic": r.synthetic, "source": r.source}),
            }
        )
    plan.nodes("Competence", rows)
    competence_id = lambda i: i["record"].id  # noqa: E731
    plan.sync_ids(
        "BROADER",
        "Competence",
        "Competence",
        by_anchor(items, competence_id, "broader", lambda i: [i["broader"]] if i["broader"] else []),
    )
    stages = []
    for item in items:
        if not has(item, "value_chain", "stage"):
            continue
        r = item["record"]
        targets = (
            [{"id": r.value_chain, "props": {"stage": r.stage, "stage_index": item["stage_index"]}}]
            if item["stage_index"] is not None
            else []
        )
        stages.append({"anchor": r.id, "targets": targets})
    plan.sync("IN_STAGE", "Competence", "ValueChain", stages)
    return plan


def check_value_chain(
    record: ValueChainRecord, ctx: Context, check: Checker, columns: set[str]
) -> dict[str, Any] | None:
    ecosystem_id = ctx.ecosystems.get(fold(record.ecosystem))
    if ecosystem_id is None:
        check.error("ecosystem", record.ecosystem, "not one of the 14 industrial ecosystems (by id, name or alias)")
        return None
    ctx.value_chains[record.id] = record.stages
    return {"record": record, "ecosystem": ecosystem_id}


def plan_value_chains(items: list[dict[str, Any]]) -> WritePlan:
    plan = WritePlan("value-chains")
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "stages": r.stages,
            "taxonomy_version": r.source or "user",
            **given(i, {"synthetic": r.synthetic, "source": r.source}),
        }
        for i, r in ((i, i["record"]) for i in items)
    ]
    plan.nodes("ValueChain", rows)
    plan.sync_ids("PART_OF", "ValueChain", "Ecosystem", {i["record"].id: [i["ecosystem"]] for i in items})
    return plan


# -- changes (the history of edits, as an export wrote it) -------------------------------


def check_change(record: ChangeRecord, ctx: Context, check: Checker, columns: set[str]) -> dict[str, Any] | None:
    if record.cluster_id not in ctx.clusters:
        check.error("cluster_id", record.cluster_id, "no such cluster in the graph or in the files loaded with it")
        return None
    return {"record": record}


def plan_changes(items: list[dict[str, Any]]) -> WritePlan:
    plan = WritePlan("changes")
    names = [n for n in ChangeRecord.model_fields if n not in Record.model_fields]
    plan.nodes("Change", [{n: getattr(i["record"], n) for n in names} for i in items])
    plan.sync_ids("CHANGES", "Change", "Cluster", {i["record"].id: [i["record"].cluster_id] for i in items})
    return plan
