"""EU cohesion categories of NUTS regions (see data/reference/SOURCES.md).

2021-2027: derived by the rule of Regulation (EU) 2021/1060, Art. 108(2)
from Eurostat GDP per head in PPS, overridden by an official list where one
is loaded; NUTS-3 regions take their NUTS-2 region's category.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from statistics import mean

import pandas as pd

from clusterkg.errors import ClusterKGError
from clusterkg.validation import fold

LESS_DEVELOPED = "less_developed"
TRANSITION = "transition"
MORE_DEVELOPED = "more_developed"
CATEGORIES = (LESS_DEVELOPED, TRANSITION, MORE_DEVELOPED)

REFERENCE_YEARS = (2015, 2016, 2017)  # Art. 108(2): GDP per head 2015-2017
LESS_DEVELOPED_BELOW = 75.0
MORE_DEVELOPED_FROM = 100.0


def category_for_index(index: float) -> str:
    """The Art. 108(2) rule: < 75 less developed, 75 to < 100 transition, >= 100 more developed."""
    if index < LESS_DEVELOPED_BELOW:
        return LESS_DEVELOPED
    if index < MORE_DEVELOPED_FROM:
        return TRANSITION
    return MORE_DEVELOPED


def normalise_category(text: str) -> str:
    """'less developed (regioni meno sviluppate)' -> 'less_developed'."""
    lowered = text.strip().lower()
    for category in CATEGORIES:
        if lowered.startswith(category.replace("_", " ")):
            return category
    raise ClusterKGError(f"unknown cohesion category '{text}'")


@dataclass(frozen=True)
class GdpSeries:
    """GDP per head observations: (geo, year) -> (index EU27=100, PPS per head)."""

    values: dict[tuple[str, int], tuple[float | None, float | None]]

    def reference_index(self, geo: str) -> float | None:
        """Average index over 2015-2017, or None if a year is missing."""
        points = [self.values.get((geo, year), (None, None))[0] for year in REFERENCE_YEARS]
        known = [p for p in points if p is not None]
        if len(known) < len(points):
            return None
        return round(mean(known), 4)


def read_gdp(index_csv: Path, absolute_csv: Path) -> GdpSeries:
    values: dict[tuple[str, int], list[float | None]] = {}
    for position, path in ((0, index_csv), (1, absolute_csv)):
        frame = pd.read_csv(path, dtype={"geo": str, "time": int, "obs_value": float})
        for geo, year, value in zip(frame.geo, frame.time, frame.obs_value):
            values.setdefault((geo, int(year)), [None, None])[position] = None if pd.isna(value) else float(value)
    return GdpSeries({k: (v[0], v[1]) for k, v in values.items()})


def read_official_italy(path: Path, italian_nuts2: dict[str, str]) -> dict[str, str]:
    """Official categories keyed by NUTS-2 code; names matched to NUTS labels.

    `italian_nuts2` maps code -> NUTS label ('Valle d'Aosta/Vallée d'Aoste');
    a source name matches a label or one of its '/'-separated parts.
    """
    by_name: dict[str, str] = {}
    for code, label in italian_nuts2.items():
        for part in [label, *label.split("/")]:
            by_name[fold(part)] = code
    frame = pd.read_csv(path, dtype=str)
    official: dict[str, str] = {}
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        name = row.region_name_as_in_source
        found = by_name.get(fold(name))
        if found is None:
            raise ClusterKGError(
                f"{path.name}, row {number}, field region_name_as_in_source: '{name}' matches no Italian NUTS-2 region"
            )
        text = row.category_2021_2027_as_in_source
        if not isinstance(text, str) or not text.strip():
            raise ClusterKGError(f"{path.name}, row {number}, field category_2021_2027_as_in_source: empty")
        official[found] = normalise_category(text)
    return official


def read_official_by_code(path: Path) -> dict[str, str]:
    """Official categories of a file keyed by NUTS 2016 code (column nuts2016): the codes the decision used."""
    frame = pd.read_csv(path, dtype=str)
    official: dict[str, str] = {}
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        text = row.category_2021_2027_as_in_source
        if not isinstance(row.nuts2016, str) or not isinstance(text, str) or not text.strip():
            raise ClusterKGError(f"{path.name}, row {number}: nuts2016 and category_2021_2027_as_in_source are needed")
        official[row.nuts2016.strip()] = normalise_category(text)
    return official


def read_2014_2020(path: Path) -> dict[str, str]:
    frame = pd.read_csv(path, dtype=str)
    return {
        code.strip(): normalise_category(category)
        for code, category in zip(frame.nuts2_2013, frame.category_2014_2020)
        if isinstance(category, str) and category.strip()
    }
