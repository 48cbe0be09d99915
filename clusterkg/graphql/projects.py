"""GraphQL types of EU projects (CORDIS): who took part in what, and who worked with whom most."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from clusterkg.graphql.types import PartnerKind, check_page, ctx


@strawberry.type(
    description="An EU project (CORDIS) that a cluster, an organisation, or one of a cluster's members took part in."
)
class ProjectParticipation:
    id: strawberry.ID
    acronym: str | None
    title: str | None
    programme: str | None = strawberry.field(description="H2020, HORIZON, FP7 (CORDIS's frameworkProgramme)")
    start: dt.date | None
    end: dt.date | None
    participant_id: strawberry.ID = strawberry.field(
        description="Who took part: the entity itself, or a member of the cluster"
    )
    participant: str | None
    role: str | None = strawberry.field(description="coordinator, participant, partner, thirdParty, ...")
    ec_contribution: float | None = strawberry.field(description="The EU contribution to this participant, EUR")


@strawberry.type(description="A partner in EU projects (CORDIS co-participation), with the number of shared projects.")
class FrequentPartner:
    id: strawberry.ID
    name: str | None
    kind: PartnerKind
    country: str | None
    projects: int = strawberry.field(description="EU projects both took part in (two clusters: they or their members)")


async def projects_of(info: Info, label: str, entity_id: str, first: int) -> list[ProjectParticipation]:
    check_page(info, first)
    rows = await ctx(info).loaders.grouped("projects_of", labels={"label": label}).load(entity_id)
    return [
        ProjectParticipation(
            id=strawberry.ID(r["project_id"]),
            acronym=r["acronym"],
            title=r["title"],
            programme=r["programme"],
            start=_date(r["start"]),
            end=_date(r["end"]),
            participant_id=strawberry.ID(r["participant_id"]),
            participant=r["participant"],
            role=r["role"],
            ec_contribution=r["ec_contribution"],
        )
        for r in rows[:first]
    ]


async def frequent_partners_of(info: Info, label: str, entity_id: str, first: int) -> list[FrequentPartner]:
    check_page(info, first)
    rows = await ctx(info).loaders.grouped("frequent_partners_of", labels={"label": label}).load(entity_id)
    return [
        FrequentPartner(
            id=strawberry.ID(r["partner_id"]),
            name=r["name"],
            kind=PartnerKind[r["kind"]],
            country=r["country"],
            projects=int(r["projects"]),
        )
        for r in rows[:first]
    ]


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
