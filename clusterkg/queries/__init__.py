"""The Cypher library: one .cypher file per named query.

It imports graph/ and schema/ below it, never loaders/ or anything above:
every layer above reads the graph through it.

Each file starts with a header of `//` comment lines:

    // name: count_nodes_by_label
    // description: Number of nodes per label.
    // param: nuts string  NUTS code of the region   (one line per parameter)
    // mode: read                                    (read | write)
    // example: {"nuts": "ITF51"}                    (parameters that make a good example; tests run it)
    // example-rows: none                            (the example answers nothing on the test graphs; tests then only plan it)
    // label: seeker Cluster|Organisation            (a label slot: __seeker__ in the text, one of the choices)
    // type: rel OFFERS|SEEKS                        (a relationship-type slot, the same way)
    // engines: falkordb                             (a query of one engine only; default: both)

Slots let one text serve clusters and organisations, offers and seeks:
labels and types cannot be parameters in Cypher, so `render` substitutes one
of the declared names (all from clusterkg.schema), never user text.

Files are written once in the subset both engines run (ENGINES.md §3); where
the dialects truly differ, `name.neo4j.cypher` next to `name.cypher` holds
the Neo4j text and is picked when the store's engine is neo4j.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterkg.errors import ClusterKGError
from clusterkg.graph.store import GraphStore, QueryResult, WriteStats
from clusterkg.schema.model import NODES, RELATIONSHIPS

QUERY_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    mode: str
    text: str
    params: tuple[QueryParam, ...] = field(default=())
    neo4j_text: str | None = None
    path: Path | None = None
    example: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    example_has_rows: bool = True
    engines: tuple[str, ...] = ("falkordb", "neo4j")  # `// engines: falkordb`: a query of one engine's own

    def text_for(self, engine: str, labels: Mapping[str, str] | None = None) -> str:
        if engine not in self.engines:
            raise ClusterKGError(f"query '{self.name}' runs on {', '.join(self.engines)} only, not on {engine}")
        text = self.neo4j_text if engine == "neo4j" and self.neo4j_text else self.text
        return self.render(text, labels or {})

    def render(self, text: str, labels: Mapping[str, str]) -> str:
        for slot, choices in self.labels.items():
            chosen = labels.get(slot, choices[0])
            if chosen not in choices:
                raise ClusterKGError(
                    f"query '{self.name}': label {slot} must be one of {', '.join(choices)}, not '{chosen}'"
                )
            text = text.replace(f"__{slot}__", chosen)
        return text

    def label_combinations(self) -> list[dict[str, str]]:
        """Every choice of labels (tests run them all)."""
        combos: list[dict[str, str]] = [{}]
        for slot, choices in self.labels.items():
            combos = [{**c, slot: choice} for c in combos for choice in choices]
        return combos


def parse_query_file(path: Path) -> NamedQuery:
    header: dict[str, str] = {}
    params: list[QueryParam] = []
    labels: dict[str, tuple[str, ...]] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not body and stripped.startswith("//"):
            key, _, value = stripped[2:].strip().partition(":")
            key = key.strip().lower()
            if key == "param":
                name, _, rest = value.strip().partition(" ")
                type_, _, description = rest.strip().partition(" ")
                params.append(QueryParam(name, type_ or "any", description.strip()))
            elif key in ("label", "type"):
                slot, _, choices = value.strip().partition(" ")
                declared = tuple(c.strip() for c in choices.split("|") if c.strip())
                known = NODES if key == "label" else RELATIONSHIPS
                unknown = [c for c in declared if c not in known]
                if unknown:
                    raise ClusterKGError(f"{path.name}: {key} slot {slot} names {key}s not in the schema: {unknown}")
                labels[slot] = declared
            elif key:
                header[key] = value.strip()
        elif stripped or body:
            body.append(line)
    for required in ("name", "description", "mode"):
        if required not in header:
            raise ClusterKGError(f"{path.name}: header line '// {required}: ...' is missing")
    if header["mode"] not in ("read", "write"):
        raise ClusterKGError(f"{path.name}: mode must be read or write, not '{header['mode']}'")
    if header["name"] != path.name.split(".")[0]:
        raise ClusterKGError(f"{path.name}: name '{header['name']}' must match the file name")
    variant = path.with_name(f"{header['name']}.neo4j.cypher")
    neo4j_text = None
    if variant.is_file():
        neo4j_text = "\n".join(
            line for line in variant.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("//")
        ).strip()
    try:
        example = json.loads(header.get("example", "{}"))
    except ValueError as exc:
        raise ClusterKGError(f"{path.name}: the example line is not JSON: {exc}") from None
    return NamedQuery(
        header["name"],
        header["description"],
        header["mode"],
        "\n".join(body).strip(),
        tuple(params),
        neo4j_text,
        path,
        example,
        labels,
        header.get("example-rows", "") != "none",
        tuple(e.strip() for e in header.get("engines", "falkordb, neo4j").split(",") if e.strip()),
    )


@functools.cache
def library() -> dict[str, NamedQuery]:
    """Every named query, by name."""
    queries = [parse_query_file(p) for p in sorted(QUERY_DIR.glob("*.cypher")) if not p.name.endswith(".neo4j.cypher")]
    return {q.name: q for q in queries}


def get(name: str) -> NamedQuery:
    try:
        return library()[name]
    except KeyError:
        raise ClusterKGError(f"no query named '{name}'; known: {', '.join(sorted(library()))}") from None


def write(
    store: GraphStore, name: str, params: Mapping[str, Any] | None = None, *, labels: Mapping[str, str] | None = None
) -> WriteStats:
    """Run a named write query (mode: write) on the store."""
    query = get(name)
    if query.mode != "write":
        raise ClusterKGError(f"query '{name}' only reads; use queries.run")
    return store.write(query.text_for(store.engine, labels), params)


def run(
    store: GraphStore,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout_ms: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> QueryResult:
    """Run a named read query on the store, in the engine's dialect."""
    query = get(name)
    if query.mode != "read":
        raise ClusterKGError(f"query '{name}' writes; run it through a loader, not as a read")
    missing = [p.name for p in query.params if p.name not in (params or {})]
    if missing:
        raise ClusterKGError(f"query '{name}' needs the parameters {', '.join(missing)}")
    return store.read(query.text_for(store.engine, labels), params, timeout_ms=timeout_ms)
