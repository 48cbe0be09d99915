// name: changes_by_status
// description: Changes of every cluster with one status, oldest first (the moderators' queue).
// param: status string  PENDING_REVIEW, PUBLISHED, REJECTED or REVERTED
// param: limit int  changes to return
// mode: read
// example: {"status": "PENDING_REVIEW", "limit": 50}
// example-rows: none
MATCH (ch:Change)-[:CHANGES]->(c:Cluster)
WHERE ch.status = $status
RETURN properties(ch) AS change, c.name AS cluster_name
ORDER BY ch.at, ch.id
LIMIT $limit
