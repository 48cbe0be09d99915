// name: overview_breakdowns
// description: Clusters by industrial ecosystem (every ecosystem, 0 where none is active in it), by country and by the cohesion category of their region; ClusterXchange exchanges by sender and host country.
// count(x), not count(*): FalkorDB 4.16 folds a middle node nothing references into one traversal and then counts distinct (s, h) pairs, not exchanges.
// mode: read
MATCH (e:Ecosystem)
OPTIONAL MATCH (c:Cluster)-[:ACTIVE_IN]->(e)
RETURN 'ecosystem' AS dimension, e.name AS value, null AS other, count(c) AS count
UNION ALL
MATCH (c:Cluster)
RETURN 'country' AS dimension, c.country AS value, null AS other, count(*) AS count
UNION ALL
MATCH (c:Cluster)
RETURN 'category' AS dimension, coalesce(c.category, 'unknown') AS value, null AS other, count(*) AS count
UNION ALL
MATCH (x:Exchange)-[:SENT_BY]->(s:Cluster)
MATCH (x)-[:HOSTED_BY]->(h:Cluster)
RETURN 'flow' AS dimension, s.country AS value, h.country AS other, count(x) AS count
