"""GraphQL types of partner search and region partners: the input, the weights, and each match's explanation."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from clusterkg.defaults import default
from clusterkg.graphql.entities import Partner
from clusterkg.graphql.types import Competence, PartnerKind, Region, RegionCategory, ValueChain, load_region
from clusterkg.scoring.complementarity import Weights, partner_search


@strawberry.type
class CompetencePair:
    sought: Competence
    offered: Competence


@strawberry.type
class ValueChainFit:
    value_chain: ValueChain
    seeker_stages: list[str]
    partner_stages: list[str]
    adjacent: bool = strawberry.field(
        description="Some stages of the two are next to each other (fit 1.0; otherwise 0.5)"
    )
    fit: float


@strawberry.type(description="The parts of the score (see ScoreWeights).")
class ScoreComponents:
    need: int
    reciprocity: int
    value_chain: float
    overlap: float
    ties: int
    together: int = strawberry.field(description="EU projects the two worked on together (CORDIS)")
    collaboration: float = strawberry.field(
        description="The collaboration term: 1.0 worked together, 0.5 one partner apart (counted when its weight is not 0), else 0"
    )


@strawberry.type(description="Work in EU projects (CORDIS): together, or through a partner both worked with.")
class CollaborationExplanation:
    projects: int = strawberry.field(
        description="EU projects both took part in (for two clusters: the clusters or their members)"
    )
    via: str | None = strawberry.field(description="participants, or members (two clusters tied through members)")
    project_names: list[str] = strawberry.field(description="Acronyms of projects both took part in themselves")
    shared_partners: list[str] = strawberry.field(description="Names of partners both worked with (the first few)")
    shared_partner_count: int


@strawberry.type
class MatchExplanation:
    need_fit: list[CompetencePair] = strawberry.field(
        description="Competences the seeker seeks (sought) that the partner offers (offered: the same or a narrower one)"
    )
    reciprocity: list[CompetencePair] = strawberry.field(
        description="Competences the partner seeks that the seeker offers"
    )
    value_chains: list[ValueChainFit]
    overlap: float = strawberry.field(
        description="Jaccard similarity of their offers (a penalty: twins are competitors)"
    )
    ties: list[str] = strawberry.field(
        description="Existing ties: shared partnerships, past exchanges, shared clusters"
    )
    sentences: list[str] = strawberry.field(
        description="The same reasons in plain words, from the partner's side: 'offers Fuel cells, which you seek'"
    )
    components: ScoreComponents
    collaboration: CollaborationExplanation | None = strawberry.field(
        description="Work together in EU projects (CORDIS), or a partner both worked with; null when neither"
    )
    region_nuts: strawberry.Private[str | None]

    @strawberry.field(
        description="The partner's region, with its cohesion category (the same as the partner's own region)"
    )
    async def region(self, info: Info) -> Region | None:
        return await load_region(info, self.region_nuts)


@strawberry.type
class PartnerMatch:
    partner: Partner
    score: float
    explanation: MatchExplanation


@strawberry.input(
    description="Weights of the score: need*need + reciprocity*reciprocity + valueChain*valueChainFit - overlap*overlap - tie (if tied)"
    " + collaboration*collaborationTerm (positive favours partners from EU projects, negative finds new ones). Defaults shown."
)
class ScoreWeights:
    need: float = default(Weights, "need")
    reciprocity: float = default(Weights, "reciprocity")
    value_chain: float = default(Weights, "value_chain")
    overlap: float = default(Weights, "overlap")
    tie: float = default(Weights, "tie")
    collaboration: float = default(Weights, "collaboration")


@strawberry.input
class PartnerSearchInput:
    seeker_id: strawberry.ID
    candidates: PartnerKind = PartnerKind.CLUSTER
    region_categories: list[RegionCategory] | None = None
    countries: list[str] | None = None
    exclude_countries: list[str] | None = None
    exclude_own_country: bool = False
    ecosystems: list[strawberry.ID] | None = None
    excellence_labels: list[str] | None = None
    nuts_region: str | None = strawberry.field(
        default=None, description="Only partners located in this NUTS region or below (e.g. ITF or ITF5)"
    )
    exclude_existing_partners: bool = default(partner_search, "exclude_ties")
    weights: ScoreWeights | None = None
    first: int = default(partner_search, "first")
    offset: int = default(partner_search, "skip")


@strawberry.input
class RegionPartnersInput:
    nuts: str
    region_categories: list[RegionCategory] | None = None
    first: int = 10


@strawberry.type
class RegionPartner:
    region: Region
    score: float
    need_fit: list[Competence] = strawberry.field(
        description="Competences sought in the given region and offered in this one"
    )
    reciprocity: list[Competence] = strawberry.field(
        description="Competences sought in this region and offered in the given one"
    )
    overlap: float
