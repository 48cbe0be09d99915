"""Every file kind a load knows, in the order a folder loads them (references point backwards)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clusterkg.loaders.context import Context
from clusterkg.loaders.events import (
    check_attendance,
    check_event,
    check_meeting,
    plan_attendance,
    plan_events,
    plan_meetings,
)
from clusterkg.loaders.kinds import (
    check_cluster,
    check_exchange,
    check_member,
    check_partnership,
    plan_clusters,
    plan_exchanges,
    plan_members,
    plan_partnerships,
)
from clusterkg.loaders.plan import WritePlan
from clusterkg.loaders.posting_kinds import check_posting, plan_postings
from clusterkg.loaders.records import (
    AttendanceRecord,
    ChangeRecord,
    ClusterRecord,
    CompetenceRecord,
    EventRecord,
    ExchangeRecord,
    MeetingRecord,
    MemberRecord,
    PartnershipRecord,
    PostingRecord,
    Record,
    ValueChainRecord,
)
from clusterkg.loaders.taxonomy_kinds import (
    check_change,
    check_competence,
    check_value_chain,
    plan_changes,
    plan_competences,
    plan_value_chains,
)
from clusterkg.validation import Checker


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Record]
    key: str
    check: Callable[
        [Any, Context, Checker, set[str]], dict[str, Any] | None
    ]  # record, context, checker, the file's columns
    plan: Callable[[list[dict[str, Any]]], WritePlan]
    duplicate_fields: tuple[str, ...] = ()  # what must be unique within one load (default: the key)
    # Rows one write plan must see together; a kind that has them streams (clusterkg.loaders.streaming)
    stream_group: tuple[str, ...] = ()
    organisation_fields: tuple[str, ...] = ()  # fields that name organisations: asked of the graph per file

    def duplicate_key(self, record: Record) -> Any:
        return tuple(getattr(record, f) for f in self.duplicate_fields or (self.key,))


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("value-chains", ValueChainRecord, "id", check_value_chain, plan_value_chains),
        Kind("competences", CompetenceRecord, "id", check_competence, plan_competences),
        Kind("clusters", ClusterRecord, "id", check_cluster, plan_clusters, stream_group=("id",)),
        # one row per organisation and cluster: an organisation may be a member of several
        Kind(
            "members",
            MemberRecord,
            "organisation_id",
            check_member,
            plan_members,
            ("organisation_id", "cluster_id"),
            stream_group=("organisation_id",),  # its rows are merged into one organisation
        ),
        Kind("partnerships", PartnershipRecord, "id", check_partnership, plan_partnerships),
        # a participant's exchanges in one chunk: the organisation is written once, as without chunks
        Kind("exchanges", ExchangeRecord, "id", check_exchange, plan_exchanges, stream_group=("participant_id",)),
        Kind("events", EventRecord, "id", check_event, plan_events),
        Kind(
            "attendance",
            AttendanceRecord,
            "participant_id",
            check_attendance,
            plan_attendance,
            ("event_id", "participant_id"),
            organisation_fields=("participant_id",),
        ),
        Kind(
            "meetings",
            MeetingRecord,
            "id",
            check_meeting,
            plan_meetings,
            organisation_fields=("participant_a", "participant_b"),
        ),
        Kind("changes", ChangeRecord, "id", check_change, plan_changes),
        Kind("postings", PostingRecord, "id", check_posting, plan_postings),
    )
}
LOAD_ORDER = tuple(KINDS)  # a directory of files loads in this order
