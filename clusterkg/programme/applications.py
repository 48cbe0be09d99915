"""ClusterXchange applications and host offers: submitted by a cluster's editors, validated by the coordinator.

An application names the visitor (an organisation of the graph, or a new one
by name and kind, made a member of the sending cluster), the partnership it
applies under (whose coordinator validates it; the call is the one that
funded the partnership), the topics it wishes (competence ids), and a window
of dates with the number of days (3 working days to a month, the programme's
rule). A host offer names the call, a capacity, dates and what the host offers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clusterkg import queries
from clusterkg.accounts.principal import Principal
from clusterkg.changes.fields import text_field
from clusterkg.errors import FieldErrors, NotFound
from clusterkg.graph.store import GraphStore
from clusterkg.loaders.records import ORGANISATION_KINDS
from clusterkg.programme import states
from clusterkg.programme.acting import require_coordinator

MAX_DAYS = 31  # "3 working days to 1 month" (ClusterXchange FAQ)
MIN_DAYS = 3


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ApplicationInput:
    partnership_id: str
    sending_cluster_id: str
    topics: Sequence[str]
    earliest: dt.date
    latest: dt.date
    days: int
    organisation_id: str | None = None
    participant_name: str | None = None
    participant_kind: str | None = None


def items(
    store: GraphStore, label: str, ids: Sequence[str] | None = None, call_id: str | None = None
) -> list[dict[str, Any]]:
    rows = queries.run(
        store,
        "programme_items",
        {"ids": list(ids) if ids is not None else None, "call_id": call_id},
        labels={"label": label},
    ).rows
    return [dict(r["item"]) for r in rows]


def item(store: GraphStore, label: str, item_id: str, what: str) -> dict[str, Any]:
    found = items(store, label, [item_id])
    if not found:
        raise NotFound(f"no {what} has the id '{item_id}'")
    return found[0]


def _existing(store: GraphStore, label: str, ids: Sequence[str]) -> set[str]:
    rows = queries.run(store, "existing_ids", {"ids": sorted(set(ids))}, labels={"label": label}).rows
    return {r["id"] for r in rows}


def _dates(errors: dict[str, str], earliest: dt.date, latest: dt.date, days: int, first: str, last: str) -> None:
    if latest < earliest:
        errors[last] = f"{latest.isoformat()} is before {earliest.isoformat()}"
    elif days > (latest - earliest).days + 1:
        errors["days"] = f"{days} days do not fit between {earliest.isoformat()} and {latest.isoformat()}"
    if not MIN_DAYS <= days <= MAX_DAYS:
        errors["days"] = f"an exchange lasts {MIN_DAYS} to {MAX_DAYS} days, not {days}"


def apply(store: GraphStore, principal: Principal, given: ApplicationInput) -> dict[str, Any]:
    """A new SUBMITTED application by an editor of the sending cluster."""
    account = principal.require_editor_of(given.sending_cluster_id)
    errors: dict[str, str] = {}
    _dates(errors, given.earliest, given.latest, given.days, "earliest", "latest")
    topics = sorted({t.strip() for t in given.topics if t.strip()})
    if not topics:
        errors["topics"] = "name at least one competence the visitor wishes to learn about"
    elif unknown := sorted(set(topics) - _existing(store, "Competence", topics)):
        errors["topics"] = f"unknown competence ids: {', '.join(unknown)}"
    coordinators = queries.run(store, "partnership_coordinators", {"id": given.partnership_id}).rows
    if not coordinators:
        errors["partnershipId"] = f"no partnership has the id '{given.partnership_id}'"
    elif not coordinators[0]["call_id"]:
        errors["partnershipId"] = f"partnership '{given.partnership_id}' is funded by no call of the graph"
    cluster = queries.run(
        store, "entities_by_id", {"ids": [given.sending_cluster_id]}, labels={"label": "Cluster"}
    ).rows
    if not cluster:
        raise NotFound(f"no cluster has the id '{given.sending_cluster_id}'")
    new_organisation = None
    organisation_id = given.organisation_id
    participant: dict[str, Any] = {}
    if organisation_id:
        found = queries.run(store, "entities_by_id", {"ids": [organisation_id]}, labels={"label": "Organisation"}).rows
        if not found:
            errors["organisationId"] = f"no organisation has the id '{organisation_id}'"
        else:
            participant = dict(found[0]["node"])
    else:
        try:
            name = text_field(200, required=True)(given.participant_name)
        except ValueError as exc:
            errors["participantName"] = str(exc)
            name = None
        kind = (given.participant_kind or "").strip().lower()
        if kind not in ORGANISATION_KINDS:
            errors["participantKind"] = f"must be one of {', '.join(ORGANISATION_KINDS)}"
        home = cluster[0]["node"]
        organisation_id = f"org-{uuid.uuid4().hex[:12]}"
        new_organisation = {
            "id": organisation_id,
            "name": name,
            "kind": kind,
            "country": home.get("country"),
            "category": home.get("category"),
        }
    if errors:
        raise FieldErrors(errors)
    application = {
        "id": f"app-{uuid.uuid4().hex[:12]}",
        "call_id": coordinators[0]["call_id"],
        "partnership_id": given.partnership_id,
        "sending_cluster_id": given.sending_cluster_id,
        "organisation_id": organisation_id,
        "participant_name": (new_organisation or participant).get("name") or organisation_id,
        "participant_kind": (new_organisation or participant).get("kind"),
        "topics": topics,
        "earliest": given.earliest.isoformat(),
        "latest": given.latest.isoformat(),
        "days": given.days,
        "status": "SUBMITTED",
        "submitted_at": now(),
        "by": account.id,
        "revision": 0,
        "synthetic": False,
    }
    stats = queries.write(
        store,
        "application_create",
        {"application": application, "new_organisation": new_organisation, "graph_revision": uuid.uuid4().hex},
    )
    if not stats.returned:
        raise NotFound("the cluster, partnership or organisation of the application is no longer in the graph")
    return item(store, "Application", application["id"], "application")


def _move(store: GraphStore, application: dict[str, Any], status: str, by: str, reason: str | None) -> dict[str, Any]:
    states.check_move("application", application["id"], application["status"], status)
    stats = queries.write(
        store,
        "application_move",
        {
            "id": application["id"],
            "from": states.sources(states.APPLICATION, status),
            "status": status,
            "by": by,
            "at": now(),
            "reason": reason,
            "graph_revision": uuid.uuid4().hex,
        },
    )
    if not stats.returned:
        latest = item(store, "Application", application["id"], "application")
        raise states.refuse("application", application["id"], latest["status"], status)
    return item(store, "Application", application["id"], "application")


def _reason(reason: str | None) -> str | None:
    try:
        checked: str | None = text_field(2000)(reason)
    except ValueError as exc:
        raise FieldErrors({"reason": str(exc)}) from None
    return checked


def validate(
    store: GraphStore, principal: Principal, application_id: str, accept: bool, reason: str | None = None
) -> dict[str, Any]:
    """The partnership's coordinator validates (or rejects) a submitted application."""
    principal.require()  # who asks comes first: the public learns nothing of which ids exist
    application = item(store, "Application", application_id, "application")
    account = require_coordinator(store, principal, application["partnership_id"])
    return _move(store, application, "VALIDATED" if accept else "REJECTED", account.id, _reason(reason))


