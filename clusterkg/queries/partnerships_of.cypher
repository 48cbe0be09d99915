// name: partnerships_of
// description: Partnerships the clusters belong to, with their role.
// param: ids list  cluster ids
// mode: read
// example: {"ids": ["syn-c000036", "syn-c000835"]}
MATCH (c:Cluster)-[m:PARTNER_IN]->(p:Partnership)
WHERE c.id IN $ids
RETURN c.id AS id, m.role AS role, p.id AS partnership_id
ORDER BY id, partnership_id
