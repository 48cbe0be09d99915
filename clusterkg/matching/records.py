"""Input rows of the matching jobs (docs/formats.md): event attendees, exchange applicants and hosts.

Rules a row can check on its own live here; rules that need the graph or the
job's settings (a cluster id that exists, a slot beyond the event's last) are
checked where the job reads its inputs (clusterkg.matching.inputs).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator

from clusterkg.loaders.records import Count, Flag, Id, IdList, OptionalId, OrganisationKindName, Record, TextList, lower

OrganisationKind = Annotated[OrganisationKindName | None, BeforeValidator(lower)]


def parse_slots(value: object) -> list[int] | None:
    """'1-6;9' -> [1, 2, 3, 4, 5, 6, 9] (slots are numbered from 1); empty -> None (every slot)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    else:
        parts = re.split(r"[;|,]", str(value))
    slots: set[int] = set()
    for part in (p.strip() for p in parts):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", part)
        if not match:
            raise ValueError(f"'{part}' is not a slot number or range such as 1-6;9")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first < 1 or last < first:
            raise ValueError(f"'{part}': slots are numbered from 1 and a range goes upwards")
        slots.update(range(first, last + 1))
    return sorted(slots)


def not_before(earlier_field: str):
    """A validator: this date must not come before the (already validated) `earlier_field`."""

    def check(value: dt.date, info: ValidationInfo) -> dt.date:
        earlier = info.data.get(earlier_field)
        if earlier is not None and value < earlier:
            raise ValueError(f"{info.field_name} {value} is before {earlier_field} {earlier}")
        return value

    return check


SlotList = Annotated[list[int] | None, BeforeValidator(parse_slots)]


class AttendeeRecord(Record):
    attendee_id: Id
    name: str = Field(min_length=1)
    organisation: str | None = None
    kind: OrganisationKind = None
    cluster_id: OptionalId = None
    organisation_id: OptionalId = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    offers: TextList = []
    seeks: TextList = []
    available_slots: SlotList = None
    max_meetings: Count | None = None
    wants: IdList = []
    avoids: IdList = []

    @field_validator("country", mode="before")
    @classmethod
    def upper_country(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) and value.strip() else None


class ApplicantRecord(Record):
    applicant_id: Id
    name: str = Field(min_length=1)
    organisation_id: OptionalId = None
    kind: OrganisationKind = None
    sending_cluster_id: Id
    community_member: Flag = False
    topics: TextList = []
    earliest: dt.date
    latest: Annotated[dt.date, AfterValidator(not_before("earliest"))]
    days: int = Field(ge=1, le=366)

    @field_validator("days")
    @classmethod
    def fits_the_window(cls, days: int, info: ValidationInfo) -> int:
        earliest, latest = info.data.get("earliest"), info.data.get("latest")
        if earliest is not None and latest is not None and days > (latest - earliest).days + 1:
            raise ValueError(f"{days} days do not fit between {earliest} and {latest}")
        return days


class HostRecord(Record):
    cluster_id: Id
    capacity: int = Field(ge=1)
    offers: TextList = []
    available_from: dt.date
    available_to: Annotated[dt.date, AfterValidator(not_before("available_from"))]
