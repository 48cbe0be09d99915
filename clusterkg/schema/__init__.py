"""The graph model, declared once, and its DDL per engine.

Labels, relationship types and their properties (`model`), the DDL per
engine (`apply`), the Cypher texts built from the model (`statements`), the
content hash (`content`). It imports graph/ below it, never loaders/ or
queries/.
"""

from clusterkg.schema.apply import SchemaReport, apply_schema, schema_version
from clusterkg.schema.kinds import NodeType, RelType
from clusterkg.schema.model import (
    NODE_TYPES,
    NODES,
    REL_TYPES,
    RELATIONSHIPS,
    SCHEMA_VERSION,
    node,
    property_keys,
    relationship,
)

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
