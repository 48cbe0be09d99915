// name: sample_clusters
// description: SYNTHETIC clusters with their offers and seeks (names) and whether they belong to a partnership: what `clusterkg match sample-*` draws demo inputs from.
// param: limit integer  clusters at most
// mode: read
// example: {"limit": 10}
MATCH (c:Cluster)
WHERE c.synthetic = true
RETURN c.id AS id, c.country AS country, [(c)-[:SEEKS]->(s:Competence) | s.name] AS seeks,
       [(c)-[:OFFERS]->(o:Competence) | o.name] AS offers,
       size([(c)-[:PARTNER_IN]->(p:Partnership) | p.id]) > 0 AS community
ORDER BY id
LIMIT $limit
