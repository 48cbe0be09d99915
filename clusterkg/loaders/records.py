"""Validated records, one pydantic model per file kind (docs/formats.md).

These check what a row says on its own: required fields, types, ranges,
enumerations, dates, URLs, sums. What needs the graph (NUTS codes,
references, taxonomy terms) is checked in clusterkg.loaders.kinds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Literal, TypeVar, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from clusterkg.validation import Identifier

# The enumerations, once: each Literal is the rule, its values the list.
OrganisationKindName = Literal["sme", "large", "research", "university", "public", "other"]
AttendanceRole = Literal["attendee", "exhibitor", "speaker", "organiser", "host", "visitor"]
PartnershipKind = Literal["ESCP-4x", "ESCP-4i", "ESCP-S3", "Eurocluster", "other"]
ExchangeStatus = Literal["planned", "ongoing", "completed", "cancelled"]
CompetenceKind = Literal["technology", "sector", "service"]
PostingKindName = Literal["OFFER", "REQUEST", "RD_REQUEST"]
PostingStatusName = Literal["DRAFT", "PUBLISHED", "CLOSED", "EXPIRED"]
CategoryName = Literal["less_developed", "transition", "more_developed"]
ORGANISATION_KINDS: tuple[str, ...] = get_args(OrganisationKindName)
ATTENDANCE_ROLES: tuple[str, ...] = get_args(AttendanceRole)
PARTNERSHIP_KINDS: tuple[str, ...] = get_args(PartnershipKind)


def split_list(value: object) -> list[str]:
    """'a; b|c' -> ['a', 'b', 'c']; a list passes through; empty -> []."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[;|]", str(value))
    return [item.strip() for item in items if item.strip()]


def lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "y")


def choice(options: tuple[str, ...]) -> BeforeValidator:
    """Case-insensitive match to one of `options`, returning its canonical spelling."""
    by_lower = {o.lower(): o for o in options}

    def pick(value: object) -> object:
        if isinstance(value, str):
            return by_lower.get(value.strip().lower(), value)
        return value

    return BeforeValidator(pick)


DateOrNone = TypeVar("DateOrNone", dt.date, dt.date | None)


def _not_before_start(end: DateOrNone, info: ValidationInfo) -> DateOrNone:
    start = info.data.get("start")
    if end is not None and start is not None and end < start:
        raise ValueError(f"end {end} is before start {start}")
    return end


def web_address(url: str) -> str:
    """An http(s) address (https:// is added to a bare host name), or ValueError: what a website field takes."""
    candidate = url if "://" in url else f"https://{url}"
    parts = urlsplit(candidate)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in candidate:
        raise ValueError("not a web address (expected e.g. https://example.eu)")
    return candidate


TextList = Annotated[list[str], BeforeValidator(split_list)]
Id = Annotated[str, Field(min_length=1), Identifier]  # a key or a reference: no invisible characters
OptionalId = Annotated[str | None, Identifier]
IdList = Annotated[list[Annotated[str, Identifier]], BeforeValidator(split_list)]
NutsCode = Annotated[str, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v), Identifier]
Country = Annotated[str | None, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)]
Flag = Annotated[bool, BeforeValidator(truthy)]
Count = Annotated[int, Field(ge=0)]


class Record(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True)

    synthetic: Flag = False
    source: str | None = None  # optional provenance of the row, e.g. a Source id


