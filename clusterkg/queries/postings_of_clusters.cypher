// name: postings_of_clusters
// description: The ids and titles of the postings of these clusters (an owner's inbox reads their interests), newest first.
// param: cluster_ids list  cluster ids
// mode: read
// example: {"cluster_ids": ["syn-c000002", "syn-c000004"]}
MATCH (p:Posting)-[:POSTED_BY]->(c:Cluster)
WHERE c.id IN $cluster_ids
RETURN p.id AS id, p.title AS title, c.id AS cluster_id
ORDER BY coalesce(p.published_at, p.created_at, '') DESC, p.id
