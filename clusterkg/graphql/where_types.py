"""Typed filters and sorts for the lists (`where`, `sort`): the inputs front-ends compose, compiled by
clusterkg.queries.where into one parameterised query.

    clusters(first: 20, where: {OR: [{region: {category: {eq: LESS_DEVELOPED}}}, {country: {eq: "DE"}}]},
             sort: [{members: DESC}]) { totalCount edges { node { id } } }
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

import strawberry

from clusterkg.graphql.types import RegionCategory


@strawberry.enum(description="A sort direction.")
class SortDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Text: equal, one of, contains (case-insensitive words, no patterns), starts with.")
class StringFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    contains: str | None = None
    starts_with: str | None = None


@strawberry.input
class IntFilter:
    eq: int | None = None
    in_: list[int] | None = strawberry.field(default=None, name="in")
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None


@strawberry.input
class FloatFilter:
    eq: float | None = None
    in_: list[float] | None = strawberry.field(default=None, name="in")
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None


@strawberry.input
class DateFilter:
    eq: dt.date | None = None
    gt: dt.date | None = None
    gte: dt.date | None = None
    lt: dt.date | None = None
    lte: dt.date | None = None


@strawberry.input
class BooleanFilter:
    eq: bool | None = None


@strawberry.input
class CategoryFilter:
    eq: RegionCategory | None = None
    in_: list[RegionCategory] | None = strawberry.field(default=None, name="in")


@strawberry.input(description="Where a cluster or organisation is: its region's cohesion category, NUTS code, country.")
class PlaceWhere:
    category: CategoryFilter | None = None
    nuts: StringFilter | None = None
    country: StringFilter | None = None


@strawberry.input
class CompetenceWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None
    kind: StringFilter | None = None


@strawberry.input
class CompetenceListFilter:
    some: CompetenceWhere | None = None
    none: CompetenceWhere | None = None


@strawberry.input
class EcosystemWhere:
    id: StringFilter | None = None
    name: StringFilter | None = None


@strawberry.input
class EcosystemListFilter:
    some: EcosystemWhere | None = None
    none: EcosystemWhere | None = None


@strawberry.input(description="EU projects (CORDIS): fields, and their participants (some / none).")
class ProjectWhere:
    AND: list[ProjectWhere] | None = None
    OR: list[ProjectWhere] | None = None
    NOT: ProjectWhere | None = None
    id: StringFilter | None = None
    acronym: StringFilter | None = None
    title: StringFilter | None = None
    programme: StringFilter | None = None
    status: StringFilter | None = None
    start: DateFilter | None = None
    end: DateFilter | None = None
    total_cost: FloatFilter | None = None
    ec_contribution: FloatFilter | None = None
    participants: OrganisationListFilter | None = None


@strawberry.input
class ProjectListFilter:
    some: ProjectWhere | None = None
    none: ProjectWhere | None = None


@strawberry.input
class PostingWhere:
    id: StringFilter | None = None
    kind: StringFilter | None = None
    status: StringFilter | None = None
    title: StringFilter | None = None
    deadline: StringFilter | None = None


@strawberry.input
class PostingListFilter:
    some: PostingWhere | None = None
    none: PostingWhere | None = None


@strawberry.input(description="Clusters: fields, their region, and their related nodes (some / none).")
class ClusterWhere:
    AND: list[ClusterWhere] | None = None
    OR: list[ClusterWhere] | None = None
    NOT: ClusterWhere | None = None
    id: StringFilter | None = None
    name: StringFilter | None = None
    acronym: StringFilter | None = None
    country: StringFilter | None = None
    nuts: StringFilter | None = None
    city: StringFilter | None = None
    excellence_label: StringFilter | None = None
    founded: IntFilter | None = None
    members_total: IntFilter | None = None
    sme_members: IntFilter | None = None
    management_fte: FloatFilter | None = None
    synthetic: BooleanFilter | None = None
    region: PlaceWhere | None = None
    members: OrganisationListFilter | None = None
    partnerships: PartnershipListFilter | None = None
    offers: CompetenceListFilter | None = None
    seeks: CompetenceListFilter | None = None
    ecosystems: EcosystemListFilter | None = None
    postings: PostingListFilter | None = None


@strawberry.input
class ClusterListFilter:
    some: ClusterWhere | None = None
    none: ClusterWhere | None = None


@strawberry.input(description="Organisations: fields, their region, their clusters, projects and offers (some / none).")
class OrganisationWhere:
    AND: list[OrganisationWhere] | None = None
    OR: list[OrganisationWhere] | None = None
    NOT: OrganisationWhere | None = None
    id: StringFilter | None = None
    name: StringFilter | None = None
    kind: StringFilter | None = None
    country: StringFilter | None = None
    nuts: StringFilter | None = None
    synthetic: BooleanFilter | None = None
    region: PlaceWhere | None = None
    clusters: ClusterListFilter | None = None
    projects: ProjectListFilter | None = None
    offers: CompetenceListFilter | None = None


@strawberry.input
class OrganisationListFilter:
    some: OrganisationWhere | None = None
    none: OrganisationWhere | None = None


@strawberry.input
class PartnershipWhere:
    AND: list[PartnershipWhere] | None = None
    OR: list[PartnershipWhere] | None = None
    NOT: PartnershipWhere | None = None
    id: StringFilter | None = None
    name: StringFilter | None = None
    acronym: StringFilter | None = None
    kind: StringFilter | None = None
    start: DateFilter | None = None
    end: DateFilter | None = None
    eu_grant_eur: FloatFilter | None = None
    partners: ClusterListFilter | None = None


@strawberry.input
class PartnershipListFilter:
    some: PartnershipWhere | None = None
    none: PartnershipWhere | None = None


@strawberry.input
class RegionWhere:
    AND: list[RegionWhere] | None = None
    OR: list[RegionWhere] | None = None
    NOT: RegionWhere | None = None
    nuts: StringFilter | None = None
    name: StringFilter | None = None
    level: IntFilter | None = None
    country: StringFilter | None = None
    category: CategoryFilter | None = None
    clusters: ClusterListFilter | None = None


@strawberry.input
class ExchangeWhere:
    AND: list[ExchangeWhere] | None = None
    OR: list[ExchangeWhere] | None = None
    NOT: ExchangeWhere | None = None
    id: StringFilter | None = None
    status: StringFilter | None = None
    start: DateFilter | None = None
    end: DateFilter | None = None
    days: IntFilter | None = None
    topic: StringFilter | None = None
    call_id: StringFilter | None = None
    sender: ClusterListFilter | None = None
    host: ClusterListFilter | None = None
    participant: OrganisationListFilter | None = None


@strawberry.input(description="One sort key per item: a field or a count of related nodes; nulls last, then by id.")
class ClusterSort:
    name: SortDirection | None = None
    founded: SortDirection | None = None
    members_total: SortDirection | None = None
    members: SortDirection | None = strawberry.field(default=None, description="How many member organisations")
    partnerships: SortDirection | None = None
    exchanges: SortDirection | None = strawberry.field(default=None, description="Exchanges sent or hosted")
    projects: SortDirection | None = None


@strawberry.input
class OrganisationSort:
    name: SortDirection | None = None
    clusters: SortDirection | None = None
    projects: SortDirection | None = None
    partners: SortDirection | None = strawberry.field(default=None, description="Organisations worked with (CORDIS)")


@strawberry.input
class RegionSort:
    nuts: SortDirection | None = None
    name: SortDirection | None = None
    level: SortDirection | None = None
    clusters: SortDirection | None = None


@strawberry.input
class PartnershipSort:
    name: SortDirection | None = None
    start: SortDirection | None = None
    eu_grant_eur: SortDirection | None = None
    partners: SortDirection | None = None
    exchanges: SortDirection | None = None


@strawberry.input
class ProjectSort:
    start: SortDirection | None = None
    acronym: SortDirection | None = None
    ec_contribution: SortDirection | None = None
    participants: SortDirection | None = None


@strawberry.input
class ExchangeSort:
    start: SortDirection | None = None
    days: SortDirection | None = None


def _camel(name: str) -> str:
    if name in ("AND", "OR", "NOT"):
        return name
    if name == "in_":
        return "in"
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def plain(value: Any) -> Any:
    """An input as the compiler reads it: API field names, enums by value, dates as ISO text, unset fields left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            _camel(f.name): plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
