"""The ClusterXchange model's parts: the settings, applicants, hosts, their options and the quota units.

clusterkg.exchanges.assignment documents the assignment and builds these from the
files and the graph; they live here so that the solvers and the job share them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clusterkg.errors import ClusterKGError
from clusterkg.jobs.inputs import Place
from clusterkg.scoring.complementarity import Weights
from clusterkg.scoring.profiles import PartyProfile, Profile

RATIO_UNITS = 1000  # quota shares to three decimals in the model


@dataclass(frozen=True)
class ExchangeSettings:
    sme_share: float = 0.5
    outside_share: float = 0.25
    time_limit_s: float = 30.0
    gap_limit: float = 0.0005  # stop within 0.05% of the bound (the call's goal is 1%)
    weights: Weights = Weights()

    def validate(self) -> None:
        for name in ("sme_share", "outside_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ClusterKGError(f"{name.replace('_', ' ')} must be between 0 and 1")
        if self.time_limit_s <= 0:
            raise ClusterKGError("the time limit must be positive")


@dataclass
class Applicant:
    id: str
    name: str
    organisation_id: str | None
    kind: str | None
    sme: bool
    outside: bool  # not a member of the partnerships' community
    sending_cluster: PartyProfile
    earliest: dt.date
    latest: dt.date
    days: int
    topics: list[str]  # as the applicant wrote them
    profile: Profile
    synthetic: bool
    place: Place | None = None  # the row's own nuts or postcode; else the sending cluster's place stands for it

    @property
    def country(self) -> str:
        return self.place.country if self.place else self.sending_cluster.country or ""

    @property
    def category(self) -> str | None:
        return self.place.category if self.place else self.sending_cluster.category


@dataclass
class Host:
    cluster: PartyProfile
    capacity: int
    available_from: dt.date
    available_to: dt.date
    profile: Profile
    synthetic: bool
    place: Place | None = None  # where visitors are received, if the row says; else the cluster's place

    @property
    def country(self) -> str:
        return self.place.country if self.place else self.cluster.country or ""

    @property
    def category(self) -> str | None:
        return self.place.category if self.place else self.cluster.category


@dataclass
class Option:
    applicant: int
    host: int
    start: dt.date
    end: dt.date
    score: float

    @property
    def weight(self) -> float:
        return max(self.score, 0.001)


def units_share(share: float) -> int:
    return int(round(share * RATIO_UNITS))
