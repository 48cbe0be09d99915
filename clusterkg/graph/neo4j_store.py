"""Neo4j 5 / Aura through the official driver, behind the GraphStore protocol.

Reads run in READ access mode (the server refuses writes in it) with a
transaction timeout; each write call is one managed write transaction.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

import neo4j
from neo4j import GraphDatabase, unit_of_work
from neo4j import exceptions as neo4j_errors

from clusterkg.errors import AuthenticationFailed, EngineUnavailable, QueryError, QueryTimeout, ReadOnlyViolation
from clusterkg.graph.store import (
    BatchWrites,
    IndexInfo,
    Params,
    Plan,
    QueryResult,
    WriteStats,
    split_plan_prefix,
)
from clusterkg.graph.values import iso_duration, node_dict, plain, relationship_dict

_POSITION = re.compile(r"line (\d+), column (\d+)")

# Neo4j-only administration texts (FalkorDB uses its client's calls instead: ENGINES.md §2).
# Identifiers come from clusterkg.schema only.
SHOW_INDEXES = "SHOW INDEXES YIELD type, entityType, labelsOrTypes, properties, state, owningConstraint"
SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD type, entityType, labelsOrTypes, properties"
AWAIT_INDEXES = "CALL db.awaitIndexes($timeout)"


def range_index_ddl(label: str, prop: str) -> str:
    return f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


def unique_ddl(label: str, prop: str) -> str:
    return f"CREATE CONSTRAINT {label.lower()}_{prop}_unique IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"


def fulltext_ddl(label: str, props: Sequence[str]) -> str:
    # Named after the label, so the query line differs from FalkorDB's only in the procedure name.
    fields = ", ".join(f"n.{p}" for p in props)
    return f"CREATE FULLTEXT INDEX {label} IF NOT EXISTS FOR (n:{label}) ON EACH [{fields}]"


def vector_index_name(label: str, prop: str) -> str:
    return f"{label.lower()}_{prop}"


def vector_ddl(label: str, prop: str, dimension: int) -> str:
    return (
        f"CREATE VECTOR INDEX {vector_index_name(label, prop)} IF NOT EXISTS FOR (n:{label}) ON (n.{prop}) "
        f"OPTIONS {{indexConfig: {{`vector.dimensions`: {int(dimension)}, `vector.similarity_function`: 'cosine'}}}}"
    )


def admin_statements(node_types: Iterable[Any]) -> list[tuple[str, str]]:
    """(name, text) of the Neo4j-only administration and DDL for the declared model (for the dialect checks)."""
    found = [
        ("neo4j index list", SHOW_INDEXES),
        ("neo4j constraint list", SHOW_CONSTRAINTS),
        ("neo4j await indexes", AWAIT_INDEXES),
    ]
    for node_type in node_types:
        found.append((f"neo4j unique {node_type.label}", unique_ddl(node_type.label, node_type.key)))
        found += [
            (f"neo4j index {node_type.label}.{prop}", range_index_ddl(node_type.label, prop))
            for prop in node_type.indexed
        ]
        if node_type.fulltext:
            found.append((f"neo4j full-text {node_type.label}", fulltext_ddl(node_type.label, node_type.fulltext)))
    found.append(("neo4j vector index", vector_ddl("ScoreProfile", "vector", 321)))
    found.append(("neo4j vector index drop", f"DROP INDEX {vector_index_name('ScoreProfile', 'vector')} IF EXISTS"))
    return found


def convert_value(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship
    from neo4j.time import Date, DateTime, Duration, Time

    if isinstance(value, Node):
        return node_dict(value.element_id, sorted(value.labels), dict(value), convert_value)
    if isinstance(value, Relationship):
        return relationship_dict(
            value.element_id,
            value.type,
            value.start_node.element_id if value.start_node else "",
            value.end_node.element_id if value.end_node else "",
            dict(value),
            convert_value,
        )
    if isinstance(value, Path):
        return {
            "_type": "path",
            "nodes": [convert_value(n) for n in value.nodes],
            "relationships": [convert_value(r) for r in value.relationships],
        }
    if isinstance(value, (Date, DateTime, Time)):
        return value.to_native()
    if isinstance(value, Duration):
        return iso_duration(value.months // 12, value.months % 12, value.days, value.seconds + value.nanoseconds / 1e9)
    return str(value)


def translate_error(exc: Exception) -> Exception:
    if isinstance(exc, neo4j_errors.AuthError):
        return AuthenticationFailed(f"Neo4j refused the credentials: {exc.message}")
    if isinstance(exc, (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired)):
        return EngineUnavailable(f"Neo4j is not reachable: {exc}")
    code = getattr(exc, "code", "") or ""
    message = getattr(exc, "message", None) or str(exc)
    if "TransactionTimedOut" in code or "TransactionTimedOut" in message:
        return QueryTimeout("the query was stopped: it ran past its time limit")
    if code.endswith("AccessMode") or "read access mode" in message:
        return ReadOnlyViolation("this query writes to the graph, and only read-only queries are allowed here")
    match = _POSITION.search(message)
    first_line = message.splitlines()[0] if message else code
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        return QueryError(f"{first_line} (line {line}, column {column})", line=line, column=column)
    return QueryError(first_line)


def _plan_lines(plan: Mapping[str, Any] | None, depth: int = 0) -> list[str]:
    if not plan:
        return []
    operator = plan.get("operatorType", "?").split("@")[0]
    identifiers = ", ".join(plan.get("identifiers", []))
    args = plan.get("args") or plan.get("arguments") or {}
    extra = f" | rows={args.get('Rows')}" if "Rows" in args else ""
    lines = ["    " * depth + f"{operator} | {identifiers}{extra}"]
    for child in plan.get("children", []):
        lines.extend(_plan_lines(child, depth + 1))
    return lines


class Neo4jStore(BatchWrites):
    engine = "neo4j"

    def __init__(
        self,
        *,
        uri: str,
        username: str,
        password: str | None,
        database: str | None = None,
        query_timeout_ms: int = 30_000,
    ) -> None:
        self.database = database
        self.query_timeout_ms = query_timeout_ms
        try:
            # The portable `CALL { WITH a … }` (FalkorDB has no `CALL (a) { … }`) is deprecated in Neo4j 5.26, and a
            # declared type with no relationship yet (ATTENDS before any event) is "unrecognized": the server would
            # notify both on every query; the offline lint reports them once, in the tests.
            self._driver = GraphDatabase.driver(
                uri,
                auth=(username, password or ""),
                notifications_disabled_classifications=["DEPRECATION", "UNRECOGNIZED"],
            )
            self._driver.verify_connectivity()
        except Exception as exc:  # the driver raises several unrelated types here
            raise translate_error(exc) from None
        # Every session of this store shares one bookmark chain: with a `neo4j://` URI the driver sends read
        # sessions to secondaries, and a read then waits until its server has this process's last write.
        self._bookmarks = GraphDatabase.bookmark_manager()

    def _session(self, mode: str) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=mode, bookmark_manager=self._bookmarks)

    def read(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None, max_rows: int | None = None
    ) -> QueryResult:
        _refuse_plan_prefix(query)
        timeout_s = (timeout_ms or self.query_timeout_ms) / 1000

        @unit_of_work(timeout=timeout_s)
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[dict[str, Any]]]:
            result = tx.run(query, dict(params or {}))
            keys = list(result.keys())
            # stream at most one row past the cap: Neo4j stops producing the rest
            records = list(islice(result, None if max_rows is None else max_rows + 1))
            return keys, [{k: plain(record[k], convert_value) for k in keys} for record in records]

        started = time.perf_counter()
        try:
            with self._session(neo4j.READ_ACCESS) as session:
                columns, rows = session.execute_read(work)
            truncated = max_rows is not None and len(rows) > max_rows
            rows = rows[:max_rows] if truncated else rows
        except neo4j_errors.Neo4jError as exc:
            raise translate_error(exc) from None
        except neo4j_errors.DriverError as exc:
            raise translate_error(exc) from None
        return QueryResult(
            columns=columns, rows=rows, elapsed_ms=(time.perf_counter() - started) * 1000, truncated=truncated
        )

    def write(self, query: str, params: Params | None = None) -> WriteStats:
        _refuse_plan_prefix(query)

        def work(tx: neo4j.ManagedTransaction) -> tuple[neo4j.SummaryCounters, list[dict[str, Any]]]:
            result = tx.run(query, dict(params or {}))
            keys = list(result.keys())
            returned = [{k: plain(record[k], convert_value) for k in keys} for record in result]
            return result.consume().counters, returned

        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                counters, returned = session.execute_write(work)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise translate_error(exc) from None
        return WriteStats(
            nodes_created=counters.nodes_created,
            nodes_deleted=counters.nodes_deleted,
            relationships_created=counters.relationships_created,
            relationships_deleted=counters.relationships_deleted,
            properties_set=counters.properties_set,
            returned=returned,
            batches=1,
        )

    def explain(self, query: str, params: Params | None = None) -> Plan:
        _, body = split_plan_prefix(query)
        summary = self._run_plan("EXPLAIN " + body, params, neo4j.READ_ACCESS)
        return Plan(lines=_plan_lines(summary.plan))

    def profile(self, query: str, params: Params | None = None, *, timeout_ms: int | None = None) -> Plan:
        _, body = split_plan_prefix(query)
        summary = self._run_plan("PROFILE " + body, params, neo4j.READ_ACCESS, timeout_ms)
        return Plan(lines=_plan_lines(summary.profile), profiled=True)

    def writes(self, query: str, params: Params | None = None) -> str | None:
        _, body = split_plan_prefix(query)
        try:
            summary = self._run_plan("EXPLAIN " + body, params, neo4j.READ_ACCESS)
        except ReadOnlyViolation:
            return "it writes to the graph"
        kind = getattr(summary, "query_type", "r")  # Neo4j's own classification of the plan
        reason = {"rw": "its plan reads and writes", "w": "its plan writes", "s": "it changes the schema"}.get(kind)
        if reason is None and any(line.strip().startswith("LoadCSV") for line in _plan_lines(summary.plan)):
            reason = "it reads files on the server (LOAD CSV)"
        return reason

    def _run_plan(
        self, text: str, params: Params | None, mode: str, timeout_ms: int | None = None
    ) -> neo4j.ResultSummary:
        timeout_s = (timeout_ms or self.query_timeout_ms) / 1000
        try:
            with self._session(mode) as session:
                return session.run(neo4j.Query(text, timeout=timeout_s), dict(params or {})).consume()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise translate_error(exc) from None

    # -- schema ----------------------------------------------------------------

    def indexes(self) -> list[IndexInfo]:
        found: list[IndexInfo] = []
        rows = self._admin(SHOW_INDEXES)
        for row in rows:
            if row["entityType"] != "NODE" or not row["labelsOrTypes"] or row["owningConstraint"]:
                continue
            kind = {"RANGE": "range", "FULLTEXT": "fulltext", "VECTOR": "vector"}.get(row["type"])
            if kind:
                found.extend(
                    IndexInfo(row["labelsOrTypes"][0], (prop,), kind, row["state"]) for prop in row["properties"]
                )
        for row in self._admin(SHOW_CONSTRAINTS):
            if "UNIQUE" in row["type"] and row["entityType"] == "NODE":
                found.append(IndexInfo(row["labelsOrTypes"][0], tuple(row["properties"]), "unique", "ONLINE"))
        return found

    def _admin(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                return [dict(r) for r in session.run(text, params or {})]
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise translate_error(exc) from None

    def _has(self, label: str, prop: str, kind: str) -> bool:
        return any(i.label == label and i.properties == (prop,) and i.kind == kind for i in self.indexes())

    # Identifiers below come from clusterkg.schema only, never from data.
    def ensure_range_index(self, label: str, prop: str) -> bool:
        if self._has(label, prop, "range") or self._has(label, prop, "unique"):
            return False
        self._admin(range_index_ddl(label, prop))
        return True

    def ensure_unique(self, label: str, prop: str) -> bool:
        if self._has(label, prop, "unique"):
            return False
        self._admin(unique_ddl(label, prop))
        return True

    def ensure_fulltext(self, label: str, props: Sequence[str]) -> bool:
        if all(self._has(label, p, "fulltext") for p in props):
            return False
        self._admin(fulltext_ddl(label, props))
        return True

    def ensure_vector_index(self, label: str, prop: str, dimension: int) -> bool:
        if self._has(label, prop, "vector"):
            return False
        self._admin(vector_ddl(label, prop, dimension))
        return True

    def drop_vector_index(self, label: str, prop: str) -> None:
        self._admin(f"DROP INDEX {vector_index_name(label, prop)} IF EXISTS")

    def await_indexes(self, timeout_s: float = 120.0) -> None:
        self._admin(AWAIT_INDEXES, {"timeout": int(timeout_s)})

    def checkpoint(self) -> None:
        """Neo4j's transaction log and checkpoints are its own business."""

    def close(self) -> None:
        self._driver.close()


def _refuse_plan_prefix(query: str) -> None:
    mode, _ = split_plan_prefix(query)
    if mode:
        raise QueryError(f"{mode.upper()} must go through store.{mode}(), not as query text")
