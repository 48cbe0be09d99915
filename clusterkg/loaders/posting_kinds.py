"""The postings file kind (postings.csv / .xlsx): partner offers and requests of clusters, as an export writes them."""

from __future__ import annotations

from typing import Any

from clusterkg.loaders.context import Context, resolve_competences
from clusterkg.loaders.kinds import given
from clusterkg.loaders.plan import WritePlan
from clusterkg.loaders.records import PostingRecord
from clusterkg.validation import Checker, fold

REQUESTS = ("REQUEST", "RD_REQUEST")  # a request SEEKS its competences, an offer OFFERS them


def check_posting(record: PostingRecord, ctx: Context, check: Checker, columns: set[str]) -> dict[str, Any] | None:
    if record.cluster_id not in ctx.clusters:
        check.error("cluster_id", record.cluster_id, "no such cluster in the graph or in the files loaded with it")
    competences = resolve_competences(record.competences, ctx, check, "competences")
    for chain in record.value_chains:
        if chain not in ctx.value_chains:
            check.error("value_chains", chain, "no such value chain in the graph")
    ecosystems = []
    for term in record.ecosystems:
        ecosystem_id = ctx.ecosystems.get(fold(term))
        if ecosystem_id is None:
            check.error("ecosystems", term, "not one of the 14 industrial ecosystems (by id, name or alias)")
        else:
            ecosystems.append(ecosystem_id)
    for country in record.target_countries:
        if country not in ctx.countries:
            check.error("target_countries", country, "not a country code of the graph (NUTS-0, EL for Greece)")
    if check.failed:
        return None
    return {"record": record, "competences": competences, "ecosystems": sorted(set(ecosystems))}


def plan_postings(items: list[dict[str, Any]]) -> WritePlan:
    plan = WritePlan("postings")
    rows = []
    for item in items:
        r: PostingRecord = item["record"]
        rows.append(
            {
                "id": r.id,
                "cluster_id": r.cluster_id,
                "kind": r.kind,
                "title": r.title,
                "text": r.text,
                "deadline": r.deadline.isoformat(),
                "status": r.status,
                "competences": sorted(item["competences"]),
                "value_chains": sorted(set(r.value_chains)),
                "ecosystems": item["ecosystems"],
                "target_categories": sorted(set(r.target_categories)),
                "target_countries": sorted(set(r.target_countries)),
                "revision": r.revision or 0,
                **given(
                    item,
                    {
                        "synthetic": r.synthetic,
                        "source": r.source,
                        "created_at": r.created_at,
                        "published_at": r.published_at,
                        "updated_at": r.updated_at,
                        "closed_at": r.closed_at,
                        "by": r.by,
                    },
                ),
            }
        )
    plan.nodes("Posting", rows)

    def targets(request: bool) -> dict[str, list[str]]:
        return {
            i["record"].id: sorted(i["competences"]) if (i["record"].kind in REQUESTS) == request else [] for i in items
        }

    plan.sync_ids("POSTED_BY", "Posting", "Cluster", {i["record"].id: [i["record"].cluster_id] for i in items})
    plan.sync_ids("SEEKS", "Posting", "Competence", targets(True))
    plan.sync_ids("OFFERS", "Posting", "Competence", targets(False))
    plan.sync_ids(
        "FOR_CHAIN", "Posting", "ValueChain", {i["record"].id: sorted(set(i["record"].value_chains)) for i in items}
    )
    plan.sync_ids("FOR_ECOSYSTEM", "Posting", "Ecosystem", {i["record"].id: i["ecosystems"] for i in items})
    return plan
