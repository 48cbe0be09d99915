"""Cluster-level file kinds: what each checks against the graph, and what it writes.

`check_*` validates one record against the context (the graph plus the rows
loaded with it) and returns the item to write; `plan_*` turns a kind's items
into a WritePlan: MERGE nodes on keys and *sync* relationships (exactly the
listed ones remain), so re-loading a changed profile removes what it no
longer says and re-loading the same file changes nothing.

What a cell means (docs/formats.md, "Updates"): a column the file has is the
truth, so an empty cell clears that property, or removes the relationships
that column lists; a column the file does not have leaves the graph as it is.
Each load's report counts what it clears and removes, and `--dry-run` shows it
before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clusterkg.loaders.context import COUNTRY_SYNONYMS, Context, Place, locate, resolve_competences
from clusterkg.loaders.plan import WritePlan
from clusterkg.loaders.records import (
    ClusterRecord,
    ExchangeRecord,
    MemberRecord,
    PartnershipRecord,
)
from clusterkg.validation import Checker, fold

ALWAYS = ("synthetic",)  # written whatever the header: a row is synthetic or it is not


def given(item: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The properties whose column the item's file has (plus those always written)."""
    columns = item["columns"]
    return {k: v for k, v in values.items() if k in columns or k in ALWAYS}


def has(item: dict[str, Any], *columns: str) -> bool:
    return any(c in item["columns"] for c in columns)


def by_anchor(
    items: list[dict[str, Any]],
    anchor: Callable[[dict[str, Any]], str],
    column: str,
    targets: Callable[[dict[str, Any]], list[str]],
) -> dict[str, list[str]]:
    return {anchor(i): targets(i) for i in items if has(i, column)}


# -- clusters ---------------------------------------------------------------------


def check_cluster(record: ClusterRecord, ctx: Context, check: Checker, columns: set[str]) -> dict[str, Any] | None:
    place, located_by = locate(record.nuts, record.country, record.postcode, ctx, check)
    if place and record.country and COUNTRY_SYNONYMS.get(record.country, record.country) != place.country:
        check.error(
            "country",
            record.country,
            f"does not match the country of NUTS code {place.nuts or record.nuts} ({place.country})",
        )
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
    known = ctx.clusters.get(record.id)
    # Edits win over a load (README: "Loads and edits"): a field edited on clusterkg is kept, and said so, unless
    # the load says --overwrite-edits; a file with an edited_fields column (an export) is taken as it is.
    file_columns, edited_fields = columns | {"name"}, list(record.edited_fields)
    if "edited_fields" not in columns:
        edited = set(ctx.edited.get(record.id, ()))
        if ctx.overwrite_edits:
            edited_fields = sorted(edited - file_columns)
            file_columns = file_columns | {"edited_fields"}
        else:
            for name in sorted(edited & file_columns):
                check.warn(
                    name,
                    getattr(record, name, None),
                    "edited on clusterkg since: the edit is kept (--overwrite-edits replaces it)",
                )
            file_columns = file_columns - edited
    kept = known.ecosystems if known is not None and "ecosystems" not in file_columns else tuple(ecosystems)
    ctx.clusters[record.id] = Place(place.nuts, place.country, place.category, kept)  # members inherit the ecosystems
    return {
        "record": record,
        "place": place,
        "located_by": located_by,
        "ecosystems": ecosystems,
        "offers": offers,
        "seeks": seeks,
        "columns": file_columns,
        "edited_fields": edited_fields,
    }


def plan_clusters(items: list[dict[str, Any]]) -> WritePlan:
    plan = WritePlan("clusters")
    rows = []
    for item in items:
        r: ClusterRecord = item["record"]
        place: Place = item["place"]
        optional = {
            "acronym": r.acronym,
            "website": r.website,
            "city": r.city,
            "founded": r.founded,
            "members_total": r.members_total,
            "sme_members": r.sme_members,
            "large_members": r.large_members,
            "research_members": r.research_members,
            "excellence_label": r.excellence_label,
            "description": r.description,
            "ecosystems": item["ecosystems"],
            "synthetic": r.synthetic,
            "source": r.source,
            "postcode": r.postcode,
            "management_fte": r.management_fte,
            "cluster_programme": r.cluster_programme,
            "contact_name": r.contact_name,
            "contact_email": r.contact_email,
            "revision": r.revision,
            "edited_fields": item["edited_fields"] or None,
        }
        named = {"name": r.name} if "name" in item["columns"] else {}
        rows.append(
            {
                "id": r.id,
                **named,
                "nuts": place.nuts or place.country,
                "country": place.country,
                "category": place.category,
                "nuts_source": item["located_by"],
                **given(item, optional),
            }
        )
    plan.nodes("Cluster", rows)

    def cluster_id(item: dict[str, Any]) -> str:
        return str(item["record"].id)

    plan.sync_ids(
        "LOCATED_IN", "Cluster", "Region", {cluster_id(i): [i["place"].nuts] if i["place"].nuts else [] for i in items}
    )
    plan.sync_ids(
        "ACTIVE_IN", "Cluster", "Ecosystem", by_anchor(items, cluster_id, "ecosystems", lambda i: i["ecosystems"])
    )
    plan.sync_ids("OFFERS", "Cluster", "Competence", by_anchor(items, cluster_id, "offers", lambda i: i["offers"]))
    plan.sync_ids("SEEKS", "Cluster", "Competence", by_anchor(items, cluster_id, "seeks", lambda i: i["seeks"]))
    labels = by_anchor(
        items,
        cluster_id,
        "excellence_label",
        lambda i: [i["record"].excellence_label] if i["record"].excellence_label else [],
    )
    plan.sync_ids("HOLDS_LABEL", "Cluster", "ExcellenceLabel", labels)
    registrations = []
    for item in items:
        if not has(item, "eccp_profile_id", "eccp_registered_since"):
            continue
        r = item["record"]
        props = {"profile_id": r.eccp_profile_id, "since": r.eccp_registered_since}
        registered = r.eccp_profile_id or r.eccp_registered_since
        registrations.append({"anchor": r.id, "targets": [{"id": "eccp", "props": props}] if registered else []})
    plan.sync("REGISTERED_ON", "Cluster", "Platform", registrations)
    return plan


