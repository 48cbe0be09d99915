"""A SYNTHETIC CORDIS download, in the official CSV layout, for tests and benchmarks.

Real downloads are for users to fetch (README); this writes files of the same
shape at any size: projects "SYN-P…" titled "SYNTHETIC project …", each with
a few participants drawn from a pool with a long tail (a few organisations
take part in many projects, as universities and institutes do in CORDIS).
The pool is given (for instance the organisations of a synthetic graph, which
the load then matches by name in their country) and topped up with new
organisations named "SYNTHETIC ORGANISATION …". Nothing here is real, and every
row says so in one more column, `synthetic` (true), which CORDIS's files do not
have: the load marks the projects and new organisations `synthetic: true`.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

PROJECT_COLUMNS = (
    "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;ecSignatureDate;"
    "frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;contentUpdateDate;rcn;grantDoi;synthetic"
).split(";")
ORGANISATION_COLUMNS = (
    "projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;postCode;city;country;"
    "nutsCode;geolocation;organizationURL;contactForm;order;role;ecContribution;netEcContribution;totalCost;"
    "endOfParticipation;active;synthetic"
).split(";")
ACTIVITY = ("PRC", "PRC", "PRC", "HES", "REC", "PUB", "OTH")
NEW_COUNTRIES = ("DE", "FR", "IT", "ES", "PL", "NL", "EL", "PT", "RO", "SE", "UK", "NO", "CH")


def generate_download(
    target: Path,
    pool: Sequence[tuple[str, str]],
    *,
    participations: int,
    per_project: int = 6,
    new_organisations: int = 0,
    seed: int = 42,
) -> tuple[int, int]:
    """Write project.csv and organization.csv into `target`; `pool` is (name, country) of known organisations.

    Returns (projects, participations written)."""
    rng = random.Random(seed)
    people = [(name, country) for name, country in pool]
    people += [(f"SYNTHETIC ORGANISATION {i:06d}", rng.choice(NEW_COUNTRIES)) for i in range(new_organisations)]
    if len(people) < 2:
        raise ValueError("a synthetic CORDIS download needs at least two organisations")
    # a long tail of frequent participants (cumulative, so that a draw is a bisection)
    cumulative = list(accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(people))))
    ranks = range(len(people))
    order = list(range(len(people)))
    rng.shuffle(order)
    target.mkdir(parents=True, exist_ok=True)
    projects = 0
    written = 0
    with (
        (target / "project.csv").open("w", encoding="utf-8", newline="") as project_file,
        (target / "organization.csv").open("w", encoding="utf-8", newline="") as organisation_file,
    ):
        projects_out = csv.writer(project_file, delimiter=";", quoting=csv.QUOTE_ALL)
        organisations_out = csv.writer(organisation_file, delimiter=";", quoting=csv.QUOTE_ALL)
        projects_out.writerow(PROJECT_COLUMNS)
        organisations_out.writerow(ORGANISATION_COLUMNS)
        while written < participations:
            projects += 1
            project_id, acronym = str(800_000_000 + projects), f"SYN-P{projects:06d}"
            year = rng.randint(2014, 2023)
            projects_out.writerow(
                _project_row(
                    project_id, acronym, year, rng.randint(200, 9000) * 1000.0, rng.choice(("RIA", "IA", "CSA"))
                )
            )
            size = min(max(2, int(rng.expovariate(1 / per_project))), 40, participations - written + 1)
            chosen: list[int] = []
            while len(chosen) < min(size, len(people)):
                pick = order[rng.choices(ranks, cum_weights=cumulative)[0]]
                if pick not in chosen:
                    chosen.append(pick)
            for position, index in enumerate(chosen[: participations - written], start=1):
                name, country = people[index]
                organisations_out.writerow(_participation_row(rng, project_id, acronym, index, name, country, position))
                written += 1
    return projects, written


def _project_row(project_id: str, acronym: str, year: int, cost: float, scheme: str) -> list[str]:
    values = {
        "id": project_id,
        "acronym": acronym,
        "status": "CLOSED" if year < 2020 else "SIGNED",
        "title": f"SYNTHETIC project {acronym}",
        "startDate": f"{year}-01-01",
        "endDate": f"{year + 3}-12-31",
        "totalCost": f"{cost:.2f}".replace(".", ","),
        "ecMaxContribution": f"{cost * 0.8:.2f}".replace(".", ","),
        "frameworkProgramme": "H2020" if year < 2021 else "HORIZON",
        "fundingScheme": scheme,
        "objective": "SYNTHETIC: not a real project.",
        "synthetic": "true",
    }
    return [values.get(column, "") for column in PROJECT_COLUMNS]


def _participation_row(
    rng: random.Random, project_id: str, acronym: str, index: int, name: str, country: str, position: int
) -> list[str]:
    activity = ACTIVITY[index % len(ACTIVITY)]
    values = {
        "projectID": project_id,
        "projectAcronym": acronym,
        "organisationID": str(990_000_000 + index),
        "name": name,
        "SME": ("true" if index % 3 else "false") if activity == "PRC" else "",
        "activityType": activity,
        "country": country,
        "order": str(position),
        "role": "coordinator" if position == 1 else "participant",
        "ecContribution": f"{rng.randint(20, 900) * 1000:.2f}",
        "endOfParticipation": "false",
        "active": "true",
        "synthetic": "true",
    }
    return [values.get(column, "") for column in ORGANISATION_COLUMNS]
