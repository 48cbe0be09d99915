// name: partnership_coordinators
// description: A partnership's coordinator clusters (PARTNER_IN role coordinator) and the call that funded it: who validates its ClusterXchange applications.
// param: id string  the partnership's id
// mode: read
// example: {"id": "syn-p00000"}
MATCH (p:Partnership {id: $id})
OPTIONAL MATCH (c:Cluster)-[r:PARTNER_IN]->(p)
WHERE r.role = 'coordinator'
OPTIONAL MATCH (p)-[:FUNDED_BY]->(call:Call)
RETURN p.id AS id, collect(DISTINCT c.id) AS coordinators, min(call.id) AS call_id
