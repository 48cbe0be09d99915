"""The shapes of the graph model's declarations: a node type and a relationship type."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NodeType:
    label: str
    key: str
    description: str
    properties: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()  # range indexes besides the key (filters, joins)
    fulltext: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # stored as Cypher dates; loaders pass ISO text and convert with date()

    @property
    def all_properties(self) -> tuple[str, ...]:
        return (self.key, *[p for p in self.properties if p != self.key], "source", "synthetic")


@dataclass(frozen=True)
class RelType:
    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    description: str
    properties: tuple[str, ...] = field(default=())
    dates: tuple[str, ...] = field(default=())
