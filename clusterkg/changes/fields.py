"""What an edit of a cluster may change, and the check of each value.

Fields are named as the API names them (`membersTotal`); each maps to one
property of the Cluster node (`members_total`), and the loaders' column of the
same name (an edit of a field keeps it from being overwritten by a later
load, clusterkg.loaders.kinds). Relationship fields (offers, seeks,
ecosystems, members) replace or extend a set of ids.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from clusterkg.errors import FieldErrors
from clusterkg.loaders.records import ORGANISATION_KINDS, web_address
from clusterkg.validation import text_problem

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_COUNT = 1_000_000


def text_field(limit: int, *, required: bool = False) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is None:
            if required:
                raise ValueError("may not be empty")
            return None
        if not isinstance(value, str):
            raise ValueError("must be text")
        text = value.strip()
        if not text:
            if required:
                raise ValueError("may not be empty")
            return None
        if len(text) > limit:
            raise ValueError(f"is {len(text):,} characters long; at most {limit:,}")
        problem = text_problem(text)
        if problem:
            raise ValueError(problem)
        return text

    return check


def _count(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    if not 0 <= value <= MAX_COUNT:
        raise ValueError(f"must be between 0 and {MAX_COUNT:,}, not {value}")
    return value


def _fte(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a number of full-time equivalents")
    if not 0 <= value <= 1000:
        raise ValueError(f"must be between 0 and 1000, not {value}")
    return float(value)


def _founded(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a year")
    if not 1800 <= value <= dt.date.today().year:
        raise ValueError(f"must be a year from 1800 to {dt.date.today().year}, not {value}")
    return value


def _website(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value) > 500:
        raise ValueError("must be an http(s) address of at most 500 characters")
    if "://" in value and not value.lower().startswith(("http://", "https://")):
        raise ValueError("must be an http or https address")
    return web_address(value)


def _email(value: Any) -> Any:
    text = text_field(254)(value)
    if text is not None and not EMAIL.match(text):
        raise ValueError("is not an e-mail address")
    return text


@dataclass(frozen=True)
class ProfileField:
    """A property of the cluster that an edit may set."""

    name: str  # as the API names it
    prop: str  # the Cluster property (and the loaders' column)
    check: Callable[[Any], Any]


PROFILE_FIELDS: tuple[ProfileField, ...] = (
    ProfileField("name", "name", text_field(200, required=True)),
    ProfileField("acronym", "acronym", text_field(40)),
    ProfileField("website", "website", _website),
    ProfileField("city", "city", text_field(120)),
    ProfileField("founded", "founded", _founded),
    ProfileField("description", "description", text_field(5000)),
    ProfileField("membersTotal", "members_total", _count),
    ProfileField("smeMembers", "sme_members", _count),
    ProfileField("largeMembers", "large_members", _count),
    ProfileField("researchMembers", "research_members", _count),
    ProfileField("managementFte", "management_fte", _fte),
    ProfileField("clusterProgramme", "cluster_programme", text_field(200)),
    ProfileField("contactName", "contact_name", text_field(200)),
    ProfileField("contactEmail", "contact_email", _email),
)
BY_NAME = {f.name: f for f in PROFILE_FIELDS}
RELATION_FIELDS = ("offers", "seeks", "ecosystems", "members")
MEMBER_PARTS = ("sme_members", "large_members", "research_members")


def check_profile(edits: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """Property -> new value for the given API fields; FieldErrors naming every bad field (nothing is written)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, value in edits.items():
        declared = BY_NAME.get(name)
        if declared is None:
            errors[name] = "not a field an edit may change"
            continue
        try:
            values[declared.prop] = declared.check(value)
        except ValueError as exc:
            errors[name] = str(exc)
    if not errors:
        after = {**current, **values}
        parts = sum(after.get(p) or 0 for p in MEMBER_PARTS)
        total = after.get("members_total")
        if total is not None and parts > total:
            field = (
                "membersTotal" if "membersTotal" in edits else next(f.name for f in PROFILE_FIELDS if f.prop in values)
            )
            errors[field] = f"SME, large and research members add up to {parts}, more than the {total} members in all"
    if errors:
        raise FieldErrors(errors)
    return values


@dataclass(frozen=True)
class NewMember:
    """An organisation an edit adds to a cluster: one of the graph (by id) or a new one (name and kind)."""

    organisation_id: str | None = None
    name: str | None = None
    kind: str | None = None


def check_new_member(member: NewMember, index: int, errors: dict[str, str]) -> NewMember | None:
    """The member as it will be written, or None after adding its problem to `errors` (keyed members.add[i])."""
    where = f"members.add[{index}]"
    if member.organisation_id:
        return member
    try:
        name = text_field(200, required=True)(member.name)
    except ValueError as exc:
        errors[f"{where}.name"] = str(exc)
        return None
    kind = (member.kind or "").strip().lower()
    if kind not in ORGANISATION_KINDS:
        errors[f"{where}.kind"] = f"must be one of {', '.join(ORGANISATION_KINDS)}"
        return None
    return NewMember(None, name, kind)
