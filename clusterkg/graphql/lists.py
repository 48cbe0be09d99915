"""Connections with `where` and `sort` for the lists, and an `aggregate` per type: thin over clusterkg.queries.where.

Every list is a Relay connection (edges, pageInfo, totalCount); the plain lists stay for
compatibility, deprecated with the name of their connection.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from clusterkg.graphql.entities import Exchange, Organisation, OrganisationConnection, OrganisationEdge, Partnership
from clusterkg.graphql.types import PageInfo, Region, check_page, ctx, decode_cursor, encode_cursor, page_info
from clusterkg.graphql.where_types import (
    ClusterWhere,
    ExchangeSort,
    ExchangeWhere,
    OrganisationSort,
    OrganisationWhere,
    PartnershipSort,
    PartnershipWhere,
    ProjectSort,
    ProjectWhere,
    RegionSort,
    RegionWhere,
    plain,
)
from clusterkg.queries.where import compile_aggregate, compile_page


async def page_ids(
    info: Info, type_name: str, where: Any, sort: list[Any] | None, first: int, after: str | None
) -> tuple[int, list[str], int]:
    """(total, the page's keys, its offset) of the nodes matching `where` in the order of `sort`."""
    check_page(info, first)
    offset = decode_cursor(after)
    compiled = compile_page(type_name, plain(where) if where is not None else None, plain(sort) if sort else None)
    context = ctx(info)
    params = {**compiled.params, "skip": offset, "limit": first}
    rows = await context.call(
        lambda: context.store.read(compiled.text, params, timeout_ms=context.settings.timeout_ms).rows
    )
    return int(rows[0]["total"]), list(rows[0]["page"]), offset


@strawberry.type
class RegionEdge:
    cursor: str
    node: Region


@strawberry.type
class RegionConnection:
    edges: list[RegionEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class PartnershipEdge:
    cursor: str
    node: Partnership


@strawberry.type
class PartnershipConnection:
    edges: list[PartnershipEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class ExchangeEdge:
    cursor: str
    node: Exchange


@strawberry.type
class ExchangeConnection:
    edges: list[ExchangeEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type(description="An EU research and innovation project, as CORDIS records it.")
class Project:
    id: strawberry.ID
    acronym: str | None
    title: str | None
    programme: str | None
    status: str | None
    start: dt.date | None
    end: dt.date | None
    total_cost: float | None
    ec_contribution: float | None

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Project:
        return cls(
            id=strawberry.ID(p["id"]),
            acronym=p.get("acronym"),
            title=p.get("title"),
            programme=p.get("programme"),
            status=p.get("status"),
            start=p.get("start"),
            end=p.get("end"),
            total_cost=p.get("total_cost"),
            ec_contribution=p.get("ec_contribution"),
        )


@strawberry.type
class ProjectEdge:
    cursor: str
    node: Project


@strawberry.type
class ProjectConnection:
    edges: list[ProjectEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type(description="min, max and average of one numeric field over the nodes that match.")
class NumberStats:
    field: str
    min: float | None
    max: float | None
    avg: float | None


@strawberry.type
class FacetCount:
    value: str | None
    count: int


@strawberry.type(
    description="Figures over the nodes matching a `where`: how many, numeric fields' statistics, counts by a facet."
)
class Aggregate:
    count: int
    numbers: list[NumberStats]
    type_name: strawberry.Private[str]
    where: strawberry.Private[dict[str, Any] | None]

    @strawberry.field(
        description="Counts by one facet (clusters: country, category, excellenceLabel; organisations: kind, country, category; regions: country, category, level; partnerships: kind; exchanges: status)."
    )
    async def count_by(self, info: Info, facet: str) -> list[FacetCount]:
        compiled = compile_aggregate(self.type_name, self.where, facet)
        context = ctx(info)
        rows = await context.call(
            lambda: context.store.read(compiled.text, compiled.params, timeout_ms=context.settings.timeout_ms).rows
        )
        return [FacetCount(value=r["value"], count=int(r["count"])) for r in rows]


async def aggregate(info: Info, type_name: str, where: Any) -> Aggregate:
    given = plain(where) if where is not None else None
    compiled = compile_aggregate(type_name, given, None)
    context = ctx(info)
    row = (
        await context.call(
            lambda: context.store.read(compiled.text, compiled.params, timeout_ms=context.settings.timeout_ms).rows
        )
    )[0]
    names = sorted({k.split("_", 1)[1] for k in row if k.startswith("min_")})
    numbers = [
        NumberStats(
            field=name,
            min=None if row[f"min_{name}"] is None else float(row[f"min_{name}"]),
            max=None if row[f"max_{name}"] is None else float(row[f"max_{name}"]),
            avg=None if row[f"avg_{name}"] is None else float(row[f"avg_{name}"]),
        )
        for name in names
    ]
    return Aggregate(count=int(row["count"]), numbers=numbers, type_name=type_name, where=given)


@strawberry.type
class ListQuery:
    @strawberry.field(description="Organisations matching `where`, in the order of `sort` (Relay connection).")
    async def organisations(
        self,
        info: Info,
        where: OrganisationWhere | None = None,
        sort: list[OrganisationSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> OrganisationConnection:
        total, ids, offset = await page_ids(info, "Organisation", where, sort, first, after)
        found = await ctx(info).loaders.entity("Organisation").load_many(ids)
        edges = [
            OrganisationEdge(cursor=encode_cursor(offset + n), node=Organisation.from_props(p))
            for n, p in enumerate(found)
            if p
        ]
        return OrganisationConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)

    @strawberry.field(description="Regions matching `where`, in the order of `sort` (Relay connection).")
    async def regions_connection(
        self,
        info: Info,
        where: RegionWhere | None = None,
        sort: list[RegionSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> RegionConnection:
        total, ids, offset = await page_ids(info, "Region", where, sort, first, after)
        found = await ctx(info).loaders.region().load_many(ids)
        edges = [
            RegionEdge(cursor=encode_cursor(offset + n), node=Region.from_props(p)) for n, p in enumerate(found) if p
        ]
        return RegionConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)

    @strawberry.field(description="Partnerships matching `where`, in the order of `sort` (Relay connection).")
    async def partnerships_connection(
        self,
        info: Info,
        where: PartnershipWhere | None = None,
        sort: list[PartnershipSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> PartnershipConnection:
        total, ids, offset = await page_ids(info, "Partnership", where, sort, first, after)
        found = await ctx(info).loaders.entity("Partnership").load_many(ids)
        edges = [
            PartnershipEdge(cursor=encode_cursor(offset + n), node=Partnership.from_props(p))
            for n, p in enumerate(found)
            if p
        ]
        return PartnershipConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)

    @strawberry.field(description="Exchanges matching `where`, in the order of `sort` (Relay connection).")
    async def exchanges_connection(
        self,
        info: Info,
        where: ExchangeWhere | None = None,
        sort: list[ExchangeSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> ExchangeConnection:
        total, ids, offset = await page_ids(info, "Exchange", where, sort, first, after)
        found = await ctx(info).loaders.entity("Exchange").load_many(ids)
        edges = [
            ExchangeEdge(cursor=encode_cursor(offset + n), node=Exchange.from_props(p))
            for n, p in enumerate(found)
            if p
        ]
        return ExchangeConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)

    @strawberry.field(description="EU projects (CORDIS) matching `where`, in the order of `sort` (Relay connection).")
    async def projects_connection(
        self,
        info: Info,
        where: ProjectWhere | None = None,
        sort: list[ProjectSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> ProjectConnection:
        total, ids, offset = await page_ids(info, "Project", where, sort, first, after)
        found = await ctx(info).loaders.entity("Project").load_many(ids)
        edges = [
            ProjectEdge(cursor=encode_cursor(offset + n), node=Project.from_props(p)) for n, p in enumerate(found) if p
        ]
        return ProjectConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)

    @strawberry.field(description="Figures over the EU projects matching `where`.")
    async def projects_aggregate(self, info: Info, where: ProjectWhere | None = None) -> Aggregate:
        return await aggregate(info, "Project", where)

    @strawberry.field(description="Figures over the clusters matching `where`.")
    async def clusters_aggregate(self, info: Info, where: ClusterWhere | None = None) -> Aggregate:
        return await aggregate(info, "Cluster", where)

    @strawberry.field(description="Figures over the organisations matching `where`.")
    async def organisations_aggregate(self, info: Info, where: OrganisationWhere | None = None) -> Aggregate:
        return await aggregate(info, "Organisation", where)

    @strawberry.field(description="Figures over the regions matching `where`.")
    async def regions_aggregate(self, info: Info, where: RegionWhere | None = None) -> Aggregate:
        return await aggregate(info, "Region", where)

    @strawberry.field(description="Figures over the partnerships matching `where`.")
    async def partnerships_aggregate(self, info: Info, where: PartnershipWhere | None = None) -> Aggregate:
        return await aggregate(info, "Partnership", where)

    @strawberry.field(description="Figures over the exchanges matching `where`.")
    async def exchanges_aggregate(self, info: Info, where: ExchangeWhere | None = None) -> Aggregate:
        return await aggregate(info, "Exchange", where)
