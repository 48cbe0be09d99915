"""GraphQL types. Resolvers are thin: they ask the request's DataLoaders."""

from __future__ import annotations

import base64
import datetime as dt
import enum
from typing import Annotated, Any, Optional, Union

import strawberry
from strawberry.types import Info

from clusterkg.errors import ClusterKGError


@strawberry.enum(description="2021-2027 EU cohesion category of a region (Regulation (EU) 2021/1060 Art. 108(2)).")
class RegionCategory(enum.Enum):
    LESS_DEVELOPED = "less_developed"
    TRANSITION = "transition"
    MORE_DEVELOPED = "more_developed"


@strawberry.enum(description="What kind of partner to search for.")
class PartnerKind(enum.Enum):
    CLUSTER = "Cluster"
    ORGANISATION = "Organisation"


def category(value: str | None) -> RegionCategory | None:
    return RegionCategory(value) if value else None


def ctx(info: Info):
    return info.context["clusterkg"]


# -- cursors ------------------------------------------------------------------


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset after `cursor` (0 without one)."""
    if cursor is None:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "offset":
            raise ValueError
        return int(number) + 1
    except (ValueError, UnicodeDecodeError):
        raise ClusterKGError(f"'{cursor}' is not a cursor returned by this API") from None


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: Optional[str]
    end_cursor: Optional[str]


def page_info(offset: int, count: int, total: int) -> PageInfo:
    return PageInfo(
        has_next_page=offset + count < total,
        has_previous_page=offset > 0,
        start_cursor=encode_cursor(offset) if count else None,
        end_cursor=encode_cursor(offset + count - 1) if count else None,
    )


# -- reference data --------------------------------------------------------------


@strawberry.type
class Country:
    code: str
    name: str
    eu_member: bool


@strawberry.type(description="NUTS-3 typologies (Eurostat).")
class RegionTypologies:
    urban_rural: Optional[str]
    coastal: Optional[bool]
    metropolitan: Optional[str]
    border: Optional[str]
    island: Optional[bool]
    mountain: Optional[bool]
    capital: Optional[bool]


@strawberry.type(description="A NUTS 2024 region or a statistical region of an EFTA/candidate country.")
class Region:
    nuts: str
    name: str
    name_latin: Optional[str]
    level: int
    category: Optional[RegionCategory]
    category_source: Optional[str] = strawberry.field(description="official, derived (by the Art. 108(2) rule from Eurostat GDP) or null")
    category_index: Optional[float] = strawberry.field(description="GDP per head in PPS, % of EU-27, average 2015-2017 (NUTS-2)")
    aliases: list[str] = strawberry.field(description="NUTS 2021 codes that became this region")
    country_code: strawberry.Private[str]
    props: strawberry.Private[dict]

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> "Region":
        return cls(
            nuts=props["nuts"], name=props["name"], name_latin=props.get("name_latin"), level=props["level"],
            category=category(props.get("category")), category_source=props.get("category_source"),
            category_index=props.get("category_index"), aliases=props.get("aliases") or [], country_code=props["country"], props=props,
        )

    @strawberry.field
    async def country(self, info: Info) -> Optional[Country]:
        return await load_country(info, self.country_code)

    @strawberry.field(description="The region one level up (null for NUTS-1: see country).")
    async def parent(self, info: Info) -> Optional["Region"]:
        if self.level <= 1:
            return None
        found = await ctx(info).loaders.region().load(self.nuts[:-1])
        return Region.from_props(found) if found else None

    @strawberry.field
    def typologies(self) -> Optional[RegionTypologies]:
        if self.level != 3 or self.props.get("urban_rural") is None:
            return None
        p = self.props
        return RegionTypologies(
            urban_rural=p.get("urban_rural"), coastal=p.get("coastal"), metropolitan=p.get("metropolitan"), border=p.get("border"),
            island=p.get("island"), mountain=p.get("mountain"), capital=p.get("capital"),
        )


async def load_country(info: Info, code: str | None) -> Optional[Country]:
    found = await ctx(info).loaders.country().load(code) if code else None
    return Country(code=found["code"], name=found["name"], eu_member=bool(found.get("eu_member"))) if found else None


async def load_region(info: Info, nuts: str | None) -> Optional[Region]:
    if not nuts:
        return None
    found = await ctx(info).loaders.region().load(nuts)
    return Region.from_props(found) if found else None


@strawberry.type(description="One of the 14 industrial ecosystems of the EU Industrial Strategy.")
class Ecosystem:
    id: strawberry.ID
    name: str
    aliases: list[str]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "Ecosystem":
        return cls(id=p["id"], name=p["name"], aliases=p.get("aliases") or [])


@strawberry.type(description="A competence: a KET, an emerging industry, or one of clusterkg's own taxonomy (not an EU classification).")
class Competence:
    id: strawberry.ID
    name: str
    kind: Optional[str]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "Competence":
        return cls(id=p["id"], name=p["name"], kind=p.get("kind"))


@strawberry.type(description="A value chain with ordered stages (clusterkg taxonomy).")
class ValueChain:
    id: strawberry.ID
    name: str
    stages: list[str]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "ValueChain":
        return cls(id=p["id"], name=p["name"], stages=p.get("stages") or [])


@strawberry.type(description="A funding call, e.g. COSME COS-CLUSTER-2020-3-03.")
class Call:
    id: strawberry.ID
    programme: Optional[str]
    title: Optional[str]
    budget_eur: Optional[float]
    max_grant_eur: Optional[float]
    deadline: Optional[dt.date]
    expected_grants: Optional[int]
    exchanges_target: Optional[int]
    sme_share_min: Optional[float]
    outside_community_share_min: Optional[float]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "Call":
        return cls(
            id=p["id"], programme=p.get("programme"), title=p.get("title"), budget_eur=p.get("budget_eur"), max_grant_eur=p.get("max_grant_eur"),
            deadline=p.get("deadline"), expected_grants=p.get("expected_grants"), exchanges_target=p.get("exchanges_target"),
            sme_share_min=p.get("sme_share_min"), outside_community_share_min=p.get("outside_community_share_min"),
        )


# -- clusters, organisations, partnerships, exchanges ----------------------------------


@strawberry.type
class EccpRegistration:
    profile_id: Optional[str]
    since: Optional[dt.date]


async def _competences(info: Info, label: str, entity_id: str, relation: str) -> list[Competence]:
    found = await ctx(info).loaders.competences(label).load(entity_id)
    return [Competence.from_props(c) for c in found[relation]]


@strawberry.type
class Organisation:
    id: strawberry.ID
    name: str
    kind: Optional[str]
    synthetic: bool
    nuts: strawberry.Private[Optional[str]]
    country_code: strawberry.Private[Optional[str]]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "Organisation":
        return cls(id=p["id"], name=p.get("name") or p["id"], kind=p.get("kind"), synthetic=bool(p.get("synthetic")), nuts=p.get("nuts"), country_code=p.get("country"))

    @strawberry.field
    async def region(self, info: Info) -> Optional[Region]:
        return await load_region(info, self.nuts)

    @strawberry.field
    async def offers(self, info: Info) -> list[Competence]:
        return await _competences(info, "Organisation", self.id, "OFFERS")

    @strawberry.field
    async def seeks(self, info: Info) -> list[Competence]:
        return await _competences(info, "Organisation", self.id, "SEEKS")

    @strawberry.field
    async def clusters(self, info: Info) -> list["Cluster"]:
        ids = await ctx(info).loaders.clusters_of().load(self.id)
        return [c for c in await load_clusters(info, ids) if c]


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
    acronym: Optional[str]
    website: Optional[str]
    city: Optional[str]
    founded: Optional[int]
    members_total: Optional[int]
    sme_members: Optional[int]
    large_members: Optional[int]
    research_members: Optional[int]
    excellence_label: Optional[str]
    description: Optional[str]
    synthetic: bool = strawberry.field(description="True for generated demo data: never a real organisation")
    nuts: strawberry.Private[Optional[str]]
    country_code: strawberry.Private[Optional[str]]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "Cluster":
        return cls(
            id=p["id"], name=p["name"], acronym=p.get("acronym"), website=p.get("website"), city=p.get("city"), founded=p.get("founded"),
            members_total=p.get("members_total"), sme_members=p.get("sme_members"), large_members=p.get("large_members"),
            research_members=p.get("research_members"), excellence_label=p.get("excellence_label"), description=p.get("description"),
            synthetic=bool(p.get("synthetic")), nuts=p.get("nuts"), country_code=p.get("country"),
        )

    @strawberry.field
    async def country(self, info: Info) -> Optional[Country]:
        return await load_country(info, self.country_code)

    @strawberry.field(description="The region the cluster is located in, with its cohesion category.")
    async def region(self, info: Info) -> Optional[Region]:
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

    @strawberry.field(description="Member organisations, ordered by id.")
    async def members(self, info: Info, first: int = 20, after: Optional[str] = None) -> OrganisationConnection:
        check_page(info, first)
        offset = decode_cursor(after)
        total, page = await ctx(info).loaders.members(offset, first).load(self.id)
        found = await ctx(info).loaders.entity("Organisation").load_many(page)
        edges = [OrganisationEdge(cursor=encode_cursor(offset + n), node=Organisation.from_props(p)) for n, p in enumerate(found) if p]
        return OrganisationConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)

    @strawberry.field
    async def partnerships(self, info: Info) -> list["Partnership"]:
        links = await ctx(info).loaders.partnerships_of().load(self.id)
        found = await ctx(info).loaders.entity("Partnership").load_many([link["partnership_id"] for link in links])
        return [Partnership.from_props(p) for p in found if p]

    async def _exchanges(self, info: Info, relation: str) -> list["Exchange"]:
        links = await ctx(info).loaders.exchanges_of().load(self.id)
        found = await ctx(info).loaders.entity("Exchange").load_many([link["exchange_id"] for link in links if link["relation"] == relation])
        return [Exchange.from_props(p) for p in found if p]

    @strawberry.field
    async def sent_exchanges(self, info: Info) -> list["Exchange"]:
        return await self._exchanges(info, "SENT_BY")

    @strawberry.field
    async def hosted_exchanges(self, info: Info) -> list["Exchange"]:
        return await self._exchanges(info, "HOSTED_BY")

    @strawberry.field(description="The ECCP profile, if the cluster is registered.")
    async def eccp_registration(self, info: Info) -> Optional[EccpRegistration]:
        found = await ctx(info).loaders.registration().load(self.id)
        return EccpRegistration(profile_id=found["profile_id"], since=found["since"]) if found else None


async def load_clusters(info: Info, ids: list[str]) -> list[Optional[Cluster]]:
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
    acronym: Optional[str]
    kind: Optional[str]
    start: Optional[dt.date]
    end: Optional[dt.date]
    eu_grant_eur: Optional[float]
    synthetic: bool

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "Partnership":
        return cls(
            id=p["id"], name=p["name"], acronym=p.get("acronym"), kind=p.get("kind"), start=p.get("start"), end=p.get("end"),
            eu_grant_eur=p.get("eu_grant_eur"), synthetic=bool(p.get("synthetic")),
        )

    @strawberry.field(description="Member clusters, coordinator first.")
    async def members(self, info: Info) -> list[PartnershipMember]:
        links = await ctx(info).loaders.partnership_members().load(self.id)
        clusters = await load_clusters(info, [link["cluster_id"] for link in links])
        return [PartnershipMember(role=link["role"] or "partner", cluster=c) for link, c in zip(links, clusters) if c]

    @strawberry.field
    async def call(self, info: Info) -> Optional[Call]:
        links = await ctx(info).loaders.partnership_members().load(self.id)
        call_id = next((link["call_id"] for link in links if link["call_id"]), None)
        found = await ctx(info).loaders.entity("Call").load(call_id) if call_id else None
        return Call.from_props(found) if found else None


@strawberry.type(description="A ClusterXchange short-term exchange.")
class Exchange:
    id: strawberry.ID
    start: Optional[dt.date]
    end: Optional[dt.date]
    days: Optional[int]
    status: Optional[str]
    topic: Optional[str]
    cross_border: Optional[bool]
    synthetic: bool

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> "Exchange":
        return cls(
            id=p["id"], start=p.get("start"), end=p.get("end"), days=p.get("days"), status=p.get("status"), topic=p.get("topic"),
            cross_border=p.get("cross_border"), synthetic=bool(p.get("synthetic")),
        )

    async def _link(self, info: Info) -> dict[str, Any]:
        return await ctx(info).loaders.exchange_links().load(self.id) or {}

    @strawberry.field
    async def participant(self, info: Info) -> Optional[Organisation]:
        link = await self._link(info)
        found = await ctx(info).loaders.entity("Organisation").load(link["participant_id"]) if link.get("participant_id") else None
        return Organisation.from_props(found) if found else None

    @strawberry.field
    async def sender(self, info: Info) -> Optional[Cluster]:
        link = await self._link(info)
        return (await load_clusters(info, [link["sender_id"]]))[0] if link.get("sender_id") else None

    @strawberry.field
    async def host(self, info: Info) -> Optional[Cluster]:
        link = await self._link(info)
        return (await load_clusters(info, [link["host_id"]]))[0] if link.get("host_id") else None

    @strawberry.field
    async def partnership(self, info: Info) -> Optional[Partnership]:
        link = await self._link(info)
        found = await ctx(info).loaders.entity("Partnership").load(link["partnership_id"]) if link.get("partnership_id") else None
        return Partnership.from_props(found) if found else None


# -- partner search -------------------------------------------------------------------

Partner = Annotated[Union[Cluster, Organisation], strawberry.union("Partner", description="A cluster or an organisation.")]


@strawberry.type
class CompetencePair:
    sought: Competence
    offered: Competence


@strawberry.type
class ValueChainFit:
    value_chain: ValueChain
    seeker_stages: list[str]
    partner_stages: list[str]
    adjacent: bool = strawberry.field(description="Some stages of the two are next to each other (fit 1.0; otherwise 0.5)")
    fit: float


@strawberry.type(description="The parts of the score (see ScoreWeights).")
class ScoreComponents:
    need: int
    reciprocity: int
    value_chain: float
    overlap: float
    ties: int


@strawberry.type
class MatchExplanation:
    need_fit: list[CompetencePair] = strawberry.field(description="Competences the seeker seeks (sought) that the partner offers (offered: the same or a narrower one)")
    reciprocity: list[CompetencePair] = strawberry.field(description="Competences the partner seeks that the seeker offers")
    value_chains: list[ValueChainFit]
    overlap: float = strawberry.field(description="Jaccard similarity of their offers (a penalty: twins are competitors)")
    ties: list[str] = strawberry.field(description="Existing ties: shared partnerships, past exchanges, shared clusters")
    region: Optional[Region] = strawberry.field(description="The partner's region, with its cohesion category")
    components: ScoreComponents


@strawberry.type
class PartnerMatch:
    partner: Partner
    score: float
    explanation: MatchExplanation


@strawberry.input(description="Weights of the score: need*need + reciprocity*reciprocity + valueChain*valueChainFit - overlap*overlap - tie (if tied). Defaults shown.")
class ScoreWeights:
    need: float = 1.0
    reciprocity: float = 0.6
    value_chain: float = 0.5
    overlap: float = 2.0
    tie: float = 1.0


@strawberry.input
class PartnerSearchInput:
    seeker_id: strawberry.ID
    candidates: PartnerKind = PartnerKind.CLUSTER
    region_categories: Optional[list[RegionCategory]] = None
    countries: Optional[list[str]] = None
    exclude_countries: Optional[list[str]] = None
    exclude_own_country: bool = False
    ecosystems: Optional[list[strawberry.ID]] = None
    excellence_labels: Optional[list[str]] = None
    nuts_region: Optional[str] = strawberry.field(default=None, description="Only partners located in this NUTS region or below (e.g. ITF or ITF5)")
    exclude_existing_partners: bool = True
    weights: Optional[ScoreWeights] = None
    first: int = 20
    offset: int = 0


@strawberry.input
class RegionPartnersInput:
    nuts: str
    region_categories: Optional[list[RegionCategory]] = None
    first: int = 10


@strawberry.type
class RegionPartner:
    region: Region
    score: float
    need_fit: list[Competence] = strawberry.field(description="Competences sought in the given region and offered in this one")
    reciprocity: list[Competence] = strawberry.field(description="Competences sought in this region and offered in the given one")
    overlap: float


@strawberry.input
class ClusterFilter:
    countries: Optional[list[str]] = None
    region_categories: Optional[list[RegionCategory]] = None
    ecosystems: Optional[list[strawberry.ID]] = None
    excellence_labels: Optional[list[str]] = None
    nuts_region: Optional[str] = None
    synthetic: Optional[bool] = None


@strawberry.type
class LabelCount:
    label: str
    count: int


@strawberry.type
class RelationshipCount:
    type: str
    from_label: str
    to_label: str
    count: int


@strawberry.type
class Stats:
    nodes: list[LabelCount]
    relationships: list[RelationshipCount]


SearchItem = Annotated[Union[Cluster, Organisation, Region, Competence], strawberry.union("SearchItem")]


@strawberry.type
class SearchHit:
    score: float
    item: SearchItem


def check_page(info: Info, first: int) -> None:
    limit = ctx(info).settings.max_page
    if first < 1 or first > limit:
        from clusterkg.graphql.errors import LimitExceeded

        raise LimitExceeded(f"first must be between 1 and {limit}, not {first}")