# -- members ------------------------------------------------------------------------


def check_member(record: MemberRecord, ctx: Context, check: Checker, columns: set[str]) -> dict[str, Any] | None:
    cluster = ctx.clusters.get(record.cluster_id)
    if cluster is None:
        check.error("cluster_id", record.cluster_id, "no such cluster in the graph or in the files loaded with it")
    own = bool(record.nuts or record.postcode)
    place, located_by = locate(record.nuts, record.country, record.postcode, ctx, check) if own else (cluster, None)
    offers = resolve_competences(record.offers, ctx, check, "offers")
    seeks = resolve_competences(record.seeks, ctx, check, "seeks")
    if check.failed:
        return None
    assert cluster is not None  # a missing cluster failed the check above
    ctx.add_organisation(record.organisation_id)
    return {
        "record": record,
        "place": place,
        "own_place": own,
        "located_by": located_by,
        "offers": offers,
        "seeks": seeks,
        "ecosystems": cluster.ecosystems,
    }


def plan_members(items: list[dict[str, Any]]) -> WritePlan:
    # One organisation may be listed under several clusters: merge its rows.
    by_org: dict[str, dict[str, Any]] = {}
    for item in items:
        r: MemberRecord = item["record"]
        merged = by_org.setdefault(
            r.organisation_id,
            {
                "record": r,
                "place": item["place"],
                "own_place": item["own_place"],
                "located_by": item["located_by"],
                "clusters": [],
                "offers": [],
                "seeks": [],
                "ecosystems": set(),
                "columns": set(),
            },
        )
        if item["own_place"] and not merged["own_place"]:
            merged.update(place=item["place"], own_place=True, located_by=item["located_by"])
        for key, values in (("clusters", [r.cluster_id]), ("offers", item["offers"]), ("seeks", item["seeks"])):
            merged[key].extend(v for v in values if v not in merged[key])
        merged["ecosystems"].update(item["ecosystems"])
        merged["columns"] |= item["columns"]
    orgs = list(by_org.values())
    rows = []
    for o in orgs:
        r = o["record"]
        place = o["place"]
        rows.append(
            {
                "id": r.organisation_id,
                "name": r.name,
                "kind": r.kind,
                "nuts": place.nuts if o["own_place"] and place else None,
                "country": place.country if place else None,
                "category": place.category if place else None,
                "nuts_source": o["located_by"] if o["own_place"] else None,
                "ecosystems": sorted(o["ecosystems"]),
                **given(o, {"synthetic": r.synthetic, "source": r.source, "postcode": r.postcode}),
            }
        )
    plan = WritePlan("members")
    plan.nodes("Organisation", rows)

    def org_id(item: dict[str, Any]) -> str:
        return str(item["record"].organisation_id)

    plan.sync_ids("MEMBER_OF", "Organisation", "Cluster", {org_id(o): o["clusters"] for o in orgs})
    plan.sync_ids("OFFERS", "Organisation", "Competence", by_anchor(orgs, org_id, "offers", lambda o: o["offers"]))
    plan.sync_ids("SEEKS", "Organisation", "Competence", by_anchor(orgs, org_id, "seeks", lambda o: o["seeks"]))
    located = {org_id(o): [o["place"].nuts] if o["own_place"] and o["place"].nuts else [] for o in orgs}
    plan.sync_ids("LOCATED_IN", "Organisation", "Region", located)
    return plan


# -- partnerships ---------------------------------------------------------------------


