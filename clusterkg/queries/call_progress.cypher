// name: call_progress
// description: A call's ClusterXchange exchanges against its targets, grouped by the sending cluster's country and cohesion category: how many count, how many involve an SME participant, how many come from outside the community. Which exchanges count, and what "SME" and "outside" mean: README, "Running the programme".
// param: call_id string  the call
// mode: read
// example: {"call_id": "COS-CLUSTER-2020-3-03"}
// note: the call's partnerships and community are read once, as lists: from the call towards each exchange, the
// planner walked every exchange of every partnership for each exchange (30 ms at 1,000 exchanges)
MATCH (call:Call {id: $call_id})
OPTIONAL MATCH (funded:Partnership)-[:FUNDED_BY]->(call)
WITH collect(DISTINCT funded.id) AS partnerships
OPTIONAL MATCH (k:Cluster)-[:PARTNER_IN]->(member:Partnership)
WHERE member.id IN partnerships
WITH partnerships, collect(DISTINCT k.id) AS community
MATCH (x:Exchange)-[:HOSTED_BY]->(h:Cluster)
WHERE x.status <> 'cancelled'
MATCH (x)-[:SENT_BY]->(s:Cluster)
OPTIONAL MATCH (x)-[:UNDER]->(u:Partnership)
WITH community, x, h, s, sum(CASE WHEN u.id IN partnerships THEN 1 ELSE 0 END) AS under
WHERE x.call_id = $call_id OR under > 0 OR h.id IN community
OPTIONAL MATCH (x)-[:PARTICIPANT]->(o:Organisation)
WITH x, s, s.id IN community AS inside, max(CASE WHEN o.kind = 'sme' THEN 1 ELSE 0 END) AS sme
WITH s.country AS country, s.category AS category, count(x) AS exchanges, sum(sme) AS sme,
     sum(CASE WHEN inside THEN 0 ELSE 1 END) AS outside
RETURN country, category, exchanges, sme, outside
ORDER BY country, category
