// Neo4j variant: the full-text index is named after the label (see clusterkg/graph/neo4j_store.py); only the CALL differs.
CALL db.index.fulltext.queryNodes('__label__', $text) YIELD node, score
RETURN coalesce(node.id, node.nuts) AS id, score
ORDER BY score DESC, id
LIMIT $limit
