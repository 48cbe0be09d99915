"""The graph model, declared once, and its DDL per engine."""

from clusterkg.schema.apply import SchemaReport, apply_schema, schema_version
from clusterkg.schema.model import NODE_TYPES, NODES, REL_TYPES, RELATIONSHIPS, SCHEMA_VERSION, NodeType, RelType, node, property_keys, relationship

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
    "property_keys",
    "relationship",
    "schema_version",
]
