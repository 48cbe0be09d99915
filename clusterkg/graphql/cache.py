"""Answers for public front-ends: persisted queries, a response cache, ETags.

A partner-search page asks the same few operations with a handful of
variables, over and over, of a graph that changes only when a load runs. So:

- **Persisted queries.** An operation is known by the sha256 of its text: the
  operations shipped in clusterkg/graphql/operations are known from the
  start, and a client may register its own the way Apollo's automatic
  persisted queries do (send the hash; on `PERSISTED_QUERY_NOT_FOUND` send
  the text with it once). A GET names the operation by hash, so URLs stay
  short and HTTP caches can keep the answers.
- **A response cache** keyed by the normalised request (the operation printed
  from its syntax tree, so spacing and comments do not matter; the operation
  name; the variables in canonical JSON), the caller's role, and the graph's
  revision, a token every load renews (clusterkg.loaders.journal): a load
  invalidates every answer at once, without the cache knowing what it read.
- **ETags** are that key: a client that sends `If-None-Match` back gets
  `304 Not Modified` after one revision read, before anything is parsed or run.

Only answers without errors are kept, and only of root fields that read the
graph: the matching jobs (a solver with a time limit may answer differently)
and the job store (which changes without a load) are never cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
)

UNCACHED_FIELDS = frozenset({"eventMatchList", "exchangeAssignment", "consortium", "jobs", "job"})
PERSISTED_NOT_FOUND = "PersistedQueryNotFound"  # the message Apollo clients look for


@dataclass(frozen=True)
class Operation:
    """What the cache needs to know of a request's operation."""

    normalised: str  # the document printed from its syntax tree
    kind: str  # query, mutation or subscription
    root_fields: frozenset[str]

    @property
    def cacheable(self) -> bool:
        return self.kind == "query" and not (self.root_fields & UNCACHED_FIELDS)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4096)
def inspect_operation(query: str, operation_name: str | None, max_tokens: int) -> Operation | None:
    """The operation a request runs, or None when the text does not parse or names no single operation (the schema then says why)."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    operation = operations[0]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return Operation(
        print_ast(document),
        operation.operation.value,
        frozenset(_root_fields(operation.selection_set, fragments, set())),
    )


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> set[str]:
    names: set[str] = set()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names |= _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                names |= _root_fields(fragment.selection_set, fragments, seen)
    return names


def cache_key(operation: Operation, operation_name: str | None, variables: Any, role: str, revision: str) -> str:
    """The normalised request, who asks and the graph's revision, hashed: the cache key and the ETag."""
    canonical = json.dumps(
        [operation.normalised, operation_name, variables or {}, role, revision],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return sha256(canonical)


class PersistedQueries:
    """Operation texts by the sha256 of the text: the shipped operations, and what clients register (bounded, least recently used out)."""

    def __init__(self, max_registered: int = 10_000) -> None:
        self.shipped: dict[str, str] = {}
        self.by_name: dict[
            str, str
        ] = {}  # the shipped operations by file name (cluster_profile): `?id=cluster_profile`
        self.registered: OrderedDict[str, str] = OrderedDict()
        self.max_registered = max_registered
        folder = resources.files("clusterkg.graphql") / "operations"
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".graphql"):
                text = entry.read_text(encoding="utf-8")
                self.shipped[sha256(text)] = text
                self.by_name[entry.name.removesuffix(".graphql")] = text

    def allow(self, texts: Iterable[str]) -> None:
        """More published operations (the explorer's own): listed as the shipped ones are."""
        for text in texts:
            self.shipped[sha256(text)] = text

    def listed(self, text: str) -> bool:
        """Is this text a published operation (the allow-list of a persisted-only server)?"""
        return sha256(text) in self.shipped

    def get(self, digest: str) -> str | None:
        if digest in self.by_name:
            return self.by_name[digest]
        if digest in self.shipped:
            return self.shipped[digest]
        text = self.registered.get(digest)
        if text is not None:
            self.registered.move_to_end(digest)
        return text

    def register(self, digest: str, text: str) -> None:
        """Keep `text` under `digest`; ValueError if the digest is not the text's."""
        if sha256(text) != digest.lower():
            raise ValueError("the persisted query's sha256Hash is not the sha256 of the query text")
        if digest in self.shipped:
            return
        self.registered[digest.lower()] = text
        self.registered.move_to_end(digest.lower())
        while len(self.registered) > self.max_registered:
            self.registered.popitem(last=False)


class ResponseCache:
    """Response bodies by key, least recently used out, bounded by total bytes.

    With `shared_dir` (`clusterkg serve --workers N`) every answer is also a
    file there, so the workers of one server share their answers: a worker's
    miss is often another's hit. Files are named by revision, and a new
    revision removes the files of the old ones; their total is bounded too."""

    def __init__(self, max_bytes: int, shared_dir: Path | None = None) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.size = 0
        self.hits = self.misses = 0
        self.shared_dir = shared_dir
        self.revision = ""  # the last revision this process wrote under
        self.written = 0  # bytes written to shared_dir since its last pruning

    def get(self, key: str, revision: str = "") -> bytes | None:
        body = self.entries.get(key)
        if body is None and self.shared_dir is not None:
            try:
                body = (self.shared_dir / _file_name(revision, key)).read_bytes()
            except OSError:
                body = None
            if body is not None:
                self._remember(key, body)
        if body is None:
            self.misses += 1
            return None
        self.hits += 1
        self.entries.move_to_end(key)
        return body

    def put(self, key: str, body: bytes, revision: str = "") -> None:
        if self.max_bytes <= 0 or len(body) > self.max_bytes // 8:  # one answer may not push out most of the others
            return
        self._remember(key, body)
        if self.shared_dir is not None:
            self._share(key, body, revision)

    def _remember(self, key: str, body: bytes) -> None:
        if key in self.entries:
            self.size -= len(self.entries.pop(key))
        self.entries[key] = body
        self.size += len(body)
        while self.size > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped)

    def _share(self, key: str, body: bytes, revision: str) -> None:
        assert self.shared_dir is not None
        try:
            self.shared_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            if revision != self.revision:
                self.revision = revision
                self.prune()
            temporary = self.shared_dir / f".{key}.{os.getpid()}.tmp"
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body)
            os.replace(
                temporary, self.shared_dir / _file_name(revision, key)
            )  # whole files only: readers never see half of one
        except OSError:
            return  # a shared answer is an optimisation: this worker still has it in memory
        self.written += len(body)
        if self.written > self.max_bytes // 4:
            self.prune()

    def prune(self) -> None:
        """Remove the files of other revisions, then the oldest until the total is within max_bytes."""
        assert self.shared_dir is not None
        self.written = 0
        prefix = _file_name(self.revision, "")
        kept: list[tuple[float, int, Path]] = []
        for path in self.shared_dir.glob("*.json"):
            try:
                if not path.name.startswith(prefix):
                    path.unlink()
                    continue
                info = path.stat()
                kept.append((info.st_mtime, info.st_size, path))
            except OSError:
                continue  # another worker removed it first
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
            total -= size


def _file_name(revision: str, key: str) -> str:
    return f"{revision[:16] or 'none'}-{key}.json" if key else f"{revision[:16] or 'none'}-"


def persisted_hash(extensions: Any) -> str | None:
    """The sha256Hash of an Apollo-style `extensions.persistedQuery`, if the request has one."""
    if isinstance(extensions, dict):
        persisted = extensions.get("persistedQuery")
        if isinstance(persisted, dict) and isinstance(found := persisted.get("sha256Hash"), str):
            return found
    return None
