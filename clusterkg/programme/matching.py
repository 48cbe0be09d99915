"""ClusterXchange matching as a process: the assignment proposes, each side accepts or declines.

`run_matching` (a programme officer: the moderator role) takes the call's
VALIDATED applications and open host offers, leaves out what is kept
(matches accepted by both, or by one side and waiting for the other: their
applications, and the places they take at their hosts) and the pairs a side
declined, and runs the existing assignment (clusterkg.exchanges, with the
call's quotas) over the rest. Its proposals replace the earlier proposals
nobody accepted yet. The host's editors accept for the host, the sending
cluster's editors for the visitor; the second acceptance makes the Exchange
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any, Literal

from clusterkg import queries
from clusterkg.accounts.principal import Principal
from clusterkg.errors import ClusterKGError, FieldErrors, Forbidden
from clusterkg.exchanges.assignment import assign_exchanges
from clusterkg.exchanges.model import ExchangeSettings
from clusterkg.graph.store import GraphStore
from clusterkg.jobs.inputs import Row
from clusterkg.jobs.records import ApplicantRecord, HostRecord
from clusterkg.programme import states
from clusterkg.programme.applications import _reason, item, items, now

Side = Literal["HOST", "VISITOR"]
SIDES: tuple[Side, ...] = ("HOST", "VISITOR")


def kept(match: dict[str, Any]) -> bool:
    """Accepted by both, or by one side and waiting for the other: a re-run keeps it."""
    return match["status"] == "ACCEPTED" or (
        match["status"] == "PROPOSED" and bool(match.get("host_accepted_at") or match.get("visitor_accepted_at"))
    )


def _call_settings(store: GraphStore, call_id: str) -> ExchangeSettings:
    rows = queries.run(store, "entities_by_id", {"ids": [call_id]}, labels={"label": "Call"}).rows
    if not rows:
        raise FieldErrors({"callId": f"no call has the id '{call_id}'"})
    call = rows[0]["node"]
    return ExchangeSettings(
        sme_share=float(call.get("sme_share_min") or 0.0),
        outside_share=float(call.get("outside_community_share_min") or 0.0),
    )


def run_matching(store: GraphStore, principal: Principal, call_id: str) -> dict[str, Any]:
    """Propose matches for what is left of the call; counts of what was kept, superseded and proposed."""
    principal.require_role("moderator")
    settings = _call_settings(store, call_id)
    matches = items(store, "ExchangeMatch", call_id=call_id)
    keep = [m for m in matches if kept(m)]
    taken_applications = {m["application_id"] for m in keep}
    taken_places = Counter(m["host_offer_id"] for m in keep if m["status"] != "DECLINED")
    declined = frozenset((m["application_id"], m["host_cluster_id"]) for m in matches if m["status"] == "DECLINED")
    community = {r["id"] for r in queries.run(store, "call_community", {"call_id": call_id}).rows}
    applications = [
        a
        for a in items(store, "Application", call_id=call_id)
        if a["status"] == "VALIDATED" and a["id"] not in taken_applications
    ]
    offers = [
        h
        for h in items(store, "HostOffer", call_id=call_id)
        if h["status"] == "OPEN" and int(h["capacity"]) > taken_places[h["id"]]
    ]
    if not applications or not offers:
        return {
            "kept": len(keep),
            "superseded": 0,
            "proposed": 0,
            "applications": len(applications),
            "hosts": len(offers),
        }
    applicant_rows = [
        Row(
            ApplicantRecord(
                applicant_id=a["id"],
                name=a.get("participant_name") or a["id"],
                organisation_id=a.get("organisation_id"),
                kind=a.get("participant_kind"),
                sending_cluster_id=a["sending_cluster_id"],
                community_member=a["sending_cluster_id"] in community,
                topics=list(a.get("topics") or []),
                earliest=dt.date.fromisoformat(a["earliest"]),
                latest=dt.date.fromisoformat(a["latest"]),
                days=int(a["days"]),
            ),
            "applications",
            n + 1,
        )
        for n, a in enumerate(applications)
    ]
    host_rows = [
        Row(
            HostRecord(
                cluster_id=h["cluster_id"],
                capacity=int(h["capacity"]) - taken_places[h["id"]],
                offers=list(h.get("offers") or []),
                available_from=dt.date.fromisoformat(h["available_from"]),
                available_to=dt.date.fromisoformat(h["available_to"]),
            ),
            "host offers",
            n + 1,
        )
        for n, h in enumerate(offers)
    ]
    try:
        plan = assign_exchanges(store, applicant_rows, host_rows, settings, excluded=declined)
    except ClusterKGError as exc:
        raise ClusterKGError(f"the assignment could not run: {exc}") from None
    offer_of = {id(host): offers[n]["id"] for n, host in enumerate(plan.hosts)}
    run_id = f"run-{uuid.uuid4().hex[:10]}"
    at = now()
    proposals = [
        {
            "id": f"match-{uuid.uuid4().hex[:12]}",
            "call_id": call_id,
            "application_id": a.applicant.id,
            "host_offer_id": offer_of[id(a.host)],
            "sending_cluster_id": a.applicant.sending_cluster.id,
            "host_cluster_id": a.host.cluster.id,
            "start": a.start.isoformat(),
            "end": a.end.isoformat(),
            "score": round(a.score, 4),
            "reasons": a.reasons,
            "status": "PROPOSED",
            "run_id": run_id,
            "proposed_at": at,
            "revision": 0,
            "synthetic": False,
        }
        for a in plan.assignments
    ]
    stats = queries.write(
        store,
        "matches_propose",
        {"call_id": call_id, "run_id": run_id, "matches": proposals, "graph_revision": uuid.uuid4().hex, "at": at},
    )
    found = stats.returned[0] if stats.returned else {"superseded": 0, "proposed": 0}
    return {
        "kept": len(keep),
        "superseded": int(found["superseded"]),
        "proposed": int(found["proposed"]),
        "applications": len(applications),
        "hosts": len(offers),
        "quotas_met": plan.quotas_met,
        "run_id": run_id,
    }


def _side(principal: Principal, match: dict[str, Any], side: str | None) -> Side:
    account = principal.require()
    sides = [
        s
        for s, cluster in (("HOST", match["host_cluster_id"]), ("VISITOR", match["sending_cluster_id"]))
        if account.edits(cluster)
    ]
    if side is not None:
        if side not in SIDES:
            raise FieldErrors({"side": "HOST or VISITOR"})
        if side not in sides:
            raise Forbidden(f"{account.email} does not act for the {side.lower()} side of match '{match['id']}'")
        return side
    if not sides:
        raise Forbidden(f"{account.email} acts for neither side of match '{match['id']}'")
    if len(sides) > 1:
        raise FieldErrors({"side": "you act for both sides: say which (HOST or VISITOR)"})
    return sides[0]  # type: ignore[return-value]


def accept_match(store: GraphStore, principal: Principal, match_id: str, side: str | None = None) -> dict[str, Any]:
    principal.require()  # who asks comes first: the public learns nothing of which ids exist
    match = item(store, "ExchangeMatch", match_id, "match")
    chosen = _side(principal, match, side)
    stamp = "host_accepted_at" if chosen == "HOST" else "visitor_accepted_at"
    if match["status"] != "PROPOSED" or match.get(stamp):
        state = (
            match["status"] if match["status"] != "PROPOSED" else f"PROPOSED, accepted by the {chosen.lower()} already"
        )
        raise states.refuse("match", match_id, state, "ACCEPTED")
    application = item(store, "Application", match["application_id"], "application")
    stats = queries.write(
        store,
        "match_accept",
        {
            "id": match_id,
            "side": chosen,
            "at": now(),
            "exchange": {
                "id": f"cx-{match_id}",
                "topic": (application.get("topics") or [None])[0],
                "days": int(application["days"]),
            },
            "graph_revision": uuid.uuid4().hex,
        },
    )
    if not stats.returned:
        latest = item(store, "ExchangeMatch", match_id, "match")
        raise states.refuse("match", match_id, latest["status"], "ACCEPTED")
    return item(store, "ExchangeMatch", match_id, "match")


def decline_match(
    store: GraphStore, principal: Principal, match_id: str, reason: str | None = None, side: str | None = None
) -> dict[str, Any]:
    principal.require()
    match = item(store, "ExchangeMatch", match_id, "match")
    chosen = _side(principal, match, side)
    states.check_move("match", match_id, match["status"], "DECLINED")
    stats = queries.write(
        store,
        "match_decline",
        {
            "id": match_id,
            "side": chosen,
            "by": principal.require().id,
            "reason": _reason(reason),
            "at": now(),
            "graph_revision": uuid.uuid4().hex,
        },
    )
    if not stats.returned:
        raise states.refuse("match", match_id, item(store, "ExchangeMatch", match_id, "match")["status"], "DECLINED")
    return item(store, "ExchangeMatch", match_id, "match")
