// name: interest_connect
// description: The tie an accepted expression of interest makes between the posting's cluster and the interested one (CONNECTED, named by the posting: partner search's existing ties see it); MERGE, so writing it again changes nothing. Renews the graph's revision.
// param: owner_id string  the posting's cluster
// param: cluster_id string  the interested cluster
// param: posting_id string  the posting
// param: interest_id string  the interest accepted
// param: since string  when it was accepted (ISO time)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"owner_id": "no-such-cluster", "cluster_id": "no-such-cluster", "posting_id": "example", "interest_id": "example", "since": "2026-01-01T00:00:00+00:00", "graph_revision": "example"}
MATCH (a:Cluster {id: $owner_id})
MATCH (b:Cluster {id: $cluster_id})
MERGE (a)-[t:CONNECTED {posting_id: $posting_id}]->(b)
ON CREATE SET t.interest_id = $interest_id, t.since = $since
WITH t
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $since
RETURN t.interest_id AS interest_id
