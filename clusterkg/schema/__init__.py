"""The graph model, declared once, and its DDL per engine."""

from clusterkg.schema.apply import SchemaReport, apply_schema, schema_version
from clusterkg.schema.model import NODE_TYPES, NODES, REL_TYPES, RELATIONSHIPS, SCHEMA_VERSION, NodeType, RelType, node, relationship

__all__ = [
    "NODE_TYPES",
    "NODES",
    "REL_TYPES",
    "RELATIONSHIPS",
    "SCHEMA_VERSION",
    "NodeType",
    "RelType",
    "SchemaReport",
    "apply_schema",
    "node",
    "relationship",
    "schema_version",
]
