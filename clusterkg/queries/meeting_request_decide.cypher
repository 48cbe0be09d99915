// name: meeting_request_decide
// description: The attendee asked accepts or declines a pending meeting request (a write lock first); renews the graph's revision. Returns nothing when it was decided already.
// param: id string  the request's id
// param: status string  ACCEPTED or DECLINED
// param: by string  the account deciding
// param: at string  when (ISO time)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"id": "no-such-request", "status": "ACCEPTED", "by": "example", "at": "2026-01-01T00:00:00+00:00", "graph_revision": "example"}
MATCH (r:MeetingRequest {id: $id})
SET r._lock = true
REMOVE r._lock
WITH r
WHERE r.status = 'PENDING'
SET r.status = $status, r.decided_by = $by, r.decided_at = $at
WITH r
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN r.status AS status
