"""A change as the graph keeps it (a Change node) and as history shows it (one entry per field)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ChangeStatus = Literal["PUBLISHED", "PENDING_REVIEW", "REJECTED", "REVERTED"]
ChangeKind = Literal["profile", "competences", "ecosystems", "members", "revert"]
PUBLIC_STATUSES: tuple[ChangeStatus, ...] = ("PUBLISHED", "REVERTED")
ALL_STATUSES: tuple[ChangeStatus, ...] = ("PUBLISHED", "PENDING_REVIEW", "REJECTED", "REVERTED")


@dataclass(frozen=True)
class FieldChange:
    """One field of a change: its value before and after (lists of ids for relationships)."""

    field: str
    before: Any
    after: Any
    new_organisations: tuple[dict[str, Any], ...] = ()  # members a change creates: replayed when it is approved

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"field": self.field, "before": self.before, "after": self.after}
        if self.new_organisations:
            found["new_organisations"] = list(self.new_organisations)
        return found


@dataclass(frozen=True)
class ChangeRecord:
    id: str
    cluster_id: str
    kind: ChangeKind
    fields: tuple[FieldChange, ...]
    by: str  # account id, never a token
    by_email: str
    at: str
    status: ChangeStatus
    base_revision: int
    revision: int | None = None  # the cluster's revision it published, if it did
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    comment: str | None = None
    reverts: str | None = None
    reverted_by: str | None = None
    unmet_rules: tuple[str, ...] = field(default=(), compare=False)  # why it waits for review (not stored)

    def node(self) -> dict[str, Any]:
        """The Change node's properties (fields as JSON text: a map is no property value)."""
        return {
            "id": self.id,
            "cluster_id": self.cluster_id,
            "kind": self.kind,
            "fields": json.dumps([f.as_dict() for f in self.fields], ensure_ascii=False, sort_keys=True),
            "by": self.by,
            "by_email": self.by_email,
            "at": self.at,
            "status": self.status,
            "base_revision": self.base_revision,
            "reviewed_by": self.reviewed_by,
            "reviewed_at": self.reviewed_at,
            "comment": self.comment,
            "reverts": self.reverts,
        }

    @classmethod
    def from_node(cls, props: Mapping[str, Any]) -> ChangeRecord:
        fields = tuple(
            FieldChange(f["field"], f.get("before"), f.get("after"), tuple(f.get("new_organisations") or ()))
            for f in json.loads(props.get("fields") or "[]")
        )
        return cls(
            id=props["id"],
            cluster_id=props["cluster_id"],
            kind=props["kind"],
            fields=fields,
            by=props["by"],
            by_email=props.get("by_email") or "",
            at=props["at"],
            status=props["status"],
            base_revision=int(props.get("base_revision") or 0),
            revision=props.get("revision"),
            reviewed_by=props.get("reviewed_by"),
            reviewed_at=props.get("reviewed_at"),
            comment=props.get("comment"),
            reverts=props.get("reverts"),
            reverted_by=props.get("reverted_by"),
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One field of one change, as the profile's history lists it."""

    cursor: str
    change: ChangeRecord
    field: FieldChange
