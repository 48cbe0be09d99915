// name: organisation_ids_by_node
// description: The ids of the organisations whose internal node id is in [$low, $high) (FalkorDB: a seek by node id, so a pass over five million organisations visits each once; clusterkg.queries.ranges).
// param: low integer  the first node id of the page
// param: high integer  the node id after the page
// mode: read
// engines: falkordb
// example: {"low": 0, "high": 100000}
MATCH (o:Organisation)
WHERE id(o) >= $low AND id(o) < $high
RETURN o.id AS id
ORDER BY id
