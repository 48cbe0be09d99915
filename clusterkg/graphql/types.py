"""GraphQL types. Resolvers are thin: they ask the request's DataLoaders."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import re
from typing import Any

import strawberry
from strawberry.types import Info

from clusterkg.errors import ClusterKGError
from clusterkg.graphql.context import Context
from clusterkg.programme.progress import CallProgress, call_progress


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


def ctx(info: Info) -> Context:
    context: Context = info.context["clusterkg"]
    return context


_WORD = re.compile(r"\w+\*?", re.UNICODE)


def fulltext_terms(text: str) -> str:
    """Plain words (a trailing * for a prefix): the subset both engines' full-text syntaxes share.

    Hyphens separate words ("fuel-cell" is "fuel cell"): in RediSearch a hyphen is an operator,
    and "a-" was a syntax error the user could do nothing about."""
    words = _WORD.findall(text)
    if not words:
        raise ClusterKGError("search needs at least one word")
    return " ".join(words[:10])


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
    start_cursor: str | None
    end_cursor: str | None


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
    urban_rural: str | None
    coastal: bool | None
    metropolitan: str | None
    border: str | None
    island: bool | None
    mountain: bool | None
    capital: bool | None


@strawberry.type(description="A point in WGS 84 longitude and latitude.")
class Coordinates:
    lon: float
    lat: float


@strawberry.type(description="GDP per head in PPS of a NUTS-2 region in one year (Eurostat nama_10r_2gdp).")
class GdpPoint:
    year: int
    pps_index: float | None = strawberry.field(description="% of the EU-27 average")
    pps_per_head: float | None


@strawberry.type(
    description="How many of something: a dimension (country, category, kind, …), its value, and the count."
)
class CountBy:
    dimension: str = strawberry.field(
        description="sender_country, host_country, sender_category, host_category; country or category in a consortium"
    )
    value: str
    count: int = strawberry.field(
        description="How many: exchanges in an assignment's totals, members in a consortium's mix."
    )

    @strawberry.field(deprecation_reason="It also counted consortium members: use `count`.")
    def exchanges(self) -> int:
        return self.count

    @classmethod
    def of(cls, dimension: str, value: str, count: int) -> CountBy:
        return cls(dimension=dimension, value=value, count=count)


@strawberry.type(description="A NUTS 2024 region or a statistical region of an EFTA/candidate country.")
class Region:
    nuts: str
    name: str
    name_latin: str | None
    level: int
    category: RegionCategory | None
    category_source: str | None = strawberry.field(
        description="official, derived (by the Art. 108(2) rule from Eurostat GDP), predecessor (taken from the NUTS 2016"
        " region(s) the decision named, which this region lies in: categoryRegion) or null"
    )
    category_region: str | None = strawberry.field(
        description="The region the category was decided for: this one, its NUTS-2 parent, or NUTS 2016 predecessors (PT16+PT18)"
    )
    category_index: float | None = strawberry.field(
        description="GDP per head in PPS, % of EU-27, average 2015-2017 (NUTS-2)"
    )
    aliases: list[str] = strawberry.field(description="NUTS 2021 codes that became this region")
    country_code: strawberry.Private[str]
    props: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> Region:
        return cls(
            nuts=props["nuts"],
            name=props["name"],
            name_latin=props.get("name_latin"),
            level=props["level"],
            category=category(props.get("category")),
            category_source=props.get("category_source"),
            category_region=props.get("category_region"),
            category_index=props.get("category_index"),
            aliases=props.get("aliases") or [],
            country_code=props["country"],
            props=props,
        )

    @strawberry.field
    async def country(self, info: Info) -> Country | None:
        return await load_country(info, self.country_code)

    @strawberry.field(
        description="A map centroid (the centre of the region's largest polygon in Eurostat's 1:20M boundaries), for placing "
        "markers; NUTS levels 1-2 only. Not for measuring distances."
    )
    def centroid(self) -> Coordinates | None:
        lon, lat = self.props.get("centroid_lon"), self.props.get("centroid_lat")
        return Coordinates(lon=lon, lat=lat) if lon is not None and lat is not None else None

    @strawberry.field(description="GDP per head in PPS by year, 2000-2023 (NUTS-2 regions).")
    async def gdp(self, info: Info) -> list[GdpPoint]:
        rows = await ctx(info).loaders.grouped("gdp_series", key="nuts", ids_param="codes").load(self.nuts)
        return [GdpPoint(year=r["year"], pps_index=r["pps_index"], pps_per_head=r["pps_per_head"]) for r in rows]

    @strawberry.field(description="The region one level up (null for NUTS-1: see country).")
    async def parent(self, info: Info) -> Region | None:
        if self.level <= 1:
            return None
        found = await ctx(info).loaders.region().load(self.nuts[:-1])
        return Region.from_props(found) if found else None

    @strawberry.field
    def typologies(self) -> RegionTypologies | None:
        if self.level != 3 or self.props.get("urban_rural") is None:
            return None
        p = self.props
        return RegionTypologies(
            urban_rural=p.get("urban_rural"),
            coastal=p.get("coastal"),
            metropolitan=p.get("metropolitan"),
            border=p.get("border"),
            island=p.get("island"),
            mountain=p.get("mountain"),
            capital=p.get("capital"),
        )


async def load_country(info: Info, code: str | None) -> Country | None:
    found = await ctx(info).loaders.country().load(code) if code else None
    return Country(code=found["code"], name=found["name"], eu_member=bool(found.get("eu_member"))) if found else None


async def load_region(info: Info, nuts: str | None) -> Region | None:
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
    def from_props(cls, p: dict[str, Any]) -> Ecosystem:
        return cls(id=p["id"], name=p["name"], aliases=p.get("aliases") or [])


@strawberry.type(
    description="A competence: a KET, an emerging industry, or one of clusterkg's own taxonomy (not an EU classification)."
)
class Competence:
    id: strawberry.ID
    name: str
    kind: str | None

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Competence:
        return cls(id=p["id"], name=p["name"], kind=p.get("kind"))

    @classmethod
    def of(cls, ref: Any) -> Competence:
        """From clusterkg.scoring.complementarity.CompetenceRef."""
        return cls(id=ref.id, name=ref.name, kind=ref.kind)

    @strawberry.field(
        description="Its broader competences, nearest first (up to 3 BROADER steps): where it sits in the hierarchy."
    )
    async def broader(self, info: Info) -> list[Competence]:
        rows = await ctx(info).loaders.grouped("broader_of").load(str(self.id))
        return [Competence(id=r["broader_id"], name=r["broader_name"], kind=r["broader_kind"]) for r in rows]


@strawberry.type(description="A value chain with ordered stages (clusterkg taxonomy).")
class ValueChain:
    id: strawberry.ID
    name: str
    stages: list[str]

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> ValueChain:
        return cls(id=p["id"], name=p["name"], stages=p.get("stages") or [])


@strawberry.type(
    description="A fact a call stated on a date; a later statement (a corrigendum) supersedes it, and both are kept."
)
class CallFact:
    fact: str
    value: str
    stated_on: dt.date | None
    superseded_on: dt.date | None
    source_url: str | None
    note: str | None


@strawberry.type(description="A funding call, e.g. COSME COS-CLUSTER-2020-3-03.")
class Call:
    id: strawberry.ID
    programme: str | None
    title: str | None
    budget_eur: float | None
    max_grant_eur: float | None
    deadline: dt.date | None
    expected_grants: int | None
    exchanges_target: int | None
    sme_share_min: float | None
    outside_community_share_min: float | None
    duration_months: str | None = strawberry.field(description="Project duration, e.g. 20-24")

    @strawberry.field(
        description="What the call stated and when, corrigenda included (the current value is also a field above)."
    )
    async def facts(self, info: Info) -> list[CallFact]:
        rows = await ctx(info).loaders.grouped("call_facts").load(str(self.id))
        return [
            CallFact(
                fact=r["fact"],
                value=r["value"],
                stated_on=r["stated_on"],
                superseded_on=r["superseded_on"],
                source_url=r["source_url"],
                note=r["note"],
            )
            for r in rows
        ]

    @strawberry.field(
        description="How far the call is from its targets: its exchanges so far, the SME and outside-the-community shares"
        " against their minimums, by country and category (README: which exchanges count)."
    )
    async def progress(self, info: Info) -> CallProgressFigures:
        context = ctx(info)
        found = await context.call(lambda: call_progress(context.store, str(self.id)))
        return CallProgressFigures.of(found)

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Call:
        return cls(
            id=p["id"],
            programme=p.get("programme"),
            title=p.get("title"),
            budget_eur=p.get("budget_eur"),
            max_grant_eur=p.get("max_grant_eur"),
            deadline=p.get("deadline"),
            expected_grants=p.get("expected_grants"),
            exchanges_target=p.get("exchanges_target"),
            sme_share_min=p.get("sme_share_min"),
            outside_community_share_min=p.get("outside_community_share_min"),
            duration_months=p.get("duration_months"),
        )


@strawberry.type
class CountryCount:
    country: str
    exchanges: int


@strawberry.type
class CategoryCount:
    category: str
    exchanges: int


@strawberry.type(description="A call's exchanges against its targets (shares are of the exchanges that count).")
class CallProgressFigures:
    exchanges: int
    target: int | None = strawberry.field(description="The call's target number of exchanges")
    sme: int = strawberry.field(description="Exchanges whose participant is an SME")
    sme_share: float | None
    sme_share_min: float | None
    outside: int = strawberry.field(
        description="Exchanges whose sending cluster is not a partner of the call's partnerships"
    )
    outside_share: float | None
    outside_share_min: float | None
    by_country: list[CountryCount] = strawberry.field(description="By the sending cluster's country, most first")
    by_category: list[CategoryCount] = strawberry.field(description="By the sending cluster's cohesion category")

    @classmethod
    def of(cls, found: CallProgress) -> CallProgressFigures:
        return cls(
            exchanges=found.exchanges,
            target=found.target,
            sme=found.sme,
            sme_share=found.sme_share,
            sme_share_min=found.sme_share_min,
            outside=found.outside,
            outside_share=found.outside_share,
            outside_share_min=found.outside_share_min,
            by_country=[CountryCount(country=c, exchanges=n) for c, n in found.by_country.items()],
            by_category=[CategoryCount(category=c, exchanges=n) for c, n in found.by_category.items()],
        )


# -- clusters, organisations, partnerships, exchanges ----------------------------------


@strawberry.input
class ClusterFilter:
    countries: list[str] | None = None
    region_categories: list[RegionCategory] | None = None
    ecosystems: list[strawberry.ID] | None = None
    excellence_labels: list[str] | None = None
    nuts_region: str | None = None
    synthetic: bool | None = None
    text: str | None = strawberry.field(
        default=None, description="Words in the name, acronym or description (full-text; 'hydro*' is a prefix)"
    )


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


def check_page(info: Info, first: int, offset: int = 0) -> None:
    limit = ctx(info).settings.max_page
    if first < 1 or first > limit:
        from clusterkg.graphql.errors import LimitExceeded

        raise LimitExceeded(f"first must be between 1 and {limit}, not {first}")
    if offset < 0:
        raise ClusterKGError(f"offset must be 0 or more, not {offset}")
