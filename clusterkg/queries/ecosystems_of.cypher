// name: ecosystems_of
// description: Industrial ecosystems the clusters are active in.
// param: ids list  cluster ids
// mode: read
// example: {"ids": ["syn-c000001"]}
MATCH (c:Cluster)-[:ACTIVE_IN]->(e:Ecosystem)
WHERE c.id IN $ids
RETURN c.id AS id, e {.id, .name, .order, .aliases} AS ecosystem
ORDER BY id, ecosystem.order