class ClusterRecord(Record):
    id: Id
    name: str = Field(min_length=1)
    acronym: str | None = None
    country: Country = None
    nuts: NutsCode | None = None  # or country + postcode (resolved to NUTS-3 by the loader)
    postcode: str | None = None
    city: str | None = None
    website: str | None = None
    founded: int | None = Field(default=None, ge=1800)
    sme_members: Count | None = None
    large_members: Count | None = None
    research_members: Count | None = None
    members_total: Count | None = None  # declared after its parts: its check reads them
    excellence_label: Annotated[Literal["bronze", "silver", "gold"] | None, BeforeValidator(lower)] = None
    ecosystems: TextList = []
    offers: TextList = []
    seeks: TextList = []
    eccp_profile_id: OptionalId = None
    eccp_registered_since: dt.date | None = None
    description: str | None = None
    management_fte: float | None = Field(default=None, ge=0, le=1000)  # the ECCP asks for at least 0.5
    cluster_programme: str | None = None  # a regional or national cluster programme (waives the ECCP criteria)
    contact_name: str | None = None
    contact_email: str | None = None
    revision: Count | None = None  # as an export wrote it: the edits a load brings back
    edited_fields: TextList = []  # fields edited on clusterkg (a later load keeps them unless --overwrite-edits)

    @field_validator("founded")
    @classmethod
    def not_in_the_future(cls, year: int | None) -> int | None:
        if year is not None and year > dt.date.today().year:
            raise ValueError(f"{year} is in the future")
        return year

    @field_validator("website")
    @classmethod
    def is_a_web_address(cls, url: str | None) -> str | None:
        return None if url is None else web_address(url)

    @field_validator("members_total")
    @classmethod
    def member_counts_add_up(cls, total: int | None, info: ValidationInfo) -> int | None:
        parts = sum(info.data.get(k) or 0 for k in ("sme_members", "large_members", "research_members"))
        if total is not None and parts > total:
            raise ValueError(
                f"sme_members + large_members + research_members = {parts} exceeds members_total = {total}"
            )
        return total


class MemberRecord(Record):
    organisation_id: Id
    name: str = Field(min_length=1)
    kind: Annotated[OrganisationKindName, BeforeValidator(lower)]
    cluster_id: Id
    nuts: NutsCode | None = None  # or country + postcode; neither: the cluster's place
    country: Country = None
    postcode: str | None = None
    offers: TextList = []
    seeks: TextList = []


