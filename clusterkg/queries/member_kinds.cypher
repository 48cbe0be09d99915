// name: member_kinds
// description: How many member organisations of each kind (SME, large, research, …) each cluster has.
// param: ids list  cluster ids
// mode: read
// example: {"ids": ["syn-c000000", "syn-c000001"]}
MATCH (c:Cluster)<-[:MEMBER_OF]-(o:Organisation)
WHERE c.id IN $ids
RETURN c.id AS id, coalesce(o.kind, 'unknown') AS kind, count(*) AS count
ORDER BY id, count DESC, kind
