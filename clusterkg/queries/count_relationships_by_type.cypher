// name: count_relationships_by_type
// description: Number of relationships per type, with the labels they connect, largest first.
// mode: read
MATCH (a)-[r]->(b)
RETURN type(r) AS type, labels(a)[0] AS from_label, labels(b)[0] AS to_label, count(*) AS count
ORDER BY count DESC, type, from_label, to_label
