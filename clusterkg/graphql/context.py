"""Per-request context: the shared store, settings, and fresh DataLoaders.

Each DataLoader batches one kind of lookup into one library query per
request level, so the number of engine calls grows with the depth of a
GraphQL query, never with the number of results. The store is synchronous;
batches run in a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from strawberry.dataloader import DataLoader

from clusterkg import queries
from clusterkg.accounts.principal import PUBLIC, Principal
from clusterkg.accounts.store import AccountStore
from clusterkg.changes.service import ReviewMode, review_mode_of
from clusterkg.errors import ConfigError
from clusterkg.graph.store import GraphStore
from clusterkg.postings.notices import Notices
from clusterkg.postings.private import PrivateStore
from clusterkg.runner.jobs import JobStore


@dataclass(frozen=True)
class ApiSettings:
    timeout_ms: int = 10_000  # engine time limit per query of a request
    max_page: int = 100
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2_000  # parser tokens, and also comments (which the parser does not count)
    max_query_chars: int = 20_000
    max_cost: int = 100_000  # estimated objects per request (see limits.estimate_cost)
    max_matching_parties: int = 2_000  # attendees, or applicants + hosts, per matching request
    max_solver_seconds: float = 30.0  # a matching answered within the request
    max_job_seconds: float = 600.0  # a background job's solver (the explorer's organisers' pages)
    analyst_timeout_ms: int = 10_000  # the analyst page's time limit per query (the most a request may ask)
    analyst_max_rows: int = 1_000  # rows sent back per query; more are cut with a note
    response_cache_mb: int = 64  # answers kept per server process until a load changes the graph (0: no cache)
    cache_max_age_s: int = 0  # Cache-Control max-age of cacheable GET answers: 0, clients revalidate with their ETag
    shared_cache: bool = False  # workers share their answers through files in the data dir (serve --workers N)
    review: ReviewMode = "auto"  # CLUSTERKG_REVIEW: auto publishes an edit that keeps a profile within the rules
    persisted_only: bool = False  # CLUSTERKG_PERSISTED_ONLY=1: only the published operations are answered

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ApiSettings:
        """The defaults, with what `clusterkg serve` passes its workers: CLUSTERKG_RESPONSE_CACHE_MB, CLUSTERKG_CACHE_MAX_AGE."""
        env = os.environ if env is None else env
        found: dict[str, int] = {}
        for name, variable in (
            ("response_cache_mb", "CLUSTERKG_RESPONSE_CACHE_MB"),
            ("cache_max_age_s", "CLUSTERKG_CACHE_MAX_AGE"),
        ):
            text = env.get(variable, "").strip()
            if text:
                if not text.isdigit():
                    raise ConfigError(
                        f"{variable}={text!r}: a whole number of {'megabytes' if name == 'response_cache_mb' else 'seconds'} (0 or more) is needed"
                    )
                found[name] = int(text)
        return cls(
            **found,
            shared_cache=env.get("CLUSTERKG_SHARED_CACHE", "") == "1",
            review=review_mode_of(env.get("CLUSTERKG_REVIEW", "auto").strip() or "auto"),
            persisted_only=env.get("CLUSTERKG_PERSISTED_ONLY", "") == "1",
        )


class RegionCache:
    """Regions by NUTS code, kept by a server process for as long as the graph's revision stays the same.

    Regions are reference data that nearly every answer shows (a partner's region,
    a match's explanation), so reading them once per revision, not once per request,
    saves an engine call on most requests. Every committed load renews the revision
    (clusterkg.loaders.journal), and a new revision starts an empty cache: what a load
    changes is read again, as the response cache does for whole answers.
    """

    def __init__(self) -> None:
        self.revision: str | None = None
        self.found: dict[str, dict[str, Any] | None] = {}

    def at(self, revision: str | None) -> dict[str, dict[str, Any] | None] | None:
        """The regions known at `revision` (None: unknown revision, nothing may be cached)."""
        if revision is None:
            return None
        if revision != self.revision:
            self.revision, self.found = revision, {}
        return self.found


class Context:
    def __init__(
        self,
        store: GraphStore,
        settings: ApiSettings,
        *,
        may_run_jobs: bool = True,
        jobs: JobStore | None = None,
        regions: dict[str, dict[str, Any] | None] | None = None,
        principal: Principal = PUBLIC,
        accounts: AccountStore | None = None,
        private: PrivateStore | None = None,
        notices: Notices | None = None,
    ) -> None:
        self.store = store
        self.principal = principal  # who the request speaks for (clusterkg.accounts)
        self.accounts = accounts
        self.private = private  # interests, follows and saved searches of the postings (clusterkg.postings.private)
        self.notices = notices  # who hears of a posting's events (None: nobody, e.g. a server without a data dir)
        self.settings = settings
        self.jobs = jobs  # background jobs under the data dir; None when the server keeps none
        self.may_run_jobs = may_run_jobs  # false for the public beyond loopback without an analyst token
        self.regions = regions  # RegionCache.at(the revision this request read), or None
        self.loaders = Loaders(self)

    async def query(
        self, name: str, params: dict[str, Any], labels: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = await self.call(
            lambda: queries.run(self.store, name, params, labels=labels, timeout_ms=self.settings.timeout_ms).rows
        )
        return rows

    async def call(self, fn: Callable[[], Any]) -> Any:
        return await to_thread.run_sync(fn)

    def require_accounts(self) -> AccountStore:
        if self.accounts is None:
            raise ConfigError("this server keeps no accounts (it was started without a data dir for them)")
        return self.accounts


def _by_key(rows: Iterable[dict[str, Any]], key: str, value: str) -> dict[Hashable, Any]:
    return {row[key]: row[value] for row in rows}


def _grouped(
    rows: Iterable[dict[str, Any]], key: str, value: Callable[[dict[str, Any]], Any]
) -> dict[Hashable, list[Any]]:
    groups: dict[Hashable, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(value(row))
    return groups


@dataclass
class Loaders:
    context: Context
    _cache: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)

    def _loader(self, name: str, batch: Callable[[list[Any]], Any]) -> DataLoader[Any, Any]:
        if name not in self._cache:
            self._cache[name] = DataLoader(load_fn=batch)
        return self._cache[name]

    def entity(self, label: str) -> DataLoader[Any, Any]:
        """id -> properties of a node of `label` (or None)."""

        async def batch(ids: list[str]) -> list[dict[str, Any] | None]:
            rows = await self.context.query("entities_by_id", {"ids": ids}, {"label": label})
            found = _by_key(rows, "id", "node")
            return [found.get(i) for i in ids]

        return self._loader(f"entity:{label}", batch)

    def region(self) -> DataLoader[Any, Any]:
        async def batch(codes: list[str]) -> list[dict[str, Any] | None]:
            known = self.context.regions if self.context.regions is not None else {}
            missing = [c for c in codes if c not in known]
            if missing:
                found = _by_key(await self.context.query("regions_by_nuts", {"codes": missing}), "nuts", "region")
                known.update((c, found.get(c)) for c in missing)
            return [known[c] for c in codes]

        return self._loader("region", batch)

    def country(self) -> DataLoader[Any, Any]:
        async def batch(codes: list[str]) -> list[dict[str, Any] | None]:
            found = _by_key(await self.context.query("countries_by_code", {"codes": codes}), "code", "country")
            return [found.get(c) for c in codes]

        return self._loader("country", batch)

    def competences(self, label: str) -> DataLoader[Any, Any]:
        """id -> {"OFFERS": [...], "SEEKS": [...]} for clusters or organisations."""

        async def batch(ids: list[str]) -> list[dict[str, list[dict[str, Any]]]]:
            rows = await self.context.query("competences_of", {"ids": ids}, {"label": label})
            out: dict[str, dict[str, list[Any]]] = {i: {"OFFERS": [], "SEEKS": []} for i in ids}
            for row in rows:
                out[row["id"]][row["relation"]].append(row["competence"])
            return [out[i] for i in ids]

        return self._loader(f"competences:{label}", batch)

    def ecosystems(self) -> DataLoader[Any, Any]:
        async def batch(ids: list[str]) -> list[list[dict[str, Any]]]:
            groups = _grouped(await self.context.query("ecosystems_of", {"ids": ids}), "id", lambda r: r["ecosystem"])
            return [groups.get(i, []) for i in ids]

        return self._loader("ecosystems", batch)

    def partnerships_of(self) -> DataLoader[Any, Any]:
        async def batch(ids: list[str]) -> list[list[dict[str, Any]]]:
            groups = _grouped(await self.context.query("partnerships_of", {"ids": ids}), "id", lambda r: r)
            return [groups.get(i, []) for i in ids]

        return self._loader("partnerships_of", batch)

    def partnership_members(self) -> DataLoader[Any, Any]:
        async def batch(ids: list[str]) -> list[list[dict[str, Any]]]:
            groups = _grouped(await self.context.query("partnership_members", {"ids": ids}), "id", lambda r: r)
            return [groups.get(i, []) for i in ids]

        return self._loader("partnership_members", batch)

    def exchanges_of(self) -> DataLoader[Any, Any]:
        async def batch(ids: list[str]) -> list[list[dict[str, Any]]]:
            groups = _grouped(await self.context.query("exchanges_of", {"ids": ids}), "id", lambda r: r)
            return [groups.get(i, []) for i in ids]

        return self._loader("exchanges_of", batch)

    def exchange_links(self) -> DataLoader[Any, Any]:
        async def batch(ids: list[str]) -> list[dict[str, Any] | None]:
            found = {r["id"]: r for r in await self.context.query("exchange_links", {"ids": ids})}
            return [found.get(i) for i in ids]

        return self._loader("exchange_links", batch)

    def clusters_of(self) -> DataLoader[Any, Any]:
        async def batch(ids: list[str]) -> list[list[str]]:
            groups = _grouped(await self.context.query("clusters_of", {"ids": ids}), "id", lambda r: r["cluster_id"])
            return [groups.get(i, []) for i in ids]

        return self._loader("clusters_of", batch)

    def registration(self) -> DataLoader[Any, Any]:
        async def batch(ids: list[str]) -> list[dict[str, Any] | None]:
            found = {r["id"]: r for r in await self.context.query("registrations_of", {"ids": ids})}
            return [found.get(i) for i in ids]

        return self._loader("registration", batch)

    def grouped(
        self, query: str, key: str = "id", ids_param: str = "ids", labels: dict[str, str] | None = None
    ) -> DataLoader[Any, Any]:
        """id -> the rows of a library query that answers a list of ids, grouped by `key`."""

        async def batch(ids: list[str]) -> list[list[dict[str, Any]]]:
            groups = _grouped(await self.context.query(query, {ids_param: ids}, labels), key, lambda r: r)
            return [groups.get(i, []) for i in ids]

        return self._loader(f"grouped:{query}:{sorted((labels or {}).items())}", batch)

    def members(self, skip: int, limit: int) -> DataLoader[Any, Any]:
        """cluster id -> (total, page of organisation ids); one loader per page shape."""

        async def batch(ids: list[str]) -> list[tuple[int, list[str]]]:
            rows = await self.context.query("cluster_members", {"ids": ids, "skip": skip, "limit": limit})
            found = {r["id"]: (r["total"], r["page"]) for r in rows}
            return [found.get(i, (0, [])) for i in ids]

        return self._loader(f"members:{skip}:{limit}", batch)
