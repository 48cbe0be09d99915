// name: worked_with_write
// description: Count again who worked with these organisations (or clusters that took part themselves): one WORKED_WITH per pair, from the smaller id to the larger, with the number of projects both took part in.
// label: label Organisation|Cluster
// param: ids list  ids of the nodes whose participations changed (cleared first by worked_with_clear)
// mode: write
// example: {"ids": ["no-such-node"]}
UNWIND $ids AS anchor
MATCH (a:__label__ {id: anchor})
WITH a  // the anchor first: otherwise FalkorDB's plan started from a scan of every node for b
MATCH (a)-[:PARTICIPATED_IN]->(p:Project)<-[:PARTICIPATED_IN]-(b)
WHERE b <> a AND (b:Organisation OR b:Cluster) AND NOT (a:Cluster AND b:Cluster)
WITH a, b, count(DISTINCT p) AS projects
WITH projects, CASE WHEN a.id < b.id THEN a ELSE b END AS low, CASE WHEN a.id < b.id THEN b ELSE a END AS high
MERGE (low)-[w:WORKED_WITH]->(high)
SET w.projects = projects, w.via = 'participants'
