// name: cluster_ties_write
// description: Two clusters worked together in a project when the cluster itself or one of its members and the other cluster or one of its members (two different participants) both took part in it: one WORKED_WITH per pair of clusters with the number of such projects.
// param: ids list  cluster ids (cleared first by cluster_ties_clear)
// mode: write
// example: {"ids": ["no-such-cluster"]}
UNWIND $ids AS cluster_id
MATCH (k:Cluster {id: cluster_id})
WITH k
MATCH (k)<-[:MEMBER_OF*0..1]-(mine)-[:PARTICIPATED_IN]->(p:Project)<-[:PARTICIPATED_IN]-(theirs)-[:MEMBER_OF*0..1]->(other:Cluster)
WHERE other <> k AND mine <> theirs
WITH k, other, count(DISTINCT p) AS projects
WITH projects, CASE WHEN k.id < other.id THEN k ELSE other END AS low, CASE WHEN k.id < other.id THEN other ELSE k END AS high
MERGE (low)-[w:WORKED_WITH]->(high)
SET w.projects = projects, w.via = 'members'
