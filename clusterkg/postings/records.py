"""A posting as the graph keeps it (a Posting node), with its status as of a given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clusterkg.postings.fields import PostingKind, PostingStatus


def effective_status(stored: str, deadline: str | None, today: dt.date) -> PostingStatus:
    """PUBLISHED past its deadline is EXPIRED, whether or not the sweep has written it yet."""
    if stored == "PUBLISHED" and deadline is not None and deadline < today.isoformat():
        return "EXPIRED"
    return stored  # type: ignore[return-value]


@dataclass(frozen=True)
class PostingRecord:
    id: str
    cluster_id: str
    kind: PostingKind
    title: str
    text: str
    status: PostingStatus  # as of the day it was read
    deadline: str
    competences: tuple[str, ...]
    value_chains: tuple[str, ...]
    ecosystems: tuple[str, ...]
    target_categories: tuple[str, ...]
    target_countries: tuple[str, ...]
    revision: int
    created_at: str | None = None
    updated_at: str | None = None
    published_at: str | None = None
    closed_at: str | None = None
    by: str | None = None  # the account that wrote it (an id, never a token)
    synthetic: bool = False
    cluster_name: str | None = None

    @classmethod
    def from_row(cls, props: Mapping[str, Any], today: dt.date, cluster_name: str | None = None) -> PostingRecord:
        def ids(name: str) -> tuple[str, ...]:
            return tuple(props.get(name) or ())

        return cls(
            id=props["id"],
            cluster_id=props.get("cluster_id") or "",
            kind=props.get("kind") or "REQUEST",
            title=props.get("title") or "",
            text=props.get("text") or "",
            status=effective_status(props.get("status") or "PUBLISHED", props.get("deadline"), today),
            deadline=props.get("deadline") or "",
            competences=ids("competences"),
            value_chains=ids("value_chains"),
            ecosystems=ids("ecosystems"),
            target_categories=ids("target_categories"),
            target_countries=ids("target_countries"),
            revision=int(props.get("revision") or 0),
            created_at=props.get("created_at"),
            updated_at=props.get("updated_at"),
            published_at=props.get("published_at"),
            closed_at=props.get("closed_at"),
            by=props.get("by"),
            synthetic=bool(props.get("synthetic")),
            cluster_name=cluster_name,
        )

    @property
    def is_request(self) -> bool:
        return self.kind in ("REQUEST", "RD_REQUEST")


def relation_params(kind: str, competences: list[str]) -> dict[str, list[str]]:
    """A request SEEKS its competences, an offer OFFERS them: partner search reads a posting as it reads a profile."""
    request = kind in ("REQUEST", "RD_REQUEST")
    return {"seeks": competences if request else [], "offers": [] if request else competences}
