"""Finding postings: the directory's filters plus kind, competence (with the hierarchy) and words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from clusterkg import queries
from clusterkg.accounts.principal import PUBLIC, Principal
from clusterkg.errors import FieldErrors
from clusterkg.graph.store import GraphStore
from clusterkg.postings.fields import CATEGORIES, POSTING_KINDS, POSTING_STATUSES
from clusterkg.postings.records import PostingRecord

PostingSort = Literal["DEADLINE", "NEWEST", "TITLE"]
SORTS: tuple[PostingSort, ...] = ("DEADLINE", "NEWEST", "TITLE")


@dataclass(frozen=True)
class PostingFilter:
    """What a search asks for; None is "any". Kept as JSON in a saved search, so only plain values."""

    kinds: tuple[str, ...] | None = None
    statuses: tuple[str, ...] = ("PUBLISHED",)
    countries: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    nuts_prefix: str | None = None
    ecosystems: tuple[str, ...] | None = None
    value_chains: tuple[str, ...] | None = None
    competences: tuple[str, ...] | None = None
    open_to_categories: tuple[str, ...] | None = None
    open_to_countries: tuple[str, ...] | None = None
    cluster_ids: tuple[str, ...] | None = None
    synthetic: bool | None = None
    text: str | None = None

    def checked(self) -> PostingFilter:
        errors: dict[str, str] = {}
        for name, allowed, values in (
            ("kinds", POSTING_KINDS, self.kinds),
            ("statuses", POSTING_STATUSES, self.statuses),
            ("regionCategories", CATEGORIES, self.categories),
            ("openToCategories", CATEGORIES, self.open_to_categories),
        ):
            wrong = sorted(set(values or ()) - set(allowed))
            if wrong:
                errors[name] = f"not one of {', '.join(allowed)}: {', '.join(wrong)}"
        if self.text is not None and len(self.text) > 200:
            errors["text"] = "at most 200 characters"
        if errors:
            raise FieldErrors(errors)
        return self

    def as_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PostingFilter:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
        return cls(**values)


def competence_family(store: GraphStore, ids: Sequence[str]) -> list[str]:
    """The competences with their broader and narrower ones: what a search for them also finds."""
    found: set[str] = set(ids)
    for row in queries.run(store, "competence_family", {"ids": sorted(set(ids))}).rows:
        found.update(row["broader"] or [])
        found.update(row["narrower"] or [])
    return sorted(found)


def editable_clusters(principal: Principal) -> list[str]:
    return sorted(principal.account.clusters) if principal.account is not None else []


def list_params(
    store: GraphStore, principal: Principal, search: PostingFilter, sort: str, day: dt.date
) -> dict[str, Any]:
    def as_list(values: tuple[str, ...] | None) -> list[str] | None:
        return list(values) if values is not None else None

    search = search.checked()
    if sort not in SORTS:
        raise FieldErrors({"sort": f"must be one of {', '.join(SORTS)}"})
    text = (search.text or "").strip().lower() or None
    return {
        "today": day.isoformat(),
        "statuses": list(search.statuses),
        "editable": editable_clusters(principal),
        "kinds": as_list(search.kinds),
        "countries": as_list(search.countries),
        "categories": as_list(search.categories),
        "nuts_prefix": search.nuts_prefix,
        "ecosystems": as_list(search.ecosystems),
        "value_chains": as_list(search.value_chains),
        "competences": competence_family(store, search.competences) if search.competences is not None else None,
        "open_to_categories": as_list(search.open_to_categories),
        "open_to_countries": as_list(search.open_to_countries),
        "cluster_ids": as_list(search.cluster_ids),
        "synthetic": search.synthetic,
        "text": text,
        "ids": None,
        "sort": sort,
    }


def postings_by_id(store: GraphStore, ids: Sequence[str], day: dt.date) -> dict[str, PostingRecord]:
    rows = queries.run(store, "postings_by_id", {"ids": list(ids)}).rows
    return {r["posting"]["id"]: PostingRecord.from_row(r["posting"], day, r["cluster_name"]) for r in rows}


def find_postings(
    store: GraphStore,
    principal: Principal,
    search: PostingFilter,
    *,
    sort: str = "DEADLINE",
    first: int = 20,
    skip: int = 0,
    day: dt.date,
    timeout_ms: int | None = None,
) -> tuple[int, list[PostingRecord]]:
    """The total that match and one page of them, in the order asked for."""
    params = {**list_params(store, principal, search, sort, day), "skip": skip, "limit": first}
    row = queries.run(store, "posting_list", params, timeout_ms=timeout_ms).rows[0]
    found = postings_by_id(store, row["page"], day)
    return int(row["total"]), [found[i] for i in row["page"] if i in found]


def matches(store: GraphStore, search: PostingFilter, posting_id: str, day: dt.date) -> bool:
    """Does this posting match a (saved) search? The search's own query, asked about one posting."""
    params = {**list_params(store, PUBLIC, search, "TITLE", day), "ids": [posting_id], "skip": 0, "limit": 1}
    return int(queries.run(store, "posting_list", params).rows[0]["total"]) > 0
