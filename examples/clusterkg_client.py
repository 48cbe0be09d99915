"""A typed Python client of the clusterkg GraphQL API: an example front-ends and scripts can copy.

    from clusterkg_client import Client
    with Client("http://127.0.0.1:8000/graphql") as api:
        for match in api.partner_search("syn-c000000", region_categories=["LESS_DEVELOPED"], first=5):
            print(match.score, match.name, "; ".join(match.reasons))

It speaks GraphQL over HTTP with the spec's media type (application/graphql-response+json),
sends each operation by its sha256 first (automatic persisted queries: the text travels only
once per server, a production server can cache it), and turns the API's errors into
`ApiError` with the code and fields the API names. Only httpx and the standard library.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx

MEDIA = "application/graphql-response+json, application/json;q=0.9"

PARTNER_SEARCH = """query PartnerSearch($input: PartnerSearchInput!) {
  partnerSearch(input: $input) {
    score
    partner { ... on Cluster { id name country { code } } ... on Organisation { id name } }
    explanation { sentences components { need reciprocity valueChain overlap ties requests posting } }
  }
}"""
POSTINGS = """query Postings($filter: PostingFilter, $first: Int!) {
  postings(filter: $filter, first: $first) {
    totalCount
    edges { node { id kind title status deadline synthetic cluster { id name } competences { id name } } }
  }
}"""
CALL_PROGRESS = """query CallProgress($id: ID!) {
  call(id: $id) { id progress { exchanges target smeShare smeShareMin outsideShare outsideShareMin } }
}"""


class ApiError(Exception):
    """An error the API answered: its code (BAD_USER_INPUT, NOT_FOUND, CONFLICT, ...) and, for bad input, the fields."""

    def __init__(self, message: str, code: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(f"{message} ({code})")
        self.code = code
        self.fields = fields or {}


@dataclass(frozen=True)
class PartnerMatch:
    id: str
    name: str
    country: str | None
    score: float
    reasons: list[str]
    components: dict[str, float]


@dataclass(frozen=True)
class Posting:
    id: str
    kind: str
    title: str
    status: str
    deadline: str
    cluster_id: str | None
    cluster_name: str | None
    competences: list[str] = field(default_factory=list)
    synthetic: bool = False


@dataclass(frozen=True)
class CallProgress:
    call_id: str
    exchanges: int
    target: int | None
    sme_share: float | None
    sme_share_min: float | None
    outside_share: float | None
    outside_share_min: float | None

    @property
    def on_target(self) -> bool:
        """Every target stated is met."""
        checks = [
            (self.exchanges, self.target),
            (self.sme_share, self.sme_share_min),
            (self.outside_share, self.outside_share_min),
        ]
        return all(goal is None or (value is not None and value >= goal) for value, goal in checks)


class Client:
    """One API, one httpx client: use it as a context manager, or call close()."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 30.0) -> None:
        headers = {"Accept": MEDIA}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.url = url
        self.http = httpx.Client(headers=headers, timeout=timeout)

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one operation: by its hash first, with its text only when the server does not know it yet."""
        digest = hashlib.sha256(query.encode("utf-8")).hexdigest()
        persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        body = self.http.post(self.url, json={"variables": variables or {}, "extensions": persisted}).json()
        errors = body.get("errors") or []
        if errors and errors[0].get("extensions", {}).get("code") == "PERSISTED_QUERY_NOT_FOUND":
            body = self.http.post(
                self.url, json={"query": query, "variables": variables or {}, "extensions": persisted}
            ).json()
            errors = body.get("errors") or []
        if errors:
            first = errors[0]
            extensions = first.get("extensions") or {}
            raise ApiError(first.get("message", "error"), extensions.get("code", "ERROR"), extensions.get("fields"))
        data: dict[str, Any] = body["data"]
        return data

    def partner_search(
        self,
        seeker_id: str,
        *,
        region_categories: list[str] | None = None,
        countries: list[str] | None = None,
        first: int = 20,
        weights: dict[str, float] | None = None,
    ) -> list[PartnerMatch]:
        given: dict[str, Any] = {"seekerId": seeker_id, "first": first}
        if region_categories is not None:
            given["regionCategories"] = region_categories
        if countries is not None:
            given["countries"] = countries
        if weights is not None:
            given["weights"] = weights
        found = self.execute(PARTNER_SEARCH, {"input": given})["partnerSearch"]
        return [
            PartnerMatch(
                id=m["partner"]["id"],
                name=m["partner"]["name"],
                country=(m["partner"].get("country") or {}).get("code"),
                score=float(m["score"]),
                reasons=list(m["explanation"]["sentences"]),
                components={k: float(v) for k, v in m["explanation"]["components"].items()},
            )
            for m in found
        ]

    def postings(self, first: int = 20, **filter: Any) -> tuple[int, list[Posting]]:
        """The postings board: (total, one page); filter as the API names it (kinds=["REQUEST"], competences=[...])."""
        found = self.execute(POSTINGS, {"filter": filter or None, "first": first})["postings"]
        return found["totalCount"], [
            Posting(
                id=e["node"]["id"],
                kind=e["node"]["kind"],
                title=e["node"]["title"],
                status=e["node"]["status"],
                deadline=e["node"]["deadline"],
                cluster_id=(e["node"]["cluster"] or {}).get("id"),
                cluster_name=(e["node"]["cluster"] or {}).get("name"),
                competences=[c["id"] for c in e["node"]["competences"]],
                synthetic=bool(e["node"]["synthetic"]),
            )
            for e in found["edges"]
        ]

    def call_progress(self, call_id: str) -> CallProgress:
        found = self.execute(CALL_PROGRESS, {"id": call_id})["call"]
        p = found["progress"]
        return CallProgress(
            call_id=found["id"],
            exchanges=p["exchanges"],
            target=p["target"],
            sme_share=p["smeShare"],
            sme_share_min=p["smeShareMin"],
            outside_share=p["outsideShare"],
            outside_share_min=p["outsideShareMin"],
        )
