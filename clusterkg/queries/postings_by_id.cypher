// name: postings_by_id
// description: Postings with all their properties and their cluster's name, country and category.
// param: ids list  posting ids
// mode: read
// example: {"ids": ["syn-post-000000", "syn-post-000001"]}
MATCH (p:Posting)
WHERE p.id IN $ids
OPTIONAL MATCH (p)-[:POSTED_BY]->(c:Cluster)
RETURN properties(p) AS posting, c.name AS cluster_name, c.country AS cluster_country, c.category AS cluster_category
ORDER BY p.id
