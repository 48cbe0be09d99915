// name: partnership_members
// description: Member clusters of partnerships, coordinator first, and the call that funded each.
// param: ids list  partnership ids
// mode: read
// example: {"ids": ["syn-p00000"]}
MATCH (c:Cluster)-[m:PARTNER_IN]->(p:Partnership)
WHERE p.id IN $ids
OPTIONAL MATCH (p)-[:FUNDED_BY]->(call:Call)
RETURN p.id AS id, c.id AS cluster_id, m.role AS role, call.id AS call_id
ORDER BY id, role, cluster_id
