// name: change_submit
// description: Record an edit that waits for review, guarded by the revision the editor read; the cluster itself is not changed. Returns nothing when the revision is stale.
// param: cluster_id string  the cluster's id
// param: revision int  the revision the change was made against
// param: change map  the Change node's properties (id, status PENDING_REVIEW, fields as JSON, by, at, ...)
// mode: write
// example: {"cluster_id": "syn-c000000", "revision": -1, "change": {"id": "example"}}
MATCH (c:Cluster {id: $cluster_id})
SET c._lock = true
REMOVE c._lock
WITH c
WHERE coalesce(c.revision, 0) = $revision
CREATE (ch:Change)
SET ch = $change
CREATE (ch)-[:CHANGES]->(c)
RETURN ch.id AS id
