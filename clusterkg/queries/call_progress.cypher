// name: call_progress
// description: A call's ClusterXchange exchanges against its targets, grouped by the sending cluster's country and cohesion category: how many count, how many involve an SME participant, how many come from outside the community. Which exchanges count, and what "SME" and "outside" mean: README, "Running the programme".
// param: call_id string  the call
// mode: read
// example: {"call_id": "COS-CLUSTER-2020-3-03"}
MATCH (call:Call {id: $call_id})
OPTIONAL MATCH (k:Cluster)-[:PARTNER_IN]->(:Partnership)-[:FUNDED_BY]->(call)
WITH call, collect(DISTINCT k.id) AS community
MATCH (x:Exchange)-[:HOSTED_BY]->(h:Cluster)
WHERE x.status <> 'cancelled'
MATCH (x)-[:SENT_BY]->(s:Cluster)
OPTIONAL MATCH (x)-[:UNDER]->(:Partnership)-[f:FUNDED_BY]->(call)
WITH community, x, h, s, count(f) AS under
WHERE x.call_id = $call_id OR under > 0 OR h.id IN community
OPTIONAL MATCH (x)-[:PARTICIPANT]->(o:Organisation)
WITH x, s, s.id IN community AS inside, max(CASE WHEN o.kind = 'sme' THEN 1 ELSE 0 END) AS sme
WITH s.country AS country, s.category AS category, count(x) AS exchanges, sum(sme) AS sme,
     sum(CASE WHEN inside THEN 0 ELSE 1 END) AS outside
RETURN country, category, exchanges, sme, outside
ORDER BY country, category
