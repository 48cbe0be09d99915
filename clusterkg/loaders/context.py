"""What validation knows of the graph: read once per load, grown by each valid row.

A file may refer to the graph or to rows loaded with it (a member to a
cluster of the same `load dir`), so every valid record adds itself here and
later rows and kinds see it. Resolving a NUTS code or a competence term
against this context is the part of validation that needs the graph.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clusterkg import queries
from clusterkg.graph.store import GraphStore
from clusterkg.validation import Checker, fold, slug

PREFETCH_BATCH = 20_000
COUNTRY_SYNONYMS = {"GR": "EL", "GB": "UK"}  # ISO codes people type for NUTS-0 codes


@dataclass(frozen=True)
class Place:
    nuts: str | None  # the Region to link, None for a country-level location
    country: str
    category: str | None
    ecosystems: tuple[str, ...] = ()  # of the cluster at this place (members inherit them)


@dataclass
class Context:
    regions: dict[str, tuple[str, int, str | None]] = field(default_factory=dict)  # nuts -> (country, level, category)
    successors: dict[str, list[str]] = field(default_factory=dict)  # changed NUTS 2021 code -> 2024 codes
    countries: set[str] = field(default_factory=set)
    ecosystems: dict[str, str] = field(default_factory=dict)  # folded id/name/alias -> id
    competences: dict[str, str] = field(default_factory=dict)  # folded id/name/alias -> id
    value_chains: dict[str, list[str]] = field(default_factory=dict)  # id -> stages
    clusters: dict[str, Place] = field(default_factory=dict)
    partnerships: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    organisations: OrganisationIds = field(default_factory=lambda: OrganisationIds(None))
    new_competences: dict[str, dict[str, Any]] = field(default_factory=dict)  # custom competences this load creates
    edited: dict[str, tuple[str, ...]] = field(default_factory=dict)  # cluster id -> fields edited on clusterkg
    overwrite_edits: bool = False  # `--overwrite-edits`: a load replaces edited fields too

    @classmethod
    def places(cls, store: GraphStore) -> Context:
        """Only what locating a row needs: regions, changed NUTS codes, countries."""
        ctx = cls()
        for row in queries.run(store, "context_regions").rows:
            ctx.regions[row["nuts"]] = (row["country"], row["level"], row["category"])
            for alias in row["aliases"] or []:
                ctx.successors.setdefault(alias, []).append(row["nuts"])
        ctx.countries = {r["code"] for r in queries.run(store, "context_countries").rows}
        return ctx

    @classmethod
    def from_graph(cls, store: GraphStore, kinds: tuple[str, ...] = ()) -> Context:
        ctx = cls.places(store)
        for row in queries.run(store, "context_terms", labels={"label": "Ecosystem"}).rows:
            for term in [row["id"], row["name"], *(row["aliases"] or [])]:
                ctx.ecosystems[fold(term)] = row["id"]
        for row in queries.run(store, "context_terms", labels={"label": "Competence"}).rows:
            ctx.add_competence_terms(row["id"], [row["name"], *(row["aliases"] or [])])
        ctx.value_chains = {r["id"]: r["stages"] or [] for r in queries.run(store, "context_value_chains").rows}
        for row in queries.run(store, "context_clusters").rows:
            ctx.clusters[row["id"]] = Place(
                row["nuts"], row["country"], row["category"], tuple(row["ecosystems"] or ())
            )
            if row["edited_fields"]:
                ctx.edited[row["id"]] = tuple(row["edited_fields"])
        ctx.partnerships = {r["id"] for r in queries.run(store, "context_ids", labels={"label": "Partnership"}).rows}
        ctx.calls = {r["id"] for r in queries.run(store, "context_ids", labels={"label": "Call"}).rows}
        ctx.events = {r["id"] for r in queries.run(store, "context_ids", labels={"label": "Event"}).rows}
        if {"attendance", "meetings"} & set(kinds):  # rows that name organisations: the graph is asked for those
            ctx.organisations = OrganisationIds(store)
        return ctx

    def add_organisation(self, organisation_id: str) -> None:
        """A row creates this organisation: later rows of the load (attendance, meetings) may name it."""
        if self.organisations.store is not None:
            self.organisations.add(organisation_id)

    def add_competence_terms(self, competence_id: str, terms: list[str]) -> None:
        for term in [competence_id, *terms]:
            self.competences.setdefault(fold(term), competence_id)


class OrganisationIds:
    """The organisations a load's rows may name: the graph's, asked for when named, and those the load creates.

    The load's own are kept as 64-bit hashes, 8 bytes an id: the 5 million
    organisation ids of scale l held as text took 450 MB, and reading every id
    of the graph at the start of a load took more. Two ids whose hashes agree
    (a chance of about 1 in 10^12 per lookup at l) would let a row name an
    organisation that is not there; its link would then not be written."""

    def __init__(self, store: GraphStore | None) -> None:
        self.store = store  # None: this load names no organisations, and keeps none
        self._created = array("q")
        self._sorted: np.ndarray | None = None
        self._in_graph: dict[str, bool] = {}

    def add(self, organisation_id: str) -> None:
        self._created.append(hash(organisation_id))
        self._sorted = None

    def prefetch(self, ids: Iterable[Any]) -> None:
        """Ask the graph, in batches, about the ids a file names (before its rows are checked one by one)."""
        wanted = sorted({i for i in ids if isinstance(i, str) and i not in self._in_graph})
        if self.store is None:
            return
        for start in range(0, len(wanted), PREFETCH_BATCH):
            batch = wanted[start : start + PREFETCH_BATCH]
            found = {r["id"] for r in queries.run(self.store, "context_organisations_present", {"ids": batch}).rows}
            self._in_graph.update((i, i in found) for i in batch)

    def __contains__(self, organisation_id: object) -> bool:
        if not isinstance(organisation_id, str):
            return False
        if self._created:
            if self._sorted is None:
                self._sorted = np.unique(np.frombuffer(self._created, dtype=np.int64))
            key = hash(organisation_id)
            at = int(np.searchsorted(self._sorted, key))
            if at < len(self._sorted) and int(self._sorted[at]) == key:
                return True
        if organisation_id not in self._in_graph:
            self.prefetch([organisation_id])
        return self._in_graph.get(organisation_id, False)


def resolve_place(
    code: str, ctx: Context, check: Checker, field_name: str = "nuts", *, allow_coarse: bool = True
) -> Place | None:
    """A NUTS 2024 code, a changed 2021 code, or (with a warning) a NUTS-0/1 code."""
    if code in ctx.successors and code not in ctx.regions:
        successors = sorted(ctx.successors[code])
        if len(successors) > 1:
            check.error(
                field_name,
                code,
                f"NUTS 2021 code {code} was split into {', '.join(successors)} in NUTS 2024: give one of them",
            )
            return None
        check.warn(field_name, code, f"NUTS 2021 code {code} is {successors[0]} in NUTS 2024; {successors[0]} is used")
        code = successors[0]
    if code in ctx.regions:
        country, level, category = ctx.regions[code]
        if level == 1:
            if not allow_coarse:
                check.error(field_name, code, "a NUTS-2 or NUTS-3 code is needed here")
                return None
            check.warn(field_name, code, "NUTS-1 code: the location is known only at that precision")
        return Place(code, country, category)
    country = COUNTRY_SYNONYMS.get(code, code)
    if country in ctx.countries:
        if not allow_coarse:
            check.error(field_name, code, "a NUTS-2 or NUTS-3 code is needed here")
            return None
        check.warn(
            field_name, code, "country code only: the location is known only at country precision (no region linked)"
        )
        return Place(None, country, None)
    check.error(field_name, code, "unknown NUTS code (neither NUTS 2024 nor a changed NUTS 2021 code)")
    return None


def locate(
    nuts: str | None, country: str | None, postcode: str | None, ctx: Context, check: Checker
) -> tuple[Place | None, str | None]:
    """Where a row is, and how that was known: ("given") its NUTS code, or ("postcode") its country and postal code.

    A NUTS code and a postal code that disagree: the NUTS code is used, with a warning naming both."""
    from clusterkg.loaders.postcodes import PostcodeError, correspondence

    from_postcode = None
    if postcode:
        if not country:
            check.error("postcode", postcode, "a postal code needs the row's country")
        else:
            try:
                from_postcode = correspondence().nuts3(country, postcode)
            except PostcodeError as exc:
                check.error("postcode", postcode, str(exc))
    if nuts:
        place = resolve_place(nuts, ctx, check)
        if (
            place
            and place.nuts
            and from_postcode
            and not from_postcode.startswith(place.nuts)
            and not place.nuts.startswith(from_postcode)
        ):
            check.warn("nuts", nuts, f"disagrees with postal code {postcode} ({from_postcode}): {nuts} is used")
        return place, "given"
    if from_postcode:
        return resolve_place(from_postcode, ctx, check, "postcode"), "postcode"
    if not postcode:
        check.error("nuts", None, "give nuts, or country and postcode")
    return None, None


def custom_competence_id(term: str) -> str:
    return f"custom-{slug(term)}"


def resolve_competences(terms: list[str], ctx: Context, check: Checker, field_name: str) -> list[str]:
    """Taxonomy ids for the terms; unknown terms become custom competences, with a warning."""
    ids: list[str] = []
    for term in terms:
        competence_id = ctx.competences.get(fold(term))
        if competence_id is None:
            competence_id = custom_competence_id(term)
            if competence_id not in ctx.new_competences:
                ctx.new_competences[competence_id] = {
                    "id": competence_id,
                    "name": term,
                    "kind": "custom",
                    "scheme": "custom",
                    "aliases": [],
                }
                ctx.add_competence_terms(competence_id, [term])
            check.warn(
                field_name, term, f"not in the competence taxonomy: added as custom competence '{competence_id}'"
            )
        if competence_id not in ids:
            ids.append(competence_id)
    return ids
