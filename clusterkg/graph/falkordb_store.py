"""FalkorDB over RESP (embedded or remote), behind the GraphStore protocol.

Reads go through GRAPH.RO_QUERY with a per-query timeout, so the engine
itself refuses writes and stops long reads. Writes go through GRAPH.QUERY,
bounded by the server's TIMEOUT_DEFAULT (the per-query timeout does not
apply to writes: ENGINES.md §2).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FalkorPath

from clusterkg.errors import EngineUnavailable, QueryError, QueryTimeout, QueryTooLarge, ReadOnlyViolation
from clusterkg.graph.aof import compact_if_grown
from clusterkg.graph.cypher_text import called_procedures, returned_columns
from clusterkg.graph.falkordb_params import with_params
from clusterkg.graph.store import (
    BatchWrites,
    IndexInfo,
    Params,
    Plan,
    QueryResult,
    WriteStats,
    split_plan_prefix,
)
from clusterkg.graph.values import node_dict, plain, relationship_dict

# Plan operations that change the graph (EXPLAIN of an index command answers a
# string instead of a plan), and LOAD CSV, which reads the server's files.
WRITE_OPERATIONS = {"Create", "Merge", "MergeCreate", "Delete", "Update", "Foreach"}
FILE_OPERATIONS = {"Load CSV"}
LIST_PROCEDURES = "CALL dbms.procedures() YIELD name, mode RETURN name, mode"
# FalkorDB-only listings (Neo4j has SHOW INDEXES / SHOW CONSTRAINTS instead)
LIST_INDEXES = "CALL db.indexes() YIELD label, types, entitytype, status RETURN label, types, entitytype, status"
LIST_CONSTRAINTS = "CALL db.constraints() YIELD type, label, properties, entitytype, status RETURN type, label, properties, entitytype, status"
ADMIN_STATEMENTS = (
    ("falkordb index list", LIST_INDEXES),
    ("falkordb constraint list", LIST_CONSTRAINTS),
    ("falkordb procedures", LIST_PROCEDURES),
)  # for the dialect checks
_POSITION = re.compile(r"line:\s*(\d+),\s*column:\s*(\d+)")


def convert_value(value: Any) -> Any:
    if isinstance(value, Node):
        return node_dict(value.id, value.labels or [], value.properties or {}, convert_value)
    if isinstance(value, Edge):
        return relationship_dict(
            value.id, value.relation, value.src_node, value.dest_node, value.properties or {}, convert_value
        )
    if isinstance(value, FalkorPath):
        return {
            "_type": "path",
            "nodes": [convert_value(n) for n in value.nodes()],
            "relationships": [convert_value(e) for e in value.edges()],
        }
    return str(value)


def translate_error(exc: Exception) -> Exception:
    """Map a client exception to the error a user should see."""
    if isinstance(exc, redis.AuthenticationError):
        from clusterkg.errors import AuthenticationFailed

        return AuthenticationFailed(f"FalkorDB refused the credentials: {exc}")
    if isinstance(exc, redis.ConnectionError):
        return EngineUnavailable(f"FalkorDB is not reachable: {exc}")
    text = str(exc)
    if "timed out" in text.lower():
        return QueryTimeout("the query was stopped: it ran past its time limit")
    if "mem consumption exceeded capacity" in text:
        return QueryTooLarge(
            "the query needed more memory than this server allows one query (CLUSTERKG_QUERY_MEMORY_MB): "
            "narrow it (a WHERE, a LIMIT, fewer collected values)"
        )
    if "RO_QUERY is to be executed only on read-only queries" in text:
        return ReadOnlyViolation("this query writes to the graph, and only read-only queries are allowed here")
    message = text
    line = column = None
    if text.startswith("errMsg:"):
        message = text[len("errMsg:") :].split(" line:", 1)[0].strip()
    match = _POSITION.search(text)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = f"{message} (line {line}, column {column})"
    return QueryError(message, line=line, column=column)


class FalkorDBStore(BatchWrites):
    engine = "falkordb"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        graph: str,
        password: str | None = None,
        username: str | None = None,
        query_timeout_ms: int = 30_000,
        owns_files: bool = False,
    ) -> None:
        self.graph_name = graph
        self.query_timeout_ms = query_timeout_ms
        self.owns_files = owns_files  # the embedded server: clusterkg compacts its AOF
        self._procedure_modes: dict[str, str] | None = None
        try:
            self._db = FalkorDB(host=host, port=port, password=password, username=username)
            self._graph = self._db.select_graph(graph)
            self._db.connection.ping()
        except redis.RedisError as exc:
            raise translate_error(exc) from None

    @property
    def connection(self) -> redis.Redis:
        """The raw RESP connection (for GRAPH.CONFIG, INFO, BGREWRITEAOF)."""
        connection: redis.Redis = self._db.connection
        return connection

    # -- queries ---------------------------------------------------------------

    def read(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None, max_rows: int | None = None
    ) -> QueryResult:
        _refuse_plan_prefix(query)
        started = time.perf_counter()
        try:
            result = (
                self._capped(query, params, timeout_ms, max_rows)
                if max_rows is not None
                else self._ro_query(query, params, timeout_ms)
            )
        except redis.RedisError as exc:
            raise translate_error(exc) from None
        columns = _header(result)
        if max_rows is not None:
            written = returned_columns(query)
            if written and sorted(written) == sorted(columns):
                columns = written  # RETURN * of the wrapping sorts the columns: back to the query's order
        found = result.result_set or []
        kept = found if max_rows is None else found[:max_rows]
        rows = [{c: plain(v, convert_value) for c, v in zip(_header(result), row)} for row in kept]
        return QueryResult(
            columns=columns,
            rows=rows,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            truncated=len(found) > len(kept),
        )

    def _capped(self, query: str, params: Params | None, timeout_ms: int | None, max_rows: int) -> Any:
        """At most max_rows + 1 rows, cut inside the engine: FalkorDB sends a whole result, so a query of
        500,000 rows would cross the wire and fill both processes' memory to show 1,000. The query runs as a
        subquery under LIMIT, which stops its pipeline early; a text that cannot be a subquery (a bare
        CALL proc()) runs as written."""
        body = query.strip().rstrip(";")
        try:
            return self._ro_query(f"CALL {{\n{body}\n}}\nRETURN * LIMIT {int(max_rows) + 1}", params, timeout_ms)
        except redis.ResponseError as exc:
            if isinstance(translate_error(exc), (QueryTimeout, ReadOnlyViolation)):
                raise
            return self._ro_query(query, params, timeout_ms)  # the query's own error, with its own positions

    def _ro_query(self, query: str, params: Params | None, timeout_ms: int | None) -> Any:
        return self._on_existing_graph(
            self._graph.ro_query, with_params(query, params), timeout=timeout_ms or self.query_timeout_ms
        )

    def _on_existing_graph(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except redis.ResponseError as exc:
            if "empty key" not in str(exc):
                raise
        # A graph that was never written does not exist yet, and FalkorDB
        # refuses reads and plans on it; create it empty (a no-op query does) and retry.
        self._graph.query("RETURN 0")
        return call(*args, **kwargs)

    def write(self, query: str, params: Params | None = None) -> WriteStats:
        _refuse_plan_prefix(query)
        try:
            result = self._graph.query(with_params(query, params))
        except redis.RedisError as exc:
            raise translate_error(exc) from None
        return WriteStats(
            nodes_created=int(result.nodes_created),
            nodes_deleted=int(result.nodes_deleted),
            relationships_created=int(result.relationships_created),
            relationships_deleted=int(result.relationships_deleted),
            properties_set=int(result.properties_set),
            batches=1,
            returned=[
                {c: plain(v, convert_value) for c, v in zip(_header(result), row)} for row in result.result_set or []
            ],
        )

    def explain(self, query: str, params: Params | None = None) -> Plan:
        _, body = split_plan_prefix(query)
        reply = self._plan_command("GRAPH.EXPLAIN", body, params)
        return Plan(lines=_plan_lines(reply))

    def profile(self, query: str, params: Params | None = None, *, timeout_ms: int | None = None) -> Plan:
        _, body = split_plan_prefix(query)
        reason = self.writes(body, params)
        if reason:  # GRAPH.PROFILE has no read-only mode: it would run the write
            raise ReadOnlyViolation(f"PROFILE runs the query, and {reason}: only read-only queries may be profiled")
        reply = self._plan_command("GRAPH.PROFILE", body, params, timeout_ms or self.query_timeout_ms)
        return Plan(lines=_plan_lines(reply), profiled=True)

    def writes(self, query: str, params: Params | None = None) -> str | None:
        _, body = split_plan_prefix(query)
        reply = self._plan_command("GRAPH.EXPLAIN", body, params)
        if not isinstance(reply, list):
            return f"it changes the schema ({_text(reply)})"
        operations = {line.strip().split(" |")[0].strip() for line in _plan_lines(reply)}
        if operations & WRITE_OPERATIONS:
            return f"its plan writes ({', '.join(sorted(operations & WRITE_OPERATIONS))})"
        if operations & FILE_OPERATIONS:
            return "it reads files on the server (LOAD CSV)"
        if "ProcedureCall" in operations:
            modes = self.procedure_modes()
            names = called_procedures(body)
            if not names:
                return "it calls a procedure whose name cannot be read from the text"
            for name in names:
                mode = modes.get(name.lower())
                if mode is None:
                    return f"it calls {name}, which is not a procedure of this engine"
                if mode != "READ":
                    return f"it calls {name}, a {mode} procedure (dbms.procedures())"
        return None

    def procedure_modes(self) -> dict[str, str]:
        """Each procedure's declared mode (READ or WRITE), by lower-case name: the engine's own classification."""
        if self._procedure_modes is None:
            self._procedure_modes = {r["name"].lower(): str(r["mode"]).upper() for r in self.read(LIST_PROCEDURES).rows}
        return self._procedure_modes

    def _plan_command(self, command: str, query: str, params: Params | None, timeout_ms: int | None = None) -> Any:
        text = with_params(query, params)
        extra = ("timeout", int(timeout_ms)) if timeout_ms else ()
        try:
            return self._on_existing_graph(self._graph.execute_command, command, self.graph_name, text, *extra)
        except redis.RedisError as exc:
            raise translate_error(exc) from None

    # -- schema ----------------------------------------------------------------

    def indexes(self) -> list[IndexInfo]:
        found: list[IndexInfo] = []
        for row in self.read(LIST_INDEXES).rows:
            if row["entitytype"] != "NODE":
                continue
            for prop, kinds in (row["types"] or {}).items():
                for kind in kinds:
                    found.append(IndexInfo(row["label"], (prop,), kind.lower(), row["status"]))
        for constraint in self._constraints():
            if constraint["type"] == "UNIQUE" and constraint["entitytype"] == "NODE":
                found.append(
                    IndexInfo(constraint["label"], tuple(constraint["properties"]), "unique", constraint["status"])
                )
        return found

    def _constraints(self) -> list[dict[str, Any]]:
        return self.read(LIST_CONSTRAINTS).rows

    def _has(self, label: str, prop: str, kind: str) -> bool:
        return any(i.label == label and i.properties == (prop,) and i.kind == kind for i in self.indexes())

    def ensure_range_index(self, label: str, prop: str) -> bool:
        if self._has(label, prop, "range"):
            return False
        self._schema_call(self._graph.create_node_range_index, label, prop)
        return True

    def ensure_unique(self, label: str, prop: str) -> bool:
        if self._has(label, prop, "unique"):
            return False
        self.ensure_range_index(label, prop)  # FalkorDB needs the supporting index first
        self._schema_call(self._graph.create_node_unique_constraint, label, prop)
        return True

    def ensure_fulltext(self, label: str, props: Sequence[str]) -> bool:
        missing = [p for p in props if not self._has(label, p, "fulltext")]
        if missing:
            self._schema_call(self._graph.create_node_fulltext_index, label, *missing)
        return bool(missing)

    def ensure_vector_index(self, label: str, prop: str, dimension: int) -> bool:
        if self._has(label, prop, "vector"):
            return False
        # identifiers from clusterkg's own code, never from data (labels cannot be parameters)
        self._schema_call(
            self._graph.query,
            f"CREATE VECTOR INDEX FOR (n:{label}) ON (n.{prop}) OPTIONS {{dimension: {int(dimension)}, similarityFunction: 'cosine'}}",
        )
        return True

    def drop_vector_index(self, label: str, prop: str) -> None:
        if self._has(label, prop, "vector"):
            self._schema_call(self._graph.query, f"DROP VECTOR INDEX FOR (n:{label}) ON (n.{prop})")

    def _schema_call(self, method: Callable[..., Any], *args: str) -> None:
        try:
            method(*args)
        except redis.ResponseError as exc:
            if "already indexed" in str(exc) or "already exists" in str(exc):
                return
            raise translate_error(exc) from None

    def await_indexes(self, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            pending = [i for i in self.indexes() if i.status.upper() not in ("OPERATIONAL", "ONLINE")]
            if not pending:
                return
            if time.monotonic() > deadline:
                names = ", ".join(f":{i.label}({','.join(i.properties)}) {i.kind}" for i in pending)
                raise EngineUnavailable(f"indexes still building after {timeout_s:.0f} s: {names}")
            time.sleep(0.1)

    def checkpoint(self) -> None:
        if not self.owns_files:
            return  # a server someone else runs keeps its own persistence policy
        try:
            compact_if_grown(self.connection)
        except redis.RedisError as exc:
            raise translate_error(exc) from None

    def close(self) -> None:
        try:
            self._db.connection.close()
        except redis.RedisError:
            pass


def _header(result: Any) -> list[str]:
    return [h[1] if isinstance(h, (list, tuple)) else str(h) for h in (result.header or [])]


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _plan_lines(reply: Any) -> list[str]:
    """A plan reply as text lines (an index command's EXPLAIN answers one string)."""
    items = reply if isinstance(reply, list) else [reply]
    return [_text(line).rstrip() for line in items]


def _refuse_plan_prefix(query: str) -> None:
    mode, _ = split_plan_prefix(query)
    if mode:
        raise QueryError(
            f"{mode.upper()} must go through the engine's {mode} call, not as query text "
            "(FalkorDB would run the query): use store.explain()/store.profile()"
        )
