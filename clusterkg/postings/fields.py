"""What a posting may say, and the check of each value (a field error names the field as the API does)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from clusterkg.changes.fields import text_field
from clusterkg.errors import FieldErrors

PostingKind = Literal["OFFER", "REQUEST", "RD_REQUEST"]
PostingStatus = Literal["DRAFT", "PUBLISHED", "CLOSED", "EXPIRED"]
POSTING_KINDS: tuple[PostingKind, ...] = ("OFFER", "REQUEST", "RD_REQUEST")
POSTING_STATUSES: tuple[PostingStatus, ...] = ("DRAFT", "PUBLISHED", "CLOSED", "EXPIRED")
REQUEST_KINDS: tuple[PostingKind, ...] = ("REQUEST", "RD_REQUEST")  # what a partner may answer with its offers
CATEGORIES = ("less_developed", "transition", "more_developed")
TITLE_LIMIT = 200
TEXT_LIMIT = 5_000
MESSAGE_LIMIT = 2_000  # an expression of interest: a short note, the conversation goes on by e-mail
MAX_COMPETENCES = 20
MAX_DEADLINE_DAYS = 366  # a posting is for a time: at most a year ahead, renewable


@dataclass(frozen=True)
class PostingDraft:
    """A posting as an editor writes it (API names); None leaves a field as it is in an update."""

    kind: str | None = None
    title: str | None = None
    text: str | None = None
    competences: Sequence[str] | None = None
    value_chains: Sequence[str] | None = None
    ecosystems: Sequence[str] | None = None
    target_categories: Sequence[str] | None = None
    target_countries: Sequence[str] | None = None
    deadline: str | None = None


def check_deadline(value: Any, today: dt.date) -> str:
    """An ISO date after today and at most MAX_DEADLINE_DAYS ahead (ValueError saying why not)."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a date (YYYY-MM-DD)") from None
    if day <= today:
        raise ValueError(f"{day.isoformat()} is not after today ({today.isoformat()}): a deadline lies ahead")
    if day > today + dt.timedelta(days=MAX_DEADLINE_DAYS):
        raise ValueError(f"{day.isoformat()} is more than {MAX_DEADLINE_DAYS} days ahead; renew the posting instead")
    return day.isoformat()


def _ids(values: Sequence[str]) -> list[str]:
    return sorted({str(v).strip() for v in values if str(v).strip()})


def check_draft(draft: PostingDraft, today: dt.date, *, new: bool) -> dict[str, Any]:
    """Property -> value for the fields given (all required ones when `new`); FieldErrors naming every bad field.

    Ids (competences, value chains, ecosystems) are only tidied here: the
    service checks them against the graph.
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def attempt(name: str, prop: str, check: Any, value: Any) -> None:
        try:
            values[prop] = check(value)
        except ValueError as exc:
            errors[name] = str(exc)

    if draft.kind is not None or new:
        kind = (draft.kind or "").strip().upper()
        if kind not in POSTING_KINDS:
            errors["kind"] = f"must be one of {', '.join(POSTING_KINDS)}"
        values["kind"] = kind
    if draft.title is not None or new:
        attempt("title", "title", text_field(TITLE_LIMIT, required=True), draft.title)
    if draft.text is not None or new:
        attempt("text", "text", text_field(TEXT_LIMIT, required=True), draft.text)
    if draft.deadline is not None or new:
        attempt("deadline", "deadline", lambda v: check_deadline(v, today), draft.deadline)
    if draft.competences is not None or new:
        competences = _ids(draft.competences or [])
        if not competences:
            errors["competences"] = "name at least one competence the posting is about"
        elif len(competences) > MAX_COMPETENCES:
            errors["competences"] = f"{len(competences)} competences; at most {MAX_COMPETENCES}"
        values["competences"] = competences
    for prop, given in (("value_chains", draft.value_chains), ("ecosystems", draft.ecosystems)):
        if given is not None or new:
            values[prop] = _ids(given or [])
    if draft.target_categories is not None or new:
        categories = sorted({str(c).strip().lower() for c in draft.target_categories or []})
        wrong = [c for c in categories if c not in CATEGORIES]
        if wrong:
            errors["targetCategories"] = f"not cohesion categories: {', '.join(wrong)} (use {', '.join(CATEGORIES)})"
        values["target_categories"] = categories
    if draft.target_countries is not None or new:
        countries = sorted({str(c).strip().upper() for c in draft.target_countries or []})
        wrong = [c for c in countries if len(c) != 2 or not c.isalpha()]
        if wrong:
            errors["targetCountries"] = f"not two-letter country codes: {', '.join(wrong)}"
        values["target_countries"] = countries
    if errors:
        raise FieldErrors(errors)
    return values


def check_message(message: str | None) -> str | None:
    try:
        checked: str | None = text_field(MESSAGE_LIMIT)(message)
    except ValueError as exc:
        raise FieldErrors({"message": str(exc)}) from None
    return checked


def api_name(prop: str) -> str:
    """The API's name of a posting property (value_chains -> valueChains)."""
    head, *rest = prop.split("_")
    return head + "".join(word.title() for word in rest)


def unknown_ids_error(found: Mapping[str, list[str]]) -> FieldErrors | None:
    """FieldErrors for ids the graph does not hold, per property (value_chains -> valueChains), or None."""
    errors = {
        api_name(prop): f"unknown id{'s' if len(ids) > 1 else ''}: {', '.join(ids)}"
        for prop, ids in found.items()
        if ids
    }
    return FieldErrors(errors) if errors else None
