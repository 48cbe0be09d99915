"""Partner postings over GraphQL: the board, a posting, interests, follows and saved searches.

Resolvers are thin: they read who is asking, turn the input into the
clusterkg.postings calls, and run them in a worker thread. Interests are
resolved only for the two clusters concerned (null for everyone else).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from clusterkg.errors import ConfigError
from clusterkg.graphql.entities import Cluster, load_clusters
from clusterkg.graphql.types import (
    Competence,
    Ecosystem,
    PageInfo,
    RegionCategory,
    ValueChain,
    check_page,
    ctx,
    decode_cursor,
    encode_cursor,
    page_info,
)
from clusterkg.postings import interests as interest_flow
from clusterkg.postings import service
from clusterkg.postings.fields import PostingDraft
from clusterkg.postings.notices import Notices
from clusterkg.postings.private import InterestRecord, PrivateStore, SavedSearch
from clusterkg.postings.records import PostingRecord
from clusterkg.postings.search import PostingFilter as SearchFilter
from clusterkg.postings.search import find_postings


@strawberry.enum(description="What a posting says: an offer, a request for a partner, or a request for an R&D partner.")
class PostingKind(enum.Enum):
    OFFER = "OFFER"
    REQUEST = "REQUEST"
    RD_REQUEST = "RD_REQUEST"


@strawberry.enum(description="A posting's status as of today: PUBLISHED past its deadline is EXPIRED.")
class PostingStatus(enum.Enum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    CLOSED = "CLOSED"
    EXPIRED = "EXPIRED"


@strawberry.enum(description="The order of the postings board.")
class PostingSort(enum.Enum):
    DEADLINE = "DEADLINE"
    NEWEST = "NEWEST"
    TITLE = "TITLE"


@strawberry.enum(description="Where an expression of interest stands.")
class InterestStatus(enum.Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


def _private(info: Info) -> PrivateStore:
    found = ctx(info).private
    if found is None:
        raise ConfigError("this server keeps no postings data (it was started without a data dir)")
    return found


def _notices(info: Info) -> Notices | None:
    return ctx(info).notices


@strawberry.type(
    description="A cluster's interest in a posting: seen only by the posting's cluster and the interested one."
)
class Interest:
    id: strawberry.ID
    posting_id: strawberry.ID
    cluster_id: strawberry.ID
    message: str | None
    status: InterestStatus
    at: str
    by: str = strawberry.field(description="The e-mail of the editor who expressed it.")
    decided_at: str | None
    reason: str | None = strawberry.field(description="Why it was declined, if the owner said.")
    posting_title: str | None = strawberry.field(default=None, description="The posting's title (in the inbox).")

    @strawberry.field(description="The interested cluster.")
    async def cluster(self, info: Info) -> Cluster | None:
        return (await load_clusters(info, [str(self.cluster_id)]))[0]

    @classmethod
    def of(cls, record: InterestRecord, posting_title: str | None = None) -> Interest:
        return cls(
            id=strawberry.ID(record.id),
            posting_id=strawberry.ID(record.posting_id),
            cluster_id=strawberry.ID(record.cluster_id),
            message=record.message,
            status=InterestStatus(record.status),
            at=record.at,
            by=record.by_email,
            decided_at=record.decided_at,
            reason=record.reason,
            posting_title=posting_title,
        )


@strawberry.type(description="What a cluster offers or seeks, for a time: found on the board, ranked in partnerSearch.")
class Posting:
    id: strawberry.ID
    kind: PostingKind
    title: str
    text: str
    status: PostingStatus
    deadline: str = strawberry.field(description="The last day it is open (YYYY-MM-DD).")
    revision: int = strawberry.field(description="Send it back with updatePosting: a stale one is CONFLICT.")
    cluster_id: strawberry.ID
    target_categories: list[RegionCategory] = strawberry.field(
        description="The cohesion categories of the partners it is for (empty: any)."
    )
    target_countries: list[str] = strawberry.field(description="The countries of the partners it is for (empty: any).")
    created_at: str | None
    updated_at: str | None
    published_at: str | None
    closed_at: str | None
    synthetic: bool = strawberry.field(description="Invented for a demo (the synthetic generator), not a real posting.")
    competence_ids: strawberry.Private[tuple[str, ...]]
    value_chain_ids: strawberry.Private[tuple[str, ...]]
    ecosystem_ids: strawberry.Private[tuple[str, ...]]
    record: strawberry.Private[PostingRecord]

    @strawberry.field(description="The posting's cluster.")
    async def cluster(self, info: Info) -> Cluster | None:
        return (await load_clusters(info, [str(self.cluster_id)]))[0]

    @strawberry.field(description="The competences it asks for (a request) or offers (an offer).")
    async def competences(self, info: Info) -> list[Competence]:
        found = await ctx(info).loaders.entity("Competence").load_many(list(self.competence_ids))
        return [Competence.from_props(p) for p in found if p]

    @strawberry.field
    async def value_chains(self, info: Info) -> list[ValueChain]:
        found = await ctx(info).loaders.entity("ValueChain").load_many(list(self.value_chain_ids))
        return [ValueChain.from_props(p) for p in found if p]

    @strawberry.field
    async def ecosystems(self, info: Info) -> list[Ecosystem]:
        found = await ctx(info).loaders.entity("Ecosystem").load_many(list(self.ecosystem_ids))
        return [Ecosystem.from_props(p) for p in found if p]

    @strawberry.field(
        description="Every interest in it, for its cluster's editors and the moderators; null for everyone else."
    )
    async def interests(self, info: Info) -> list[Interest] | None:
        context = ctx(info)
        if context.private is None:
            return None
        found = await context.call(
            lambda: interest_flow.visible_interests(_private(info), context.principal, self.record)
        )
        return None if found is None else [Interest.of(i) for i in found]

    @strawberry.field(description="The interests your own clusters expressed in it (empty when signed out).")
    async def my_interests(self, info: Info) -> list[Interest]:
        context = ctx(info)
        if context.private is None:
            return []
        found = await context.call(
            lambda: interest_flow.own_interests(_private(info), context.principal, self.record.id)
        )
        return [Interest.of(i) for i in found]

    @strawberry.field(description="Whether the signed-in account follows it (false when signed out).")
    async def following(self, info: Info) -> bool:
        context = ctx(info)
        account = context.principal.account
        if account is None or context.private is None:
            return False
        private = context.private
        followed: bool = await context.call(lambda: private.follows(account.id, self.record.id))
        return followed

    @classmethod
    def of(cls, record: PostingRecord) -> Posting:
        return cls(
            id=strawberry.ID(record.id),
            kind=PostingKind(record.kind),
            title=record.title,
            text=record.text,
            status=PostingStatus(record.status),
            deadline=record.deadline,
            revision=record.revision,
            cluster_id=strawberry.ID(record.cluster_id),
            target_categories=[RegionCategory(c) for c in record.target_categories],
            target_countries=list(record.target_countries),
            created_at=record.created_at,
            updated_at=record.updated_at,
            published_at=record.published_at,
            closed_at=record.closed_at,
            synthetic=record.synthetic,
            competence_ids=record.competences,
            value_chain_ids=record.value_chains,
            ecosystem_ids=record.ecosystems,
            record=record,
        )


@strawberry.type
class PostingEdge:
    cursor: str
    node: Posting


@strawberry.type
class PostingConnection:
    edges: list[PostingEdge]
    page_info: PageInfo
    total_count: int


@strawberry.input(
    description="Which postings: the directory's filters (on the posting's cluster) and the posting's own."
)
class PostingFilter:
    kinds: list[PostingKind] | None = None
    statuses: list[PostingStatus] | None = strawberry.field(
        default=None, description="Default: PUBLISHED only. DRAFT lists only your own clusters' drafts."
    )
    countries: list[str] | None = strawberry.field(default=None, description="The posting cluster's country")
    region_categories: list[RegionCategory] | None = strawberry.field(
        default=None, description="The posting cluster's cohesion category"
    )
    nuts_region: str | None = strawberry.field(default=None, description="The posting cluster is in this region")
    ecosystems: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Ecosystems of the posting or of its cluster"
    )
    value_chains: list[strawberry.ID] | None = None
    competences: list[strawberry.ID] | None = strawberry.field(
        default=None, description="About these competences, or a broader or narrower one (the hierarchy)"
    )
    open_to_categories: list[RegionCategory] | None = strawberry.field(
        default=None, description="Open to partners of these categories (it names one of them, or none)"
    )
    open_to_countries: list[str] | None = strawberry.field(
        default=None, description="Open to partners of these countries (it names one of them, or none)"
    )
    cluster_ids: list[strawberry.ID] | None = None
    synthetic: bool | None = None
    text: str | None = strawberry.field(default=None, description="Words in the title or text")

    def to_search(self) -> SearchFilter:
        def values(items: list[Any] | None) -> tuple[str, ...] | None:
            return None if items is None else tuple(i.value if isinstance(i, enum.Enum) else str(i) for i in items)

        return SearchFilter(
            kinds=values(self.kinds),
            statuses=values(self.statuses) or ("PUBLISHED",),
            countries=tuple(c.upper() for c in self.countries) if self.countries is not None else None,
            categories=values(self.region_categories),
            nuts_prefix=self.nuts_region.upper() if self.nuts_region else None,
            ecosystems=values(self.ecosystems),
            value_chains=values(self.value_chains),
            competences=values(self.competences),
            open_to_categories=values(self.open_to_categories),
            open_to_countries=tuple(c.upper() for c in self.open_to_countries)
            if self.open_to_countries is not None
            else None,
            cluster_ids=values(self.cluster_ids),
            synthetic=self.synthetic,
            text=self.text,
        )


@strawberry.input(description="What a posting says; in updatePosting, a field left out keeps its value.")
class PostingInput:
    kind: PostingKind | None = None
    title: str | None = None
    text: str | None = None
    competences: list[strawberry.ID] | None = strawberry.field(
        default=None, description="What a request asks for, or an offer offers (1 to 20 competence ids)"
    )
    value_chains: list[strawberry.ID] | None = None
    ecosystems: list[strawberry.ID] | None = None
    target_categories: list[RegionCategory] | None = None
    target_countries: list[str] | None = None
    deadline: dt.date | None = strawberry.field(default=None, description="After today, at most a year ahead")

    def draft(self) -> PostingDraft:
        def ids(items: list[Any] | None) -> list[str] | None:
            return None if items is None else [str(i) for i in items]

        return PostingDraft(
            kind=self.kind.value if self.kind else None,
            title=self.title,
            text=self.text,
            competences=ids(self.competences),
            value_chains=ids(self.value_chains),
            ecosystems=ids(self.ecosystems),
            target_categories=None if self.target_categories is None else [c.value for c in self.target_categories],
            target_countries=self.target_countries,
            deadline=self.deadline.isoformat() if self.deadline else None,
        )


@strawberry.type(description="A saved search of the postings board: you hear of each new posting it matches.")
class SavedPostingSearch:
    id: strawberry.ID
    name: str
    created_at: str
    filter: JSON

    @classmethod
    def of(cls, search: SavedSearch) -> SavedPostingSearch:
        return cls(
            id=strawberry.ID(search.id),
            name=search.name,
            created_at=search.created_at,
            filter=cast(JSON, search.filter),
        )


async def postings(
    info: Info, filter: PostingFilter | None, sort: PostingSort, first: int, after: str | None
) -> PostingConnection:
    check_page(info, first)
    context = ctx(info)
    offset = decode_cursor(after)
    search = (filter or PostingFilter()).to_search()
    total, found = await context.call(
        lambda: find_postings(
            context.store,
            context.principal,
            search,
            sort=sort.value,
            first=first,
            skip=offset,
            day=service.today(),
            timeout_ms=context.settings.timeout_ms,
        )
    )
    edges = [PostingEdge(cursor=encode_cursor(offset + n), node=Posting.of(p)) for n, p in enumerate(found)]
    return PostingConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)


@strawberry.type
class PostingQuery:
    @strawberry.field(description="One posting (a draft only for its cluster's editors).")
    async def posting(self, info: Info, id: strawberry.ID) -> Posting:
        context = ctx(info)
        return Posting.of(await context.call(lambda: service.get_posting(context.store, str(id), context.principal)))

    @strawberry.field(description="The postings board: filters, an order, and a page (Relay-style connection).")
    async def postings(
        self,
        info: Info,
        filter: PostingFilter | None = None,
        sort: PostingSort = PostingSort.DEADLINE,
        first: int = 20,
        after: str | None = None,
    ) -> PostingConnection:
        return await postings(info, filter, sort, first, after)

    @strawberry.field(description="Interests in the postings of the clusters you edit, newest first (signed in).")
    async def inbox(self, info: Info) -> list[Interest]:
        context = ctx(info)
        private = _private(info)
        found = await context.call(lambda: interest_flow.inbox(context.store, private, context.principal))
        return [Interest.of(i, title) for i, title in found]

    @strawberry.field(description="Your saved searches of the postings board (signed in).")
    async def saved_posting_searches(self, info: Info) -> list[SavedPostingSearch]:
        context = ctx(info)
        account = context.principal.require()
        private = _private(info)
        return [SavedPostingSearch.of(s) for s in await context.call(lambda: private.saved_searches(account.id))]
