"""Cluster-level file kinds: what each checks against the graph, and how it writes.

Validation reads what it needs from the graph once (`Context.from_graph`)
and adds each valid record of the load, so a file may refer to the graph or
to rows loaded with it. Writes MERGE nodes on keys and *sync* relationships
(exactly the listed ones remain), so re-loading a changed profile removes
what it no longer says and re-loading the same file changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from clusterkg.graph.store import GraphStore, WriteStats
from clusterkg.loaders.cohesion import fold
from clusterkg.loaders.records import (
    ClusterRecord,
    CompetenceRecord,
    ExchangeRecord,
    MemberRecord,
    PartnershipRecord,
    Record,
    ValueChainRecord,
)
from clusterkg.loaders.writer import Progress, existing_keys, sync_relationships, upsert_nodes

COUNTRY_SYNONYMS = {"GR": "EL", "GB": "UK"}  # ISO codes people type for NUTS-0 codes


@dataclass
class Issue:
    file: str
    row: int
    field: str
    value: Any
    reason: str
    severity: str = "error"  # or "warning"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "field": self.field, "value": self.value, "reason": self.reason, "severity": self.severity}


@dataclass(frozen=True)
class Place:
    nuts: str | None  # the Region to link, None for a country-level location
    country: str
    category: str | None
    ecosystems: tuple[str, ...] = ()  # of the cluster at this place (members inherit them)


# What validation reads from the graph, once per load (clusterkg.queries.inventory lists them for the checks).
CONTEXT_QUERIES = {
    "regions": "MATCH (r:Region) RETURN r.nuts AS nuts, r.country AS country, r.level AS level, r.category AS category, r.aliases AS aliases",
    "countries": "MATCH (c:Country) RETURN c.code AS code",
    "ecosystems": "MATCH (e:Ecosystem) RETURN e.id AS id, e.name AS name, e.aliases AS aliases",
    "competences": "MATCH (c:Competence) RETURN c.id AS id, c.name AS name, c.aliases AS aliases",
    "value_chains": "MATCH (v:ValueChain) RETURN v.id AS id, v.stages AS stages",
    "clusters": "MATCH (c:Cluster) RETURN c.id AS id, c.nuts AS nuts, c.country AS country, c.category AS category, c.ecosystems AS ecosystems",
    "partnerships": "MATCH (p:Partnership) RETURN p.id AS id",
    "calls": "MATCH (c:Call) RETURN c.id AS id",
}


@dataclass
class Context:
    regions: dict[str, tuple[str, int, str | None]] = field(default_factory=dict)  # nuts -> (country, level, category)
    successors: dict[str, list[str]] = field(default_factory=dict)  # changed NUTS 2021 code -> 2024 codes
    countries: set[str] = field(default_factory=set)
    ecosystems: dict[str, str] = field(default_factory=dict)  # folded id/name/alias -> id
    competences: dict[str, str] = field(default_factory=dict)  # folded id/name/alias -> id
    value_chains: dict[str, list[str]] = field(default_factory=dict)  # id -> stages
    clusters: dict[str, Place] = field(default_factory=dict)
    partnerships: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    new_competences: dict[str, dict] = field(default_factory=dict)  # custom competences this load creates

    @classmethod
    def from_graph(cls, store: GraphStore) -> "Context":
        ctx = cls()
        q = CONTEXT_QUERIES
        for row in store.read(q["regions"]).rows:
            ctx.regions[row["nuts"]] = (row["country"], row["level"], row["category"])
            for alias in row["aliases"] or []:
                ctx.successors.setdefault(alias, []).append(row["nuts"])
        ctx.countries = {r["code"] for r in store.read(q["countries"]).rows}
        for row in store.read(q["ecosystems"]).rows:
            for term in [row["id"], row["name"], *(row["aliases"] or [])]:
                ctx.ecosystems[fold(term)] = row["id"]
        for row in store.read(q["competences"]).rows:
            ctx.add_competence_terms(row["id"], [row["name"], *(row["aliases"] or [])])
        ctx.value_chains = {r["id"]: r["stages"] or [] for r in store.read(q["value_chains"]).rows}
        for row in store.read(q["clusters"]).rows:
            ctx.clusters[row["id"]] = Place(row["nuts"], row["country"], row["category"], tuple(row["ecosystems"] or ()))
        ctx.partnerships = {r["id"] for r in store.read(q["partnerships"]).rows}
        ctx.calls = {r["id"] for r in store.read(q["calls"]).rows}
        return ctx

    def add_competence_terms(self, competence_id: str, terms: list[str]) -> None:
        for term in [competence_id, *terms]:
            self.competences.setdefault(fold(term), competence_id)


class Checker:
    """Collects the issues of one row."""

    def __init__(self, file: str, row: int) -> None:
        self.file, self.row = file, row
        self.issues: list[Issue] = []

    def error(self, field_name: str, value: Any, reason: str) -> None:
        self.issues.append(Issue(self.file, self.row, field_name, value, reason))

    def warn(self, field_name: str, value: Any, reason: str) -> None:
        self.issues.append(Issue(self.file, self.row, field_name, value, reason, "warning"))

    @property
    def failed(self) -> bool:
        return any(i.severity == "error" for i in self.issues)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def resolve_place(code: str, ctx: Context, check: Checker, field_name: str = "nuts", *, allow_coarse: bool = True) -> Place | None:
    """A NUTS 2024 code, a changed 2021 code, or (with a warning) a NUTS-0/1 code."""
    if code in ctx.successors and code not in ctx.regions:
        successors = sorted(ctx.successors[code])
        if len(successors) > 1:
            check.error(field_name, code, f"NUTS 2021 code {code} was split into {', '.join(successors)} in NUTS 2024: give one of them")
            return None
        check.warn(field_name, code, f"NUTS 2021 code {code} is {successors[0]} in NUTS 2024; {successors[0]} is used")
        code = successors[0]
    if code in ctx.regions:
        country, level, category = ctx.regions[code]
        if level == 1:
            if not allow_coarse:
                check.error(field_name, code, "a NUTS-2 or NUTS-3 code is needed here")
                return None
            check.warn(field_name, code, "NUTS-1 code: the location is known only at that precision")
        return Place(code, country, category)
    country = COUNTRY_SYNONYMS.get(code, code)
    if country in ctx.countries:
        if not allow_coarse:
            check.error(field_name, code, "a NUTS-2 or NUTS-3 code is needed here")
            return None
        check.warn(field_name, code, "country code only: the location is known only at country precision (no region linked)")
        return Place(None, country, None)
    check.error(field_name, code, "unknown NUTS code (neither NUTS 2024 nor a changed NUTS 2021 code)")
    return None


def resolve_competences(terms: list[str], ctx: Context, check: Checker, field_name: str) -> list[str]:
    """Taxonomy ids for the terms; unknown terms become custom competences, with a warning."""
    ids: list[str] = []
    for term in terms:
        competence_id = ctx.competences.get(fold(term))
        if competence_id is None:
            competence_id = f"custom-{_slug(term)}"
            if competence_id not in ctx.new_competences:
                ctx.new_competences[competence_id] = {"id": competence_id, "name": term, "kind": "custom", "scheme": "custom", "aliases": []}
                ctx.add_competence_terms(competence_id, [term])
            check.warn(field_name, term, f"not in the competence taxonomy: added as custom competence '{competence_id}'")
        if competence_id not in ids:
            ids.append(competence_id)
    return ids


# -- per kind: check (may enrich the record into a dict for writing) and write ----


def check_cluster(record: ClusterRecord, ctx: Context, check: Checker) -> dict | None:
    place = resolve_place(record.nuts, ctx, check)
    if place and record.country and COUNTRY_SYNONYMS.get(record.country, record.country) != place.country:
        check.error("country", record.country, f"does not match the country of NUTS code {record.nuts} ({place.country})")
    ecosystems = []
    for term in record.ecosystems:
        ecosystem_id = ctx.ecosystems.get(fold(term))
        if ecosystem_id is None:
            check.error("ecosystems", term, "not one of the 14 industrial ecosystems (by id, name or alias)")
        else:
            ecosystems.append(ecosystem_id)
    offers = resolve_competences(record.offers, ctx, check, "offers")
    seeks = resolve_competences(record.seeks, ctx, check, "seeks")
    if check.failed or place is None:
        return None
    ecosystems = list(dict.fromkeys(ecosystems))
    ctx.clusters[record.id] = Place(place.nuts, place.country, place.category, tuple(ecosystems))
    return {"record": record, "place": place, "ecosystems": ecosystems, "offers": offers, "seeks": seeks}


def write_clusters(store: GraphStore, items: list[dict], progress: Progress | None) -> WriteStats:
    stats = WriteStats()
    nodes = []
    for item in items:
        r: ClusterRecord = item["record"]
        place: Place = item["place"]
        nodes.append(
            {
                "id": r.id, "name": r.name, "acronym": r.acronym, "website": r.website, "city": r.city, "founded": r.founded,
                "members_total": r.members_total, "sme_members": r.sme_members, "large_members": r.large_members,
                "research_members": r.research_members, "excellence_label": r.excellence_label, "description": r.description,
                "nuts": place.nuts or place.country, "country": place.country, "category": place.category, "ecosystems": item["ecosystems"],
                "synthetic": r.synthetic, "source": r.source,
            }
        )
    ids = [i["record"].id for i in items]
    fresh = set(ids) - existing_keys(store, "Cluster", ids)
    stats += upsert_nodes(store, "Cluster", nodes, on_batch=progress)
    stats += _sync(store, "LOCATED_IN", "Cluster", "Region", ids, [[i["place"].nuts] if i["place"].nuts else [] for i in items], fresh)
    stats += _sync(store, "ACTIVE_IN", "Cluster", "Ecosystem", ids, [i["ecosystems"] for i in items], fresh)
    stats += _sync(store, "OFFERS", "Cluster", "Competence", ids, [i["offers"] for i in items], fresh)
    stats += _sync(store, "SEEKS", "Cluster", "Competence", ids, [i["seeks"] for i in items], fresh)
    stats += _sync(store, "HOLDS_LABEL", "Cluster", "ExcellenceLabel", ids, [[i["record"].excellence_label] if i["record"].excellence_label else [] for i in items], fresh)
    registrations = []
    for item in items:
        r = item["record"]
        registered = r.eccp_profile_id or r.eccp_registered_since
        props = {"profile_id": r.eccp_profile_id, "since": r.eccp_registered_since}
        registrations.append({"anchor": r.id, "targets": [{"id": "eccp", "props": props}] if registered else []})
    stats += sync_relationships(store, "REGISTERED_ON", "Cluster", "Platform", registrations, fresh=fresh)
    return stats


def check_member(record: MemberRecord, ctx: Context, check: Checker) -> dict | None:
    cluster = ctx.clusters.get(record.cluster_id)
    if cluster is None:
        check.error("cluster_id", record.cluster_id, "no such cluster in the graph or in the files loaded with it")
    place = resolve_place(record.nuts, ctx, check) if record.nuts else cluster
    offers = resolve_competences(record.offers, ctx, check, "offers")
    seeks = resolve_competences(record.seeks, ctx, check, "seeks")
    if check.failed:
        return None
    return {"record": record, "place": place, "own_place": bool(record.nuts), "offers": offers, "seeks": seeks, "ecosystems": cluster.ecosystems}


def write_members(store: GraphStore, items: list[dict], progress: Progress | None) -> WriteStats:
    # One organisation may be listed under several clusters: merge its rows.
    by_org: dict[str, dict] = {}
    for item in items:
        r: MemberRecord = item["record"]
        merged = by_org.setdefault(
            r.organisation_id, {"record": r, "place": item["place"], "own_place": item["own_place"], "clusters": [], "offers": [], "seeks": [], "ecosystems": []}
        )
        if item["own_place"] and not merged["own_place"]:
            merged.update(place=item["place"], own_place=True)
        for key, values in (("clusters", [r.cluster_id]), ("offers", item["offers"]), ("seeks", item["seeks"]), ("ecosystems", item["ecosystems"])):
            merged[key].extend(v for v in values if v not in merged[key])
    orgs = list(by_org.values())
    nodes = [
        {
            "id": o["record"].organisation_id, "name": o["record"].name, "kind": o["record"].kind,
            "nuts": o["place"].nuts if o["own_place"] and o["place"] else None,
            "country": o["place"].country if o["place"] else None, "category": o["place"].category if o["place"] else None,
            "ecosystems": o["ecosystems"], "synthetic": o["record"].synthetic, "source": o["record"].source,
        }
        for o in orgs
    ]
    ids = [o["record"].organisation_id for o in orgs]
    fresh = set(ids) - existing_keys(store, "Organisation", ids)
    stats = upsert_nodes(store, "Organisation", nodes, on_batch=progress)
    stats += _sync(store, "MEMBER_OF", "Organisation", "Cluster", ids, [o["clusters"] for o in orgs], fresh)
    stats += _sync(store, "OFFERS", "Organisation", "Competence", ids, [o["offers"] for o in orgs], fresh)
    stats += _sync(store, "SEEKS", "Organisation", "Competence", ids, [o["seeks"] for o in orgs], fresh)
    stats += _sync(store, "LOCATED_IN", "Organisation", "Region", ids, [[o["place"].nuts] if o["own_place"] and o["place"].nuts else [] for o in orgs], fresh)
    return stats


def check_partnership(record: PartnershipRecord, ctx: Context, check: Checker) -> dict | None:
    if record.call and record.call not in ctx.calls:
        check.error("call", record.call, "no such call in the graph (load reference first, or leave empty)")
    members = list(dict.fromkeys(([record.coordinator_cluster_id] if record.coordinator_cluster_id else []) + record.partner_cluster_ids))
    for cluster_id in members:
        if cluster_id not in ctx.clusters:
            field_name = "coordinator_cluster_id" if cluster_id == record.coordinator_cluster_id else "partner_cluster_ids"
            check.error(field_name, cluster_id, "no such cluster in the graph or in the files loaded with it")
    if not members:
        check.error("partner_cluster_ids", None, "a partnership needs at least one cluster")
    if check.failed:
        return None
    countries = {ctx.clusters[c].country for c in members}
    if len(countries) < 2:
        check.warn("partner_cluster_ids", ";".join(members), "all partners are in one country; partnerships are normally transnational")
    ctx.partnerships.add(record.id)
    return {"record": record, "members": members}


def write_partnerships(store: GraphStore, items: list[dict], progress: Progress | None) -> WriteStats:
    nodes = [
        {"id": r.id, "name": r.name, "acronym": r.acronym, "kind": r.kind, "start": r.start, "end": r.end, "eu_grant_eur": r.eu_grant_eur, "synthetic": r.synthetic, "source": r.source}
        for r in (i["record"] for i in items)
    ]
    stats = upsert_nodes(store, "Partnership", nodes, on_batch=progress)
    ids = [i["record"].id for i in items]
    stats += _sync(store, "FUNDED_BY", "Partnership", "Call", ids, [[i["record"].call] if i["record"].call else [] for i in items])
    partners = [
        {
            "anchor": i["record"].id,
            "targets": [{"id": c, "props": {"role": "coordinator" if c == i["record"].coordinator_cluster_id else "partner"}} for c in i["members"]],
        }
        for i in items
    ]
    stats += sync_relationships(store, "PARTNER_IN", "Partnership", "Cluster", partners, outgoing=False)
    return stats


def check_exchange(record: ExchangeRecord, ctx: Context, check: Checker) -> dict | None:
    sender, host = ctx.clusters.get(record.sending_cluster_id), ctx.clusters.get(record.host_cluster_id)
    if sender is None:
        check.error("sending_cluster_id", record.sending_cluster_id, "no such cluster in the graph or in the files loaded with it")
    if host is None:
        check.error("host_cluster_id", record.host_cluster_id, "no such cluster in the graph or in the files loaded with it")
    if record.partnership_id and record.partnership_id not in ctx.partnerships:
        check.error("partnership_id", record.partnership_id, "no such partnership in the graph or in the files loaded with it")
    if check.failed:
        return None
    cross_border = sender.country != host.country
    if not cross_border:
        check.warn("host_cluster_id", record.host_cluster_id, f"not cross-border: sender and host are both in {host.country}; flagged cross_border = false")
    return {"record": record, "cross_border": cross_border}


def write_exchanges(store: GraphStore, items: list[dict], progress: Progress | None) -> WriteStats:
    records: list[ExchangeRecord] = [i["record"] for i in items]
    participants = {r.participant_id: {"id": r.participant_id, "name": r.participant_name, "kind": r.participant_kind} for r in records}
    stats = upsert_nodes(store, "Organisation", list(participants.values()), keep_missing=True)
    nodes = [
        {"id": r.id, "start": r.start, "end": r.end, "days": r.days, "status": r.status, "topic": r.topic, "cross_border": i["cross_border"], "synthetic": r.synthetic, "source": r.source}
        for r, i in zip(records, items)
    ]
    ids = [r.id for r in records]
    fresh = set(ids) - existing_keys(store, "Exchange", ids)
    stats += upsert_nodes(store, "Exchange", nodes, on_batch=progress)
    stats += _sync(store, "PARTICIPANT", "Exchange", "Organisation", ids, [[r.participant_id] for r in records], fresh)
    stats += _sync(store, "SENT_BY", "Exchange", "Cluster", ids, [[r.sending_cluster_id] for r in records], fresh)
    stats += _sync(store, "HOSTED_BY", "Exchange", "Cluster", ids, [[r.host_cluster_id] for r in records], fresh)
    stats += _sync(store, "UNDER", "Exchange", "Partnership", ids, [[r.partnership_id] if r.partnership_id else [] for r in records], fresh)
    return stats


def check_competence(record: CompetenceRecord, ctx: Context, check: Checker) -> dict | None:
    if record.value_chain:
        stages = ctx.value_chains.get(record.value_chain)
        if stages is None:
            check.error("value_chain", record.value_chain, "no such value chain in the graph or in the files loaded with it")
        elif record.stage and record.stage not in stages:
            check.error("stage", record.stage, f"not a stage of {record.value_chain} (stages: {', '.join(stages)})")
    if record.broader and fold(record.broader) not in ctx.competences and record.broader != record.id:
        check.error("broader", record.broader, "no such competence in the taxonomy or in the files loaded with it")
    if check.failed:
        return None
    ctx.add_competence_terms(record.id, [record.name, *record.aliases])
    broader = ctx.competences[fold(record.broader)] if record.broader else None
    stage_index = ctx.value_chains[record.value_chain].index(record.stage) if record.value_chain and record.stage else None
    return {"record": record, "broader": broader, "stage_index": stage_index}


def write_competences(store: GraphStore, items: list[dict], progress: Progress | None) -> WriteStats:
    records: list[CompetenceRecord] = [i["record"] for i in items]
    nodes = [
        {"id": r.id, "name": r.name, "kind": r.kind, "scheme": r.source or "user", "aliases": r.aliases, "synthetic": r.synthetic, "source": r.source}
        for r in records
    ]
    stats = upsert_nodes(store, "Competence", nodes, on_batch=progress)
    ids = [r.id for r in records]
    stats += _sync(store, "BROADER", "Competence", "Competence", ids, [[i["broader"]] if i["broader"] else [] for i in items])
    stages = []
    for item in items:
        r = item["record"]
        targets = []
        if item["stage_index"] is not None:
            targets = [{"id": r.value_chain, "props": {"stage": r.stage, "stage_index": item["stage_index"]}}]
        stages.append({"anchor": r.id, "targets": targets})
    stats += sync_relationships(store, "IN_STAGE", "Competence", "ValueChain", stages)
    return stats


def check_value_chain(record: ValueChainRecord, ctx: Context, check: Checker) -> dict | None:
    ecosystem_id = ctx.ecosystems.get(fold(record.ecosystem))
    if ecosystem_id is None:
        check.error("ecosystem", record.ecosystem, "not one of the 14 industrial ecosystems (by id, name or alias)")
        return None
    ctx.value_chains[record.id] = record.stages
    return {"record": record, "ecosystem": ecosystem_id}


def write_value_chains(store: GraphStore, items: list[dict], progress: Progress | None) -> WriteStats:
    nodes = [
        {"id": r.id, "name": r.name, "stages": r.stages, "taxonomy_version": r.source or "user", "synthetic": r.synthetic, "source": r.source}
        for r in (i["record"] for i in items)
    ]
    stats = upsert_nodes(store, "ValueChain", nodes, on_batch=progress)
    stats += _sync(store, "PART_OF", "ValueChain", "Ecosystem", [i["record"].id for i in items], [[i["ecosystem"]] for i in items])
    return stats


def _sync(
    store: GraphStore, rel_type: str, anchor_label: str, other_label: str, anchors: list[str], targets: list[list[str]], fresh: set[str] = frozenset()
) -> WriteStats:
    records = [{"anchor": a, "targets": [{"id": t} for t in ts]} for a, ts in zip(anchors, targets)]
    return sync_relationships(store, rel_type, anchor_label, other_label, records, fresh=fresh)


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Record]
    key: str
    check: Callable[[Any, Context, Checker], dict | None]
    write: Callable[[GraphStore, list[dict], Progress | None], WriteStats]


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("value-chains", ValueChainRecord, "id", check_value_chain, write_value_chains),
        Kind("competences", CompetenceRecord, "id", check_competence, write_competences),
        Kind("clusters", ClusterRecord, "id", check_cluster, write_clusters),
        Kind("members", MemberRecord, "organisation_id", check_member, write_members),
        Kind("partnerships", PartnershipRecord, "id", check_partnership, write_partnerships),
        Kind("exchanges", ExchangeRecord, "id", check_exchange, write_exchanges),
    )
}
LOAD_ORDER = tuple(KINDS)  # a directory of files loads in this order: references point backwards


def duplicate_key(kind: Kind, record: Record) -> Any:
    """What must be unique within one load (members: one row per organisation and cluster)."""
    if kind.name == "members":
        return (record.organisation_id, record.cluster_id)
    return getattr(record, kind.key)

