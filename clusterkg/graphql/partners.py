"""GraphQL types of partner search and region partners: the input, the weights, and each match's explanation."""

from __future__ import annotations

from dataclasses import asdict

import strawberry
from strawberry.types import Info

from clusterkg.defaults import default
from clusterkg.graphql.entities import Partner
from clusterkg.graphql.types import Competence, PartnerKind, Region, RegionCategory, ValueChain, load_region
from clusterkg.scoring.complementarity import CompetencePair as CompetencePairFit
from clusterkg.scoring.complementarity import Explanation, Match, Weights, partner_search


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
    requests: int = strawberry.field(description="The partner's open requests (postings) that ask for what you offer")
    posting: float = strawberry.field(description="The posting term: 1.0 when the partner has such a request, else 0")


@strawberry.type(description="An open request of the partner (a posting) that asks for what you offer.")
class PostingAnswer:
    id: strawberry.ID
    title: str
    kind: str
    deadline: str
    competences: list[CompetencePair] = strawberry.field(
        description="What it asks for (sought) and what you offer for it (offered: the same or a narrower one)"
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
        description="Existing ties: shared partnerships, past exchanges, shared clusters, past meetings, accepted interests"
    )
    postings: list[PostingAnswer] = strawberry.field(
        description="The partner's open requests that ask for what you offer (the posting term of the score)"
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
    exact: bool = strawberry.field(
        description="true: the page of the exact search; false: the engine's vector index proposed the candidates"
        " (PartnerSearchInput.exact: false), each then scored exactly; a partner with a higher score may be missing"
    )
    explanation: MatchExplanation


@strawberry.input(
    description="Weights of the score: need*need + reciprocity*reciprocity + valueChain*valueChainFit - overlap*overlap - tie (if tied)"
    " + collaboration*collaborationTerm (positive favours partners from EU projects, negative finds new ones)"
    " + posting*postingTerm (1 when the partner has an open request you answer). Defaults shown."
)
class ScoreWeights:
    need: float = default(Weights, "need")
    reciprocity: float = default(Weights, "reciprocity")
    value_chain: float = default(Weights, "value_chain")
    overlap: float = default(Weights, "overlap")
    tie: float = default(Weights, "tie")
    collaboration: float = default(Weights, "collaboration")
    posting: float = default(Weights, "posting")


@strawberry.input
class PartnerSearchInput:
    seeker_id: strawberry.ID = strawberry.field(
        description="A cluster or organisation; or a posting, whose competences stand for a profile (its own cluster left out)"
    )
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
    exact: bool | None = strawberry.field(
        default=None,
        description="null: organisations through their precomputed profiles (the exact page, fewer records); true: the"
        " plain exact search; false: the engine's vector index proposes the candidates (approximate, exact: false)",
    )


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


def _competence_pairs(pairs: list[CompetencePairFit]) -> list[CompetencePair]:
    return [CompetencePair(sought=Competence.of(p.sought), offered=Competence.of(p.offered)) for p in pairs]


def explanation_of(match: Match) -> MatchExplanation:
    """A match's reasons as the API shows them."""
    found = match.explanation or Explanation()
    region = found.region
    return MatchExplanation(
        need_fit=_competence_pairs(found.need_fit),
        reciprocity=_competence_pairs(found.reciprocity),
        value_chains=[
            ValueChainFit(
                value_chain=ValueChain(
                    id=strawberry.ID(v.value_chain.id), name=v.value_chain.name, stages=list(v.value_chain.stages)
                ),
                seeker_stages=v.seeker_stages,
                partner_stages=v.partner_stages,
                adjacent=v.adjacent,
                fit=v.fit,
            )
            for v in found.value_chains
        ],
        overlap=match.overlap,
        ties=found.ties,
        sentences=found.sentences(),
        region_nuts=region.nuts if region is not None and region.name else None,  # located per country only: no region
        components=ScoreComponents(
            need=match.need,
            reciprocity=match.reciprocity,
            value_chain=match.value_chain,
            overlap=match.overlap,
            ties=match.ties,
            together=match.together,
            collaboration=match.collaboration,
            requests=match.requests,
            posting=match.posting,
        ),
        postings=[
            PostingAnswer(
                id=strawberry.ID(p.id),
                title=p.title,
                kind=p.kind,
                deadline=p.deadline,
                competences=_competence_pairs(p.pairs),
            )
            for p in found.postings
        ],
        collaboration=CollaborationExplanation(**asdict(found.collaboration)) if found.collaboration else None,
    )