def check_partnership(
    record: PartnershipRecord, ctx: Context, check: Checker, columns: set[str]
) -> dict[str, Any] | None:
    if record.call and record.call not in ctx.calls:
        check.error("call", record.call, "no such call in the graph (load reference first, or leave empty)")
    members = list(
        dict.fromkeys(
            ([record.coordinator_cluster_id] if record.coordinator_cluster_id else []) + record.partner_cluster_ids
        )
    )
    for cluster_id in members:
        if cluster_id not in ctx.clusters:
            field_name = (
                "coordinator_cluster_id" if cluster_id == record.coordinator_cluster_id else "partner_cluster_ids"
            )
            check.error(field_name, cluster_id, "no such cluster in the graph or in the files loaded with it")
    if not members:
        check.error("partner_cluster_ids", None, "a partnership needs at least one cluster")
    if check.failed:
        return None
    countries = {ctx.clusters[c].country for c in members}
    if len(countries) < 2:
        check.warn(
            "partner_cluster_ids",
            ";".join(members),
            "all partners are in one country; partnerships are normally transnational",
        )
    ctx.partnerships.add(record.id)
    return {"record": record, "members": members}


def plan_partnerships(items: list[dict[str, Any]]) -> WritePlan:
    plan = WritePlan("partnerships")
    rows = []
    for item in items:
        r: PartnershipRecord = item["record"]
        optional = {
            "acronym": r.acronym,
            "start": r.start,
            "end": r.end,
            "eu_grant_eur": r.eu_grant_eur,
            "synthetic": r.synthetic,
            "source": r.source,
        }
        rows.append({"id": r.id, "name": r.name, "kind": r.kind, **given(item, optional)})
    plan.nodes("Partnership", rows)
    partnership_id = lambda i: i["record"].id  # noqa: E731
    plan.sync_ids(
        "FUNDED_BY",
        "Partnership",
        "Call",
        by_anchor(items, partnership_id, "call", lambda i: [i["record"].call] if i["record"].call else []),
    )
    partners = [
        {
            "anchor": i["record"].id,
            "targets": [
                {"id": c, "props": {"role": "coordinator" if c == i["record"].coordinator_cluster_id else "partner"}}
                for c in i["members"]
            ],
        }
        for i in items
    ]
    plan.sync("PARTNER_IN", "Partnership", "Cluster", partners, outgoing=False)
    return plan


# -- exchanges ----------------------------------------------------------------------------


def check_exchange(record: ExchangeRecord, ctx: Context, check: Checker, columns: set[str]) -> dict[str, Any] | None:
    sender, host = ctx.clusters.get(record.sending_cluster_id), ctx.clusters.get(record.host_cluster_id)
    if sender is None:
        check.error(
            "sending_cluster_id",
            record.sending_cluster_id,
            "no such cluster in the graph or in the files loaded with it",
        )
    if host is None:
        check.error(
            "host_cluster_id", record.host_cluster_id, "no such cluster in the graph or in the files loaded with it"
        )
    if record.partnership_id and record.partnership_id not in ctx.partnerships:
        check.error(
            "partnership_id", record.partnership_id, "no such partnership in the graph or in the files loaded with it"
        )
    if check.failed:
        return None
    assert sender is not None and host is not None  # a missing one failed the check above
    ctx.add_organisation(record.participant_id)  # the exchange creates it if the graph lacks it
    cross_border = sender.country != host.country
    if not cross_border:
        check.warn(
            "host_cluster_id",
            record.host_cluster_id,
            f"not cross-border: sender and host are both in {host.country}; flagged cross_border = false",
        )
    return {"record": record, "cross_border": cross_border}


def plan_exchanges(items: list[dict[str, Any]]) -> WritePlan:
    records: list[ExchangeRecord] = [i["record"] for i in items]
    plan = WritePlan("exchanges")
    # Participants named here only by id must not lose what a members file said of them.
    participants = {
        r.participant_id: {"id": r.participant_id, "name": r.participant_name, "kind": r.participant_kind}
        for r in records
    }
    plan.nodes("Organisation", list(participants.values()), keep_missing=True)
    rows = []
    for r, item in zip(records, items):
        optional = {"topic": r.topic, "synthetic": r.synthetic, "source": r.source}
        rows.append(
            {
                "id": r.id,
                "start": r.start,
                "end": r.end,
                "days": r.days,
                "status": r.status,
                "cross_border": item["cross_border"],
                **given(item, optional),
            }
        )
    plan.nodes("Exchange", rows)
    plan.sync_ids("PARTICIPANT", "Exchange", "Organisation", {r.id: [r.participant_id] for r in records})
    plan.sync_ids("SENT_BY", "Exchange", "Cluster", {r.id: [r.sending_cluster_id] for r in records})
    plan.sync_ids("HOSTED_BY", "Exchange", "Cluster", {r.id: [r.host_cluster_id] for r in records})
    under = by_anchor(
        items,
        lambda i: i["record"].id,
        "partnership_id",
        lambda i: [i["record"].partnership_id] if i["record"].partnership_id else [],
    )
    plan.sync_ids("UNDER", "Exchange", "Partnership", under)
    return plan
