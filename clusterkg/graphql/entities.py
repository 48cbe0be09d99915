"""GraphQL types of the graph's entities: clusters, organisations, partnerships, exchanges, and their connections."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from clusterkg.graphql.changes import Change, HistoryItem, cluster_history, pending_of
from clusterkg.graphql.projects import FrequentPartner, ProjectParticipation, frequent_partners_of, projects_of
from clusterkg.graphql.types import (
    Call,
    Competence,
    CountBy,
    Country,
    Ecosystem,
    PageInfo,
    Region,
    check_page,
    ctx,
    decode_cursor,
    encode_cursor,
    load_country,
    load_region,
    page_info,
)


@strawberry.type
class EccpRegistration:
    profile_id: str | None
    since: dt.date | None


async def _competences(info: Info, label: str, entity_id: str, relation: str) -> list[Competence]:
    found = await ctx(info).loaders.competences(label).load(entity_id)
    return [Competence.from_props(c) for c in found[relation]]


@strawberry.type
class Organisation:
    id: strawberry.ID
    name: str
    kind: str | None
    synthetic: bool
    nuts: strawberry.Private[str | None]
    country_code: strawberry.Private[str | None]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Organisation:
        return cls(
            id=p["id"],
            name=p.get("name") or p["id"],
            kind=p.get("kind"),
            synthetic=bool(p.get("synthetic")),
            nuts=p.get("nuts"),
            country_code=p.get("country"),
        )

    @strawberry.field
    async def region(self, info: Info) -> Region | None:
        return await load_region(info, self.nuts)

    @strawberry.field
    async def offers(self, info: Info) -> list[Competence]:
        return await _competences(info, "Organisation", self.id, "OFFERS")

    @strawberry.field
    async def seeks(self, info: Info) -> list[Competence]:
        return await _competences(info, "Organisation", self.id, "SEEKS")

    @strawberry.field
    async def clusters(self, info: Info) -> list[Cluster]:
        ids = await ctx(info).loaders.clusters_of().load(self.id)
        return [c for c in await load_clusters(info, ids) if c]

    @strawberry.field(description="EU projects (CORDIS) the organisation took part in, newest first.")
    async def projects(self, info: Info, first: int = 20) -> list[ProjectParticipation]:
        return await projects_of(info, "Organisation", self.id, first)

    @strawberry.field(description="Who the organisation worked with most in EU projects (CORDIS).")
    async def frequent_partners(self, info: Info, first: int = 10) -> list[FrequentPartner]:
        return await frequent_partners_of(info, "Organisation", self.id, first)


@strawberry.type
class OrganisationEdge:
    cursor: str
    node: Organisation


@strawberry.type
class OrganisationConnection:
    edges: list[OrganisationEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class Cluster:
    id: strawberry.ID
    name: str
    acronym: str | None
    website: str | None
    city: str | None
    founded: int | None
    members_total: int | None
    sme_members: int | None
    large_members: int | None
    research_members: int | None
    excellence_label: str | None
    description: str | None
    synthetic: bool = strawberry.field(description="True for generated demo data: never a real organisation")
    nuts: strawberry.Private[str | None]
    country_code: strawberry.Private[str | None]
    revision: int = strawberry.field(
        default=0,
        description="Grows by one with each published change; an edit names the revision it was made against.",
    )
    management_fte: float | None = None
    cluster_programme: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Cluster:
        return cls(
            id=p["id"],
            name=p["name"],
            acronym=p.get("acronym"),
            website=p.get("website"),
            city=p.get("city"),
            founded=p.get("founded"),
            members_total=p.get("members_total"),
            sme_members=p.get("sme_members"),
            large_members=p.get("large_members"),
            research_members=p.get("research_members"),
            excellence_label=p.get("excellence_label"),
            description=p.get("description"),
            synthetic=bool(p.get("synthetic")),
            nuts=p.get("nuts"),
            country_code=p.get("country"),
            revision=int(p.get("revision") or 0),
            management_fte=p.get("management_fte"),
            cluster_programme=p.get("cluster_programme"),
            contact_name=p.get("contact_name"),
            contact_email=p.get("contact_email"),
        )

    @strawberry.field(
        description="Every change of the profile, newest first, one item per field: who, when, before, after, status. "
        "Pending and rejected changes are shown to the cluster's editors and the moderators only."
    )
    async def history(self, info: Info, first: int = 20, after: str | None = None) -> list[HistoryItem]:
        return await cluster_history(info, str(self.id), first, after)

    @strawberry.field(
        description="Changes waiting for a moderator (the cluster's editors and the moderators see them; others an empty list)."
    )
    async def pending_changes(self, info: Info) -> list[Change]:
        return await pending_of(info, str(self.id))

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        return await load_country(info, self.country_code)

    @strawberry.field(description="The region the cluster is located in, with its cohesion category.")
    async def region(self, info: Info) -> Region | None:
        return await load_region(info, self.nuts)

    @strawberry.field
    async def ecosystems(self, info: Info) -> list[Ecosystem]:
        return [Ecosystem.from_props(e) for e in await ctx(info).loaders.ecosystems().load(self.id)]

    @strawberry.field
    async def offers(self, info: Info) -> list[Competence]:
        return await _competences(info, "Cluster", self.id, "OFFERS")

    @strawberry.field
    async def seeks(self, info: Info) -> list[Competence]:
        return await _competences(info, "Cluster", self.id, "SEEKS")

    @strawberry.field(
        description="How many member organisations of each kind (sme, large, research, university, public, other)."
    )
    async def member_kinds(self, info: Info) -> list[CountBy]:
        rows = await ctx(info).loaders.grouped("member_kinds").load(self.id)
        return [CountBy.of("kind", r["kind"], r["count"]) for r in rows]

    @strawberry.field(description="Member organisations, ordered by id.")
    async def members(self, info: Info, first: int = 20, after: str | None = None) -> OrganisationConnection:
        check_page(info, first)
        offset = decode_cursor(after)
        total, page = await ctx(info).loaders.members(offset, first).load(self.id)
        found = await ctx(info).loaders.entity("Organisation").load_many(page)
        edges = [
            OrganisationEdge(cursor=encode_cursor(offset + n), node=Organisation.from_props(p))
            for n, p in enumerate(found)
            if p
        ]
        return OrganisationConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)

    @strawberry.field
    async def partnerships(self, info: Info) -> list[Partnership]:
        links = await ctx(info).loaders.partnerships_of().load(self.id)
        found = await ctx(info).loaders.entity("Partnership").load_many([link["partnership_id"] for link in links])
        return [Partnership.from_props(p) for p in found if p]

    async def _exchanges(self, info: Info, relation: str) -> list[Exchange]:
        links = await ctx(info).loaders.exchanges_of().load(self.id)
        found = (
            await ctx(info)
            .loaders.entity("Exchange")
            .load_many([link["exchange_id"] for link in links if link["relation"] == relation])
        )
        return [Exchange.from_props(p) for p in found if p]

    @strawberry.field
    async def sent_exchanges(self, info: Info) -> list[Exchange]:
        return await self._exchanges(info, "SENT_BY")

    @strawberry.field
    async def hosted_exchanges(self, info: Info) -> list[Exchange]:
        return await self._exchanges(info, "HOSTED_BY")

    @strawberry.field(description="EU projects (CORDIS) of the cluster and of its members, newest first.")
    async def projects(self, info: Info, first: int = 20) -> list[ProjectParticipation]:
        return await projects_of(info, "Cluster", self.id, first)

    @strawberry.field(
        description="Who the cluster worked with most in EU projects (CORDIS): other clusters (through the clusters or their members) and organisations."
    )
    async def frequent_partners(self, info: Info, first: int = 10) -> list[FrequentPartner]:
        return await frequent_partners_of(info, "Cluster", self.id, first)

    @strawberry.field(description="The ECCP profile, if the cluster is registered.")
    async def eccp_registration(self, info: Info) -> EccpRegistration | None:
        found = await ctx(info).loaders.registration().load(self.id)
        return EccpRegistration(profile_id=found["profile_id"], since=found["since"]) if found else None


async def load_clusters(info: Info, ids: list[str]) -> list[Cluster | None]:
    found = await ctx(info).loaders.entity("Cluster").load_many(ids)
    return [Cluster.from_props(p) if p else None for p in found]


@strawberry.type
class ClusterEdge:
    cursor: str
    node: Cluster


@strawberry.type
class ClusterConnection:
    edges: list[ClusterEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class PartnershipMember:
    role: str
    cluster: Cluster


@strawberry.type(description="A European Strategic Cluster Partnership, Eurocluster or other partnership.")
class Partnership:
    id: strawberry.ID
    name: str
    acronym: str | None
    kind: str | None
    start: dt.date | None
    end: dt.date | None
    eu_grant_eur: float | None
    synthetic: bool

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Partnership:
        return cls(
            id=p["id"],
            name=p["name"],
            acronym=p.get("acronym"),
            kind=p.get("kind"),
            start=p.get("start"),
            end=p.get("end"),
            eu_grant_eur=p.get("eu_grant_eur"),
            synthetic=bool(p.get("synthetic")),
        )

    @strawberry.field(description="Member clusters, coordinator first.")
    async def members(self, info: Info) -> list[PartnershipMember]:
        links = await ctx(info).loaders.partnership_members().load(self.id)
        clusters = await load_clusters(info, [link["cluster_id"] for link in links])
        return [PartnershipMember(role=link["role"] or "partner", cluster=c) for link, c in zip(links, clusters) if c]

    @strawberry.field
    async def call(self, info: Info) -> Call | None:
        links = await ctx(info).loaders.partnership_members().load(self.id)
        call_id = next((link["call_id"] for link in links if link["call_id"]), None)
        found = await ctx(info).loaders.entity("Call").load(call_id) if call_id else None
        return Call.from_props(found) if found else None


@strawberry.type(description="A ClusterXchange short-term exchange.")
class Exchange:
    id: strawberry.ID
    start: dt.date | None
    end: dt.date | None
    days: int | None
    status: str | None
    topic: str | None
    cross_border: bool | None
    synthetic: bool

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Exchange:
        return cls(
            id=p["id"],
            start=p.get("start"),
            end=p.get("end"),
            days=p.get("days"),
            status=p.get("status"),
            topic=p.get("topic"),
            cross_border=p.get("cross_border"),
            synthetic=bool(p.get("synthetic")),
        )

    async def _link(self, info: Info) -> dict[str, Any]:
        return await ctx(info).loaders.exchange_links().load(self.id) or {}

    @strawberry.field
    async def participant(self, info: Info) -> Organisation | None:
        link = await self._link(info)
        found = (
            await ctx(info).loaders.entity("Organisation").load(link["participant_id"])
            if link.get("participant_id")
            else None
        )
        return Organisation.from_props(found) if found else None

    @strawberry.field
    async def sender(self, info: Info) -> Cluster | None:
        link = await self._link(info)
        return (await load_clusters(info, [link["sender_id"]]))[0] if link.get("sender_id") else None

    @strawberry.field
    async def host(self, info: Info) -> Cluster | None:
        link = await self._link(info)
        return (await load_clusters(info, [link["host_id"]]))[0] if link.get("host_id") else None

    @strawberry.field
    async def partnership(self, info: Info) -> Partnership | None:
        link = await self._link(info)
        found = (
            await ctx(info).loaders.entity("Partnership").load(link["partnership_id"])
            if link.get("partnership_id")
            else None
        )
        return Partnership.from_props(found) if found else None


# -- partner search -------------------------------------------------------------------

Partner = Annotated[Cluster | Organisation, strawberry.union("Partner", description="A cluster or an organisation.")]


SearchItem = Annotated[Cluster | Organisation | Region | Competence, strawberry.union("SearchItem")]


@strawberry.type
class SearchHit:
    score: float
    item: SearchItem
