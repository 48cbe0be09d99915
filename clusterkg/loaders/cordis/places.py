"""Where a CORDIS participant is, and how that was known.

In the real files `nutsCode` is often empty, and where it is given it may be
a NUTS 2016 code that NUTS 2024 no longer has. So, in this order:

1. `nuts`: the row's NUTS code, when the graph knows it (or its NUTS 2024 successor);
2. `postcode`: the country and postal code through Eurostat's TERCET correspondence;
3. `city`: the city, only where every participant of this download in that
   country and city that was placed by 1 or 2 is in one and the same NUTS-3
   region (an ambiguous city places nobody);
4. `country`: the country alone, with no region (as for the United Kingdom,
   which NUTS 2024 does not cover).

The source of each place is stored with it (`nuts_source`). A row is never
rejected for its place: what was tried and failed is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clusterkg.loaders.context import Context, Place, resolve_place
from clusterkg.loaders.cordis.rows import ParticipationRow
from clusterkg.loaders.postcodes import PostcodeError, correspondence
from clusterkg.validation import Checker, fold

AMBIGUOUS = ""  # a city seen in more than one NUTS-3 region


@dataclass
class Places:
    """Locates participants; `learn` builds the city index from the rows placed by code (the first pass)."""

    context: Context
    cities: dict[tuple[str, str], str] = field(default_factory=dict)  # (country, folded city) -> NUTS-3 or AMBIGUOUS

    def locate(self, row: ParticipationRow, check: Checker) -> tuple[Place, str]:
        place = self._by_code(row, check)
        if place is not None:
            return place
        if row.city:
            nuts = self.cities.get((row.country, fold(row.city)))
            if nuts:
                found = resolve_place(nuts, self.context, Checker(check.file, check.row), "city")
                if found is not None:
                    return found, "city"
        return Place(None, row.country, None), "country"

    def learn(self, row: ParticipationRow, check: Checker) -> None:
        """Remember where this row's city is, when its code placed it at NUTS-3."""
        if not row.city:
            return
        place = self._by_code(row, check)
        if place is None or place[0].nuts is None or len(place[0].nuts) != 5:
            return
        key = (row.country, fold(row.city))
        known = self.cities.get(key)
        if known is None:
            self.cities[key] = place[0].nuts
        elif known != place[0].nuts:
            self.cities[key] = AMBIGUOUS

    def _by_code(self, row: ParticipationRow, check: Checker) -> tuple[Place, str] | None:
        if row.nuts_code:
            scratch = Checker(check.file, check.row)
            place = resolve_place(row.nuts_code, self.context, scratch, "nutsCode", allow_coarse=False)
            if place is not None and place.nuts:
                return place, "nuts"
            reasons = "; ".join(i.reason for i in scratch.issues) or "not a region of the graph"
            check.warn("nutsCode", row.nuts_code, f"{reasons}: the postcode or the city is used instead")
        if row.postcode and row.country:
            try:
                nuts3 = correspondence().nuts3(row.country, row.postcode)
            except PostcodeError:
                return None  # many real postcodes are not in TERCET: the city is tried next, quietly
            place = resolve_place(nuts3, self.context, Checker(check.file, check.row), "postCode")
            if place is not None:
                return place, "postcode"
        return None
