// name: application_move
// description: Move an application to a new status (VALIDATED, REJECTED, WITHDRAWN) when it is in one of the states that allow it (a write lock first): who decided, when and why; renews the graph's revision. Returns nothing when its state had moved on.
// param: id string  the application's id
// param: from list  the states the move is legal from (clusterkg.programme.states)
// param: status string  the new status
// param: by string  the account deciding
// param: at string  when (ISO time)
// param: reason string  why (null: none)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"id": "no-such-application", "from": ["SUBMITTED"], "status": "VALIDATED", "by": "example", "at": "2026-01-01T00:00:00+00:00", "reason": null, "graph_revision": "example"}
MATCH (a:Application {id: $id})
SET a._lock = true
REMOVE a._lock
WITH a
WHERE a.status IN $from
SET a.status = $status, a.decided_by = $by, a.decided_at = $at, a.reason = $reason,
    a.revision = coalesce(a.revision, 0) + 1
WITH a
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN a.status AS status
