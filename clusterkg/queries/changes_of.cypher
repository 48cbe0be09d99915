// name: changes_of
// description: A cluster's changes with the given statuses, newest first, a page at a time (its history; pending ones for its editors and the moderators).
// param: cluster_id string  the cluster's id
// param: statuses list  the statuses to list (PUBLISHED, PENDING_REVIEW, REJECTED, REVERTED)
// param: skip int  changes to skip
// param: limit int  changes to return
// mode: read
// example: {"cluster_id": "syn-c000000", "statuses": ["PUBLISHED"], "skip": 0, "limit": 10}
// example-rows: none
MATCH (ch:Change)-[:CHANGES]->(:Cluster {id: $cluster_id})
WHERE ch.status IN $statuses
RETURN properties(ch) AS change
ORDER BY ch.at DESC, ch.id DESC
SKIP $skip LIMIT $limit
