"""The GraphQL schema: the Query type and the request limits.

Resolvers translate arguments and delegate: partner search to
clusterkg.scoring.complementarity, lookups to the DataLoaders, lists to the
query library. The SDL is exported to schema.graphql (`clusterkg
export-schema`); a test fails when the two drift.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator
from strawberry.tools import merge_types
from strawberry.types import Info
from strawberry.types.execution import ExecutionContext

from clusterkg.errors import ClusterKGError, NotFound
from clusterkg.graphql import explorer
from clusterkg.graphql import jobs as job_api
from clusterkg.graphql.consortia import ConsortiumInput, ConsortiumResult, consortium
from clusterkg.graphql.context import ApiSettings
from clusterkg.graphql.entities import (
    Cluster,
    ClusterConnection,
    ClusterEdge,
    Exchange,
    Organisation,
    Partnership,
    SearchHit,
    load_clusters,
)
from clusterkg.graphql.errors import code_and_message
from clusterkg.graphql.limits import cost_limit
from clusterkg.graphql.lists import ListQuery, page_ids
from clusterkg.graphql.matching import (
    EventMatchInput,
    EventMatchList,
    ExchangeAssignment,
    ExchangeAssignmentInput,
    event_match_list,
    exchange_assignment,
)
from clusterkg.graphql.partners import (
    PartnerMatch,
    PartnerSearchInput,
    RegionPartner,
    RegionPartnersInput,
    explanation_of,
)
from clusterkg.graphql.permissions import AnalystOnly
from clusterkg.graphql.posting_write import PostingMutation
from clusterkg.graphql.postings import PostingQuery
from clusterkg.graphql.programme import ProgrammeQuery
from clusterkg.graphql.programme_write import ProgrammeMutation
from clusterkg.graphql.subscriptions import Subscription
from clusterkg.graphql.types import (
    Call,
    ClusterFilter,
    Competence,
    CountBy,
    Ecosystem,
    LabelCount,
    Region,
    RegionCategory,
    RelationshipCount,
    Stats,
    ValueChain,
    check_page,
    ctx,
    decode_cursor,
    encode_cursor,
    fulltext_terms,
    page_info,
)
from clusterkg.graphql.where_types import ClusterSort, ClusterWhere
from clusterkg.graphql.write import ChangeMutation, ChangeQuery
from clusterkg.scoring.complementarity import Filters, Weights, partner_search

SCHEMA_FILE = Path(__file__).resolve().parent / "schema.graphql"


def _values(items: list[Any] | None) -> tuple[Any, ...] | None:
    if items is None:
        return None
    return tuple(i.value if hasattr(i, "value") else str(i) for i in items)


async def _search_partners(info: Info, query: PartnerSearchInput) -> list[PartnerMatch]:
    context = ctx(info)
    check_page(info, query.first, query.offset)
    weights = (
        Weights(
            **{
                k: getattr(query.weights, k)
                for k in ("need", "reciprocity", "value_chain", "overlap", "tie", "collaboration", "posting")
            }
        )
        if query.weights
        else Weights()
    )
    filters = Filters(
        categories=_values(query.region_categories),
        countries=_values(query.countries),
        exclude_countries=_values(query.exclude_countries),
        ecosystems=_values(query.ecosystems),
        excellence_labels=tuple(label.lower() for label in query.excellence_labels)
        if query.excellence_labels is not None
        else None,
        nuts_prefix=query.nuts_region.upper() if query.nuts_region else None,
        exclude_own_country=query.exclude_own_country,
    )
    label = query.candidates.value
    matches = await context.call(
        lambda: partner_search(
            context.store,
            str(query.seeker_id),
            candidates=label,
            filters=filters,
            weights=weights,
            exclude_ties=query.exclude_existing_partners,
            first=query.first,
            skip=query.offset,
            timeout_ms=context.settings.timeout_ms,
            exact=query.exact,
        )
    )
    found = await context.loaders.entity(label).load_many([m.id for m in matches])
    build = Cluster.from_props if label == "Cluster" else Organisation.from_props
    return [
        PartnerMatch(partner=build(props), score=match.score, exact=match.exact, explanation=explanation_of(match))
        for match, props in zip(matches, found)
    ]


async def _list(info: Info, label: str, first: int, offset: int) -> list[dict[str, Any]]:
    check_page(info, first, offset)
    return [
        r["node"] for r in await ctx(info).query("list_by_label", {"skip": offset, "limit": first}, {"label": label})
    ]


@strawberry.type
class Query:
    @strawberry.field(
        description="Complementary partners for a cluster or organisation, each with the reasons (see ScoreWeights for the score)."
    )
    async def partner_search(self, info: Info, input: PartnerSearchInput) -> list[PartnerMatch]:
        return await _search_partners(info, input)

    @strawberry.field(
        description="NUTS-2 regions whose clusters complement the clusters of a region (interregional / smart-specialisation planning)."
    )
    async def region_partners(self, info: Info, input: RegionPartnersInput) -> list[RegionPartner]:
        check_page(info, input.first)
        context = ctx(info)
        home = await context.loaders.region().load(input.nuts.upper())
        if home is None:
            raise NotFound(f"no region has the NUTS code '{input.nuts}'")
        rows = await context.query(
            "region_partners",
            {
                "nuts": input.nuts.upper(),
                "categories": list(_values(input.region_categories) or ()) or None,
                **{k: v for k, v in Weights().params().items() if k in ("w_need", "w_reciprocity", "w_overlap")},
                "limit": input.first,
            },
        )
        regions = await context.loaders.region().load_many([r["region"] for r in rows])
        competence_ids = sorted({c for r in rows for c in r["needed"] + r["reciprocal"]})
        competences = dict(zip(competence_ids, await context.loaders.entity("Competence").load_many(competence_ids)))
        return [
            RegionPartner(
                region=Region.from_props(region),
                score=row["score"],
                overlap=row["overlap"],
                need_fit=[Competence.from_props(competences[c]) for c in sorted(row["needed"]) if competences.get(c)],
                reciprocity=[
                    Competence.from_props(competences[c]) for c in sorted(row["reciprocal"]) if competences.get(c)
                ],
            )
            for row, region in zip(rows, regions)
            if region
        ]

    @strawberry.field
    async def cluster(self, info: Info, id: strawberry.ID) -> Cluster:
        found = (await load_clusters(info, [str(id)]))[0]
        if found is None:
            raise NotFound(f"no cluster has the id '{id}'")
        return found

    @strawberry.field(
        description="Clusters matching `filter` (the directory's facets, ordered by id) or `where` (composable, with"
        " `sort` by fields and related counts): a Relay connection."
    )
    async def clusters(
        self,
        info: Info,
        filter: ClusterFilter | None = None,
        first: int = 20,
        after: str | None = None,
        where: ClusterWhere | None = None,
        sort: list[ClusterSort] | None = None,
    ) -> ClusterConnection:
        check_page(info, first)
        if where is not None or sort:
            if filter is not None:
                raise ClusterKGError("give filter or where (with sort), not both")
            total, ids, offset = await page_ids(info, "Cluster", where, sort, first, after)
            found = await load_clusters(info, ids)
            edges = [ClusterEdge(cursor=encode_cursor(offset + n), node=c) for n, c in enumerate(found) if c]
            return ClusterConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)
        offset = decode_cursor(after)
        params = await explorer.filter_params(info, filter or ClusterFilter())
        rows = await ctx(info).query("cluster_list", {**params, "skip": offset, "limit": first})
        total, page = rows[0]["total"], rows[0]["page"]
        clusters = await load_clusters(info, page)
        edges = [ClusterEdge(cursor=encode_cursor(offset + n), node=c) for n, c in enumerate(clusters) if c]
        return ClusterConnection(edges=edges, page_info=page_info(offset, len(edges), total), total_count=total)

    @strawberry.field
    async def organisation(self, info: Info, id: strawberry.ID) -> Organisation:
        found = await ctx(info).loaders.entity("Organisation").load(str(id))
        if found is None:
            raise NotFound(f"no organisation has the id '{id}'")
        return Organisation.from_props(found)

    @strawberry.field
    async def region(self, info: Info, nuts: str) -> Region:
        found = await ctx(info).loaders.region().load(nuts.upper())
        if found is None:
            raise NotFound(f"no region has the NUTS code '{nuts}'")
        return Region.from_props(found)

    @strawberry.field(
        description="Regions by NUTS level, country and cohesion category, ordered by code.",
        deprecation_reason="Use regionsConnection: where, sort, totalCount and cursors.",
    )
    async def regions(
        self,
        info: Info,
        level: int | None = None,
        country: str | None = None,
        categories: list[RegionCategory] | None = None,
        first: int = 50,
        offset: int = 0,
    ) -> list[Region]:
        check_page(info, first, offset)
        rows = await ctx(info).query(
            "region_list",
            {
                "level": level,
                "country": country.upper() if country else None,
                "categories": list(_values(categories) or ()) or None,
                "skip": offset,
                "limit": first,
            },
        )
        return [Region.from_props(r["region"]) for r in rows]

    @strawberry.field
    async def ecosystems(self, info: Info) -> list[Ecosystem]:
        return sorted((Ecosystem.from_props(p) for p in await _list(info, "Ecosystem", 100, 0)), key=lambda e: e.name)

    @strawberry.field
    async def value_chains(self, info: Info) -> list[ValueChain]:
        return [ValueChain.from_props(p) for p in await _list(info, "ValueChain", 100, 0)]

    @strawberry.field
    async def competences(self, info: Info, first: int = 100, offset: int = 0) -> list[Competence]:
        return [Competence.from_props(p) for p in await _list(info, "Competence", first, offset)]

    @strawberry.field(deprecation_reason="Use partnershipsConnection: where, sort, totalCount and cursors.")
    async def partnerships(self, info: Info, first: int = 20, offset: int = 0) -> list[Partnership]:
        return [Partnership.from_props(p) for p in await _list(info, "Partnership", first, offset)]

    @strawberry.field(deprecation_reason="Use exchangesConnection: where, sort, totalCount and cursors.")
    async def exchanges(self, info: Info, first: int = 20, offset: int = 0) -> list[Exchange]:
        return [Exchange.from_props(p) for p in await _list(info, "Exchange", first, offset)]

    @strawberry.field
    async def calls(self, info: Info) -> list[Call]:
        return [Call.from_props(p) for p in await _list(info, "Call", 100, 0)]

    @strawberry.field(
        description="Full-text search over cluster names, acronyms and descriptions, organisation, region and competence names. Words; 'hydro*' matches a prefix."
    )
    async def search(self, info: Info, text: str, first: int = 20) -> list[SearchHit]:
        check_page(info, first)
        terms = fulltext_terms(text)
        context = ctx(info)
        hits = []
        for label in ("Cluster", "Organisation", "Region", "Competence"):
            for row in await context.query("search_fulltext", {"text": terms, "limit": first}, {"label": label}):
                hits.append((row["score"], label, row["id"]))
        hits.sort(key=lambda h: (-h[0], h[1], h[2]))
        results = []
        for score, label, node_id in hits[:first]:
            if label == "Region":
                found = await context.loaders.region().load(node_id)
                item = Region.from_props(found) if found else None
            else:
                found = await context.loaders.entity(label).load(node_id)
                entity_types: dict[str, Any] = {
                    "Cluster": Cluster,
                    "Organisation": Organisation,
                    "Competence": Competence,
                }
                item = entity_types[label].from_props(found) if found else None
            if item is not None:
                results.append(SearchHit(score=score, item=item))
        return results

    @strawberry.field(
        description="B2B meetings for an event: ranked pairs with reasons and a conflict-free schedule (CP-SAT, or the LP relaxation rounded for the largest events; with bound and gap).",
        permission_classes=[AnalystOnly],
    )
    async def event_match_list(self, info: Info, input: EventMatchInput) -> EventMatchList:
        return await event_match_list(info, input)

    @strawberry.field(
        description="ClusterXchange: applicants to host clusters abroad, maximising complementarity under capacities, dates and the call's quotas.",
        permission_classes=[AnalystOnly],
    )
    async def exchange_assignment(self, info: Info, input: ExchangeAssignmentInput) -> ExchangeAssignment:
        return await exchange_assignment(info, input)

    @strawberry.field(
        description="European Strategic Cluster Partnership consortia around a lead cluster that meet a call's rules, explained (an exact branch and bound, with bound and gap).",
        permission_classes=[AnalystOnly],
    )
    async def consortium(self, info: Info, input: ConsortiumInput) -> ConsortiumResult:
        return await consortium(info, input)

    @strawberry.field(
        description="The knowledge base at a glance: counts, clusters by ecosystem, country and cohesion category, exchange flows, "
        "and every NUTS-2 region as the overview map colours it."
    )
    async def overview(self, info: Info) -> explorer.Overview:
        return explorer.overview()

    @strawberry.field(
        description="How many clusters matching the filter are in each country, category, ecosystem and excellence label (dimension, value, count)."
    )
    async def cluster_facets(self, info: Info, filter: ClusterFilter | None = None) -> list[CountBy]:
        return await explorer.cluster_facets(info, filter or ClusterFilter())

    @strawberry.field(description="The clusters matching the filter as a CSV or XLSX file (at most 10,000).")
    async def clusters_file(
        self, info: Info, filter: ClusterFilter | None = None, format: explorer.TableFormat = explorer.TableFormat.CSV
    ) -> explorer.FileDownload:
        return await explorer.clusters_file(info, filter or ClusterFilter(), format)

    @strawberry.field(
        description="A partner search's results as a CSV or XLSX file, each match with its reasons in plain words."
    )
    async def partners_file(
        self, info: Info, input: PartnerSearchInput, format: explorer.TableFormat = explorer.TableFormat.CSV
    ) -> explorer.FileDownload:
        matches = await _search_partners(info, input)
        columns = ["rank", "id", "name", "country", "region", "category", "score", "reasons"]
        rows = []
        for rank, match in enumerate(matches, start=1):
            region = match.explanation.region
            rows.append(
                [
                    rank,
                    match.partner.id,
                    match.partner.name,
                    match.partner.country_code,
                    region.nuts if region else None,
                    region.category.value if region and region.category else None,
                    round(match.score, 4),
                    "; ".join(match.explanation.sentences),
                ]
            )
        return explorer.table_file(
            f"partners-of-{input.seeker_id}", columns, rows, format, any(m.partner.synthetic for m in matches)
        )

    @strawberry.field(
        description="Background matching jobs of this server, newest first (analysts).",
        permission_classes=[AnalystOnly],
    )
    async def jobs(self, info: Info) -> list[job_api.Job]:
        return await job_api.list_jobs(info)

    @strawberry.field(
        description="One background job: status, progress, and when done its preview and files.",
        permission_classes=[AnalystOnly],
    )
    async def job(self, info: Info, id: strawberry.ID) -> job_api.Job:
        return await job_api.get_job(info, str(id))

    @strawberry.field(description="Counts of nodes by label and relationships by type.")
    async def stats(self, info: Info) -> Stats:
        context = ctx(info)
        nodes = await context.query("count_nodes_by_label", {})
        rels = await context.query("count_relationships_by_type", {})
        return Stats(
            nodes=[LabelCount(label=r["label"], count=r["count"]) for r in nodes],
            relationships=[
                RelationshipCount(type=r["type"], from_label=r["from_label"], to_label=r["to_label"], count=r["count"])
                for r in rels
            ],
        )


@strawberry.type(description="Background jobs: the only writes, and none of them to the graph.")
class Mutation:
    @strawberry.mutation(
        description="Validate an attendee file and queue a B2B meeting schedule.", permission_classes=[AnalystOnly]
    )
    async def start_event_job(self, info: Info, input: job_api.EventJobInput) -> job_api.JobStarted:
        return await job_api.start_event_job(info, input)

    @strawberry.mutation(
        description="Validate applicant and host files and queue a ClusterXchange assignment.",
        permission_classes=[AnalystOnly],
    )
    async def start_exchange_job(self, info: Info, input: job_api.ExchangeJobInput) -> job_api.JobStarted:
        return await job_api.start_exchange_job(info, input)

    @strawberry.mutation(
        description="Check a lead and a call and queue consortium proposals.", permission_classes=[AnalystOnly]
    )
    async def start_consortium_job(self, info: Info, input: ConsortiumInput) -> job_api.JobStarted:
        return await job_api.start_consortium_job(info, input)

    @strawberry.mutation(description="Remove a finished job and its files.", permission_classes=[AnalystOnly])
    async def delete_job(self, info: Info, id: strawberry.ID) -> bool:
        return await job_api.delete_job(info, str(id))


class ClusterKGSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # A user's mistake (bad input, unknown id, a limit) is answered, not logged
        # as a server fault; only INTERNAL errors keep strawberry's traceback log.
        internal = [e for e in errors if code_and_message(e)[0] == "INTERNAL"]
        if internal:
            super().process_errors(internal, execution_context)


def build_schema(settings: ApiSettings = ApiSettings()) -> strawberry.Schema:
    # The depth and alias rules are classes made once here: QueryDepthLimiter and MaxAliasesLimiter
    # make a new rule class per instance, so a per-request instance made every validation a miss
    # of ValidationCache, whose key holds the rule classes (two document walks, ~4 ms a request).
    limit_rules: list[type[ASTValidationRule]] = [
        depth_validator(settings.max_depth, None, None),
        alias_validator(settings.max_aliases),
    ]
    return ClusterKGSchema(
        query=merge_types("Query", (Query, ChangeQuery, PostingQuery, ProgrammeQuery, ListQuery)),
        mutation=merge_types("Mutation", (Mutation, ChangeMutation, PostingMutation, ProgrammeMutation)),
        subscription=Subscription,
        extensions=[
            # front-ends send the same few documents again and again: parse and validate each once
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            lambda: AddValidationRules(limit_rules),
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            cost_limit(settings.max_cost),
        ],
    )


def schema_sdl() -> str:
    return str(build_schema()).rstrip() + "\n"
