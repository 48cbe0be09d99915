// name: overview_counts
// description: The knowledge base at a glance: clusters, organisations, partnerships, exchanges, the countries with clusters, and how many nodes are SYNTHETIC.
// mode: read
OPTIONAL MATCH (c:Cluster)
WITH count(c) AS clusters, count(DISTINCT c.country) AS countries, sum(CASE WHEN c.synthetic = true THEN 1 ELSE 0 END) AS synthetic_clusters
OPTIONAL MATCH (o:Organisation)
WITH clusters, countries, synthetic_clusters, count(o) AS organisations
OPTIONAL MATCH (p:Partnership)
WITH clusters, countries, synthetic_clusters, organisations, count(p) AS partnerships
OPTIONAL MATCH (x:Exchange)
RETURN clusters, organisations, partnerships, count(x) AS exchanges, countries, synthetic_clusters