def withdraw(store: GraphStore, principal: Principal, application_id: str, reason: str | None = None) -> dict[str, Any]:
    """The sending cluster withdraws its application (before it is matched)."""
    principal.require()
    application = item(store, "Application", application_id, "application")
    account = principal.require_editor_of(application["sending_cluster_id"])
    return _move(store, application, "WITHDRAWN", account.id, _reason(reason))


def offer_hosting(
    store: GraphStore,
    principal: Principal,
    call_id: str,
    cluster_id: str,
    capacity: int,
    available_from: dt.date,
    available_to: dt.date,
    offers: Sequence[str],
) -> dict[str, Any]:
    """A host offer by an editor of the host cluster."""
    account = principal.require_editor_of(cluster_id)
    errors: dict[str, str] = {}
    if not _existing(store, "Call", [call_id]):
        errors["callId"] = f"no call has the id '{call_id}'"
    if not 1 <= capacity <= 100:
        errors["capacity"] = f"from 1 to 100 visitors, not {capacity}"
    if available_to < available_from:
        errors["availableTo"] = f"{available_to.isoformat()} is before {available_from.isoformat()}"
    wanted = sorted({o.strip() for o in offers if o.strip()})
    if unknown := sorted(set(wanted) - _existing(store, "Competence", wanted)):
        errors["offers"] = f"unknown competence ids: {', '.join(unknown)}"
    if errors:
        raise FieldErrors(errors)
    offer_id = f"host-{uuid.uuid4().hex[:12]}"
    offer: dict[str, Any] = {
        "id": offer_id,
        "call_id": call_id,
        "cluster_id": cluster_id,
        "capacity": capacity,
        "available_from": available_from.isoformat(),
        "available_to": available_to.isoformat(),
        "offers": wanted,
        "status": "OPEN",
        "at": now(),
        "by": account.id,
        "synthetic": False,
    }
    if not queries.write(store, "host_offer_create", {"offer": offer, "graph_revision": uuid.uuid4().hex}).returned:
        raise NotFound(f"no cluster has the id '{cluster_id}'")
    return item(store, "HostOffer", offer_id, "host offer")