class PartnershipRecord(Record):
    id: Id
    name: str = Field(min_length=1)
    acronym: str | None = None
    kind: Annotated[PartnershipKind, choice(PARTNERSHIP_KINDS)]
    call: OptionalId = None
    start: dt.date | None = None
    end: dt.date | None = None
    eu_grant_eur: float | None = Field(default=None, ge=0)
    coordinator_cluster_id: OptionalId = None
    partner_cluster_ids: IdList = []

    @field_validator("end")
    @classmethod
    def dates_in_order(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        return _not_before_start(end, info)


class ExchangeRecord(Record):
    id: Id
    participant_id: Id
    participant_name: str | None = None
    participant_kind: Annotated[OrganisationKindName | None, BeforeValidator(lower)] = None
    sending_cluster_id: Id
    host_cluster_id: Id
    partnership_id: OptionalId = None
    start: dt.date
    end: dt.date
    topic: str | None = None
    status: Annotated[ExchangeStatus, BeforeValidator(lower)] = "planned"

    @field_validator("end")
    @classmethod
    def dates_in_order(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        return _not_before_start(end, info)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class CompetenceRecord(Record):
    id: Id
    name: str = Field(min_length=1)
    kind: Annotated[CompetenceKind, BeforeValidator(lower)]
    broader: str | None = None
    value_chain: OptionalId = None
    stage: str | None = None
    aliases: TextList = []

    @model_validator(mode="after")
    def stage_needs_a_chain(self) -> CompetenceRecord:
        if self.stage and not self.value_chain:
            raise ValueError("stage is given without value_chain")
        return self


class ValueChainRecord(Record):
    id: Id
    name: str = Field(min_length=1)
    ecosystem: str = Field(min_length=1)
    stages: TextList

    @field_validator("stages")
    @classmethod
    def ordered_distinct_stages(cls, stages: list[str]) -> list[str]:
        if len(stages) < 2:
            raise ValueError("a value chain needs at least 2 stages, in order")
        if len({s.lower() for s in stages}) != len(stages):
            raise ValueError("stages must be distinct")
        return stages


class EventRecord(Record):
    id: Id
    name: str = Field(min_length=1)
    start: dt.date
    end: dt.date | None = None
    city: str | None = None
    nuts: NutsCode | None = None  # or country + postcode; neither: the event is not placed
    country: Country = None
    postcode: str | None = None
    organiser: str | None = None

    @field_validator("end")
    @classmethod
    def dates_in_order(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        return _not_before_start(end, info)


class AttendanceRecord(Record):
    event_id: Id
    participant_id: Id  # an organisation or a cluster of the graph
    role: Annotated[
        AttendanceRole,
        BeforeValidator(lambda v: (v.strip().lower() or "attendee") if isinstance(v, str) else (v or "attendee")),
    ] = "attendee"
    offers: TextList = []
    seeks: TextList = []
    available_slots: str | None = None  # as in attendee files: '1-6;9'


class MeetingRecord(Record):
    id: Id
    event_id: Id
    participant_a: Id
    participant_b: Id
    slot: int = Field(ge=1)
    time: str | None = None
    table: int | None = Field(default=None, ge=1)
    score: float | None = None
    reasons: str | None = None

    @model_validator(mode="after")
    def two_parties(self) -> MeetingRecord:
        if self.participant_a == self.participant_b:
            raise ValueError("a meeting needs two different participants")
        return self


ChangeStatusName = Literal["PUBLISHED", "PENDING_REVIEW", "REJECTED", "REVERTED"]
ChangeKindName = Literal["profile", "competences", "ecosystems", "members", "revert"]


class ChangeRecord(Record):
    """An edit of a cluster as `clusterkg export` writes it (changes.csv): the history travels with the data."""

    id: Id
    cluster_id: Id
    kind: ChangeKindName
    fields: str = Field(min_length=2)  # JSON: a list of {field, before, after}
    by: Id
    by_email: str | None = None
    at: str = Field(min_length=10)
    status: Annotated[ChangeStatusName, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)]
    base_revision: Count
    revision: Count | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    comment: str | None = None
    reverts: str | None = None
    reverted_by: str | None = None

    @field_validator("fields")
    @classmethod
    def a_list_of_field_changes(cls, text: str) -> str:
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"not JSON: {exc}") from None
        if not isinstance(value, list) or not all(isinstance(f, dict) and "field" in f for f in value):
            raise ValueError('must be a JSON list of {"field": …, "before": …, "after": …}')
        return text


def upper(value: object) -> object:
    return (
        value.strip().upper().replace("&", "").replace("R D", "RD").replace(" ", "_")
        if isinstance(value, str)
        else value
    )


class PostingRecord(Record):
    """A partner posting (postings.csv): the ECCP's partner search and the EEN's offers and requests are the model."""

    id: Id
    cluster_id: Id
    kind: Annotated[PostingKindName, BeforeValidator(upper)]  # OFFER, REQUEST, RD_REQUEST ("R&D request" too)
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=5000)
    competences: TextList  # ids, names or aliases: what a request asks for or an offer offers
    value_chains: IdList = []
    ecosystems: TextList = []
    target_categories: Annotated[list[CategoryName], BeforeValidator(lambda v: [lower(x) for x in split_list(v)])] = []
    target_countries: Annotated[list[str], BeforeValidator(lambda v: [x.upper() for x in split_list(v)])] = []
    deadline: dt.date
    status: Annotated[PostingStatusName, BeforeValidator(upper)] = "PUBLISHED"
    created_at: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    closed_at: str | None = None
    by: str | None = None  # the account that wrote it on clusterkg (an id, as the changes file names authors)
    revision: Count | None = None

    @field_validator("competences")
    @classmethod
    def at_least_one(cls, values: list[str]) -> list[str]:
        if not values:
            raise ValueError("a posting is about at least one competence")
        return values
