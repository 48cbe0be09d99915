"""Edits, reviews and reverts of a cluster's profile: authorised, validated, then one guarded write each.

Every operation checks the principal's role first (UNAUTHENTICATED, FORBIDDEN),
validates everything before writing (FieldErrors naming each field, nothing
written), and then writes once: `change_publish` applies the change, records
it and bumps the revisions in one query, and returns nothing when the
cluster's revision moved since it was read, which is a CONFLICT naming the
current one; two editors never silently overwrite each other. On FalkorDB a
query is atomic; on Neo4j it is one transaction that takes the cluster's
write lock before it reads the revision.

Review (DESIGN.md §2, the ECCP's criteria as data in clusterkg.changes.rules):
under `auto` an edit publishes at once when the profile meets the rules
before and after it; otherwise, and always under `always`, it waits for a
moderator. A moderator's or admin's own edits publish at once. Approving
checks that each field still has the value the change was made against, so
a stale approval is a CONFLICT too, never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from clusterkg import queries
from clusterkg.accounts.principal import Principal
from clusterkg.changes.fields import BY_NAME, NewMember, check_new_member, check_profile
from clusterkg.changes.records import (
    ALL_STATUSES,
    PUBLIC_STATUSES,
    ChangeKind,
    ChangeRecord,
    ChangeStatus,
    FieldChange,
    HistoryEntry,
)
from clusterkg.changes.rules import PublicationRules, member_kinds, publication_rules
from clusterkg.errors import ClusterKGError, Conflict, FieldErrors, NotFound
from clusterkg.graph.store import GraphStore

ReviewMode = Literal["auto", "always"]
REVIEW_MODES: tuple[ReviewMode, ...] = ("auto", "always")
Decision = Literal["APPROVE", "REJECT"]
HISTORY_LIMIT = 1_000  # changes read for one history page
PROP_OF = {f.name: f.prop for f in BY_NAME.values()}


def review_mode_of(text: str) -> ReviewMode:
    if text not in REVIEW_MODES:
        raise ClusterKGError(f"CLUSTERKG_REVIEW must be auto or always, not '{text}'")
    return text


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Edit:
    """What an editor asks to change: profile fields (as the API names them) and/or sets of ids."""

    kind: ChangeKind
    profile: Mapping[str, Any] = field(default_factory=dict)
    offers: Sequence[str] | None = None
    seeks: Sequence[str] | None = None
    ecosystems: Sequence[str] | None = None
    add_members: Sequence[NewMember] = ()
    remove_members: Sequence[str] = ()


@dataclass(frozen=True)
class Current:
    """A cluster as an edit finds it."""

    properties: dict[str, Any]
    revision: int
    relations: dict[str, list[str]]  # offers, seeks, ecosystems, members -> sorted ids
    member_kinds: int

    def value(self, name: str) -> Any:
        if name in self.relations:
            return self.relations[name]
        return self.properties.get(PROP_OF[name])

    def profile(self, props: Mapping[str, Any] | None = None, members: int | None = None) -> dict[str, Any]:
        found = {**self.properties, **(props or {})}
        kinds = self.member_kinds if members is None else members
        return {**found, "member_kinds": kinds or None}


def read_current(store: GraphStore, cluster_id: str) -> Current:
    rows = queries.run(store, "cluster_editable", {"id": cluster_id}).rows
    if not rows:
        raise NotFound(f"no cluster has the id '{cluster_id}'")
    row = rows[0]
    return Current(
        properties=dict(row["properties"]),
        revision=int(row["revision"]),
        relations={name: sorted(set(row[name] or [])) for name in ("offers", "seeks", "ecosystems", "members")},
        member_kinds=member_kinds(row["member_kinds"] or []),
    )


def _stale(cluster_id: str, current: int, given: int) -> Conflict:
    return Conflict(
        f"cluster '{cluster_id}' is at revision {current}, not {given}: someone changed it since you read it; "
        "read it again and re-apply your change",
        current=current,
    )


def _existing(store: GraphStore, label: str, ids: Sequence[str]) -> set[str]:
    found = queries.run(store, "existing_ids", {"ids": sorted(set(ids))}, labels={"label": label}).rows
    return {r["id"] for r in found}


def _field_changes(store: GraphStore, current: Current, edit: Edit) -> list[FieldChange]:
    """The fields the edit really changes, each with before and after; FieldErrors for any bad value."""
    values = check_profile(edit.profile, current.properties)
    changes = [
        FieldChange(name, current.properties.get(PROP_OF[name]), values[PROP_OF[name]])
        for name in edit.profile
        if values[PROP_OF[name]] != current.properties.get(PROP_OF[name])
    ]
    errors: dict[str, str] = {}
    for name, label, given in (
        ("offers", "Competence", edit.offers),
        ("seeks", "Competence", edit.seeks),
        ("ecosystems", "Ecosystem", edit.ecosystems),
    ):
        if given is None:
            continue
        wanted = sorted({str(i).strip() for i in given if str(i).strip()})
        unknown = sorted(set(wanted) - _existing(store, label, wanted))
        if unknown:
            errors[name] = f"unknown {label.lower()} id{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}"
        elif wanted != current.relations[name]:
            changes.append(FieldChange(name, current.relations[name], wanted))
    if edit.add_members or edit.remove_members:
        changes.extend(_member_change(store, current, edit, errors))
    if errors:
        raise FieldErrors(errors)
    if not changes:
        raise FieldErrors({"changes": "nothing to change: every value given is the cluster's value already"})
    return changes


def _member_change(store: GraphStore, current: Current, edit: Edit, errors: dict[str, str]) -> list[FieldChange]:
    members = set(current.relations["members"])
    checked = [check_new_member(m, i, errors) for i, m in enumerate(edit.add_members)]
    named = [m.organisation_id for m in checked if m is not None and m.organisation_id is not None]
    unknown = sorted(set(named) - _existing(store, "Organisation", named)) if named else []
    if unknown:
        errors["members.add"] = f"unknown organisation ids: {', '.join(unknown)}"
    not_members = sorted(set(edit.remove_members) - members)
    if not_members:
        errors["members.remove"] = f"not members of this cluster: {', '.join(not_members)}"
    new: list[dict[str, Any]] = [
        {"id": f"org-{uuid.uuid4().hex[:12]}", "name": m.name, "kind": m.kind}
        for m in checked
        if m is not None and not m.organisation_id
    ]
    after = sorted((members | set(named) | {str(n["id"]) for n in new}) - set(edit.remove_members))
    if errors or after == sorted(members):
        return []
    return [FieldChange("members", sorted(members), after, tuple(new))]


def _profile_after(current: Current, changes: Sequence[FieldChange], store: GraphStore) -> dict[str, Any]:
    props = {PROP_OF[c.field]: c.after for c in changes if c.field in PROP_OF}
    kinds = current.member_kinds
    for change in changes:
        if change.field == "members":
            rows = queries.run(store, "party_profiles", {"ids": change.after}, labels={"label": "Organisation"}).rows
            created = {n["id"]: n["kind"] for n in change.new_organisations}
            kinds = member_kinds([r["kind"] for r in rows] + list(created.values()))
    return current.profile(props, kinds)


def _publish_params(current: Current, record: ChangeRecord, reverts: str | None) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    relation: dict[str, tuple[list[str], list[str]]] = {}
    new_organisations: list[dict[str, Any]] = []
    for change in record.fields:
        if change.field in PROP_OF:
            properties[PROP_OF[change.field]] = change.after
            continue
        before, after = set(current.relations[change.field]), set(change.after or [])
        relation[change.field] = (sorted(after - before), sorted(before - after))
        new_organisations.extend(
            {
                **n,
                "country": current.properties.get("country"),
                "category": current.properties.get("category"),
                "ecosystems": sorted(current.properties.get("ecosystems") or []),
            }
            for n in change.new_organisations
        )
        if change.field == "ecosystems":
            properties["ecosystems"] = sorted(after)  # the filter copy partner search reads (ENGINES.md §5)
    edited = set(current.properties.get("edited_fields") or [])
    edited |= {PROP_OF.get(c.field, c.field) for c in record.fields if c.field != "members"}
    properties["edited_fields"] = sorted(edited)

    def adds(name: str) -> list[str]:
        return relation.get(name, ([], []))[0]

    def removes(name: str) -> list[str]:
        return relation.get(name, ([], []))[1]

    return {
        "cluster_id": record.cluster_id,
        "revision": current.revision,
        "properties": properties,
        "add_offers": adds("offers"),
        "remove_offers": removes("offers"),
        "add_seeks": adds("seeks"),
        "remove_seeks": removes("seeks"),
        "add_ecosystems": adds("ecosystems"),
        "remove_ecosystems": removes("ecosystems"),
        "new_organisations": new_organisations,
        "add_members": adds("members"),
        "remove_members": removes("members"),
        "change": record.node(),
        "reverts": reverts,
        "graph_revision": uuid.uuid4().hex,
    }


def _publish(store: GraphStore, current: Current, record: ChangeRecord, reverts: str | None = None) -> ChangeRecord:
    stats = queries.write(store, "change_publish", _publish_params(current, record, reverts))
    if not stats.returned:
        raise _stale(record.cluster_id, read_current(store, record.cluster_id).revision, current.revision)
    return replace(record, revision=int(stats.returned[0]["revision"]))


def edit_cluster(
    store: GraphStore,
    principal: Principal,
    cluster_id: str,
    edit: Edit,
    revision: int,
    *,
    review: ReviewMode = "auto",
    rules: PublicationRules | None = None,
) -> ChangeRecord:
    """Publish the edit or queue it for review (see the module's docstring); the change as recorded."""
    account = principal.require_editor_of(cluster_id)
    current = read_current(store, cluster_id)
    if revision != current.revision:
        raise _stale(cluster_id, current.revision, revision)
    changes = _field_changes(store, current, edit)
    rules = rules or publication_rules()
    unmet_after = rules.unmet(_profile_after(current, changes, store))
    unmet_before = rules.unmet(current.profile())
    publish = account.has("moderator") or (review == "auto" and not unmet_before and not unmet_after)
    record = ChangeRecord(
        id=f"chg-{uuid.uuid4().hex[:16]}",
        cluster_id=cluster_id,
        kind=edit.kind,
        fields=tuple(changes),
        by=account.id,
        by_email=account.email,
        at=now(),
        status="PUBLISHED" if publish else "PENDING_REVIEW",
        base_revision=current.revision,
        unmet_rules=tuple(r.text for r in unmet_after or unmet_before),
    )
    if publish:
        return _publish(store, current, record)
    stats = queries.write(
        store, "change_submit", {"cluster_id": cluster_id, "revision": current.revision, "change": record.node()}
    )
    if not stats.returned:
        raise _stale(cluster_id, read_current(store, cluster_id).revision, current.revision)
    return record


def get_change(store: GraphStore, change_id: str) -> ChangeRecord:
    rows = queries.run(store, "change_by_id", {"id": change_id}).rows
    if not rows:
        raise NotFound(f"no change has the id '{change_id}'")
    return ChangeRecord.from_node(rows[0]["change"])


def _unchanged_since(current: Current, record: ChangeRecord, side: Literal["before", "after"]) -> None:
    moved = [c.field for c in record.fields if current.value(c.field) != getattr(c, side)]
    if moved:
        raise Conflict(
            f"change {record.id}: {', '.join(moved)} changed since (cluster '{record.cluster_id}' is at revision "
            f"{current.revision}); it cannot be applied over a later change",
            current=current.revision,
        )


def review_change(
    store: GraphStore, principal: Principal, change_id: str, decision: Decision, comment: str | None = None
) -> ChangeRecord:
    """A moderator approves (publishes) or rejects a pending change."""
    moderator = principal.require_role("moderator")
    record = get_change(store, change_id)
    if record.status != "PENDING_REVIEW":
        raise Conflict(
            f"change {change_id} is {record.status}, not PENDING_REVIEW: it was decided already", current=record.status
        )
    comment = (comment or "").strip()[:2000] or None
    reviewed = replace(record, reviewed_by=moderator.id, reviewed_at=now(), comment=comment)
    if decision == "REJECT":
        stats = queries.write(
            store,
            "change_decide",
            {
                "id": change_id,
                "status": "REJECTED",
                "reviewed_by": moderator.id,
                "reviewed_at": reviewed.reviewed_at,
                "comment": comment,
            },
        )
        if not stats.returned:
            raise Conflict(
                f"change {change_id} was decided by someone else meanwhile", current=get_change(store, change_id).status
            )
        return replace(reviewed, status="REJECTED")
    current = read_current(store, record.cluster_id)
    _unchanged_since(current, record, "before")
    return _publish(store, current, replace(reviewed, status="PUBLISHED"))


def revert_change(store: GraphStore, principal: Principal, change_id: str, comment: str | None = None) -> ChangeRecord:
    """A moderator undoes a published change: a new change that sets every field back, the old one REVERTED."""
    moderator = principal.require_role("moderator")
    record = get_change(store, change_id)
    if record.status != "PUBLISHED":
        raise Conflict(
            f"change {change_id} is {record.status}: only a PUBLISHED change can be reverted", current=record.status
        )
    current = read_current(store, record.cluster_id)
    _unchanged_since(current, record, "after")
    back = tuple(FieldChange(c.field, c.after, c.before) for c in record.fields)
    revert = ChangeRecord(
        id=f"chg-{uuid.uuid4().hex[:16]}",
        cluster_id=record.cluster_id,
        kind="revert",
        fields=back,
        by=moderator.id,
        by_email=moderator.email,
        at=now(),
        status="PUBLISHED",
        base_revision=current.revision,
        reviewed_by=moderator.id,
        reviewed_at=now(),
        comment=(comment or "").strip()[:2000] or None,
        reverts=record.id,
    )
    return _publish(store, current, revert, reverts=record.id)


def visible_statuses(principal: Principal, cluster_id: str) -> tuple[ChangeStatus, ...]:
    """Everyone sees published and reverted changes; a cluster's editors and the moderators see all."""
    return ALL_STATUSES if principal.may_see_pending(cluster_id) else PUBLIC_STATUSES


def history(
    store: GraphStore, principal: Principal, cluster_id: str, first: int, after: str | None
) -> list[HistoryEntry]:
    """The cluster's changes, newest first, one entry per field; `after` is the cursor of the last entry seen."""
    rows = queries.run(
        store,
        "changes_of",
        {
            "cluster_id": cluster_id,
            "statuses": list(visible_statuses(principal, cluster_id)),
            "skip": 0,
            "limit": HISTORY_LIMIT,
        },
    ).rows
    entries = [
        HistoryEntry(f"{record.id}:{i}", record, change)
        for record in (ChangeRecord.from_node(r["change"]) for r in rows)
        for i, change in enumerate(record.fields)
    ]
    if after is not None:
        cursors = [e.cursor for e in entries]
        if after not in cursors:
            raise FieldErrors({"after": f"'{after}' is not a cursor of this history"})
        entries = entries[cursors.index(after) + 1 :]
    return entries[:first]


def pending(store: GraphStore, principal: Principal, limit: int = 100) -> list[tuple[ChangeRecord, str | None]]:
    """The moderators' queue, oldest first, each change with its cluster's name."""
    principal.require_role("moderator")
    rows = queries.run(store, "changes_by_status", {"status": "PENDING_REVIEW", "limit": limit}).rows
    return [(ChangeRecord.from_node(r["change"]), r["cluster_name"]) for r in rows]
