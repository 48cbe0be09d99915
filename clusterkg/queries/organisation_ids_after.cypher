// name: organisation_ids_after
// description: The next $limit organisation ids after $after, in id order (Neo4j reads them from its id index in order; clusterkg.queries.ranges).
// param: after string  the last id of the previous page ('' for the first)
// param: limit integer  ids a page
// mode: read
// example: {"after": "", "limit": 100}
MATCH (o:Organisation)
WHERE o.id > $after
RETURN o.id AS id
ORDER BY id
LIMIT $limit
