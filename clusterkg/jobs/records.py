"""Input rows of the matching jobs (docs/formats.md): event attendees, exchange applicants and hosts.

Rules a row can check on its own live here; rules that need the graph or the
job's settings (a cluster id that exists, a slot beyond the event's last) are
checked where the job reads its inputs (clusterkg.jobs.inputs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator

from clusterkg.loaders.records import (
    Count,
    Country,
    Flag,
    Id,
    IdList,
    NutsCode,
    OptionalId,
    OrganisationKindName,
    Record,
    TextList,
    lower,
)
from clusterkg.validation import parse_slots

OrganisationKind = Annotated[OrganisationKindName | None, BeforeValidator(lower)]


def not_before(earlier_field: str) -> Callable[[dt.date, ValidationInfo], dt.date]:
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
    postcode: str | None = None  # with country: resolved to the NUTS-3 region (the attendee's region and category)
    nuts: NutsCode | None = None
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
    country: Country = None  # where the participant is, if not at its sending cluster's place:
    postcode: str | None = None  # nuts, or country + postcode (sender totals by category use it)
    nuts: NutsCode | None = None
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
    country: Country = None  # where the visitors are received, if not at the cluster's place:
    postcode: str | None = None  # nuts, or country + postcode (host totals by category use it)
    nuts: NutsCode | None = None
    offers: TextList = []
    available_from: dt.date
    available_to: Annotated[dt.date, AfterValidator(not_before("available_from"))]
