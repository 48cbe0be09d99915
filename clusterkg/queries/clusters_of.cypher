// name: clusters_of
// description: Clusters organisations are members of.
// param: ids list  organisation ids
// mode: read
// example: {"ids": ["syn-o00000001"]}
MATCH (o:Organisation)-[:MEMBER_OF]->(c:Cluster)
WHERE o.id IN $ids
RETURN o.id AS id, c.id AS cluster_id
ORDER BY id, cluster_id
