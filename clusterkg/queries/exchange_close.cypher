// name: exchange_close
// description: An exchange is done (completed, with a short report) or cancelled (with a reason), when its status allows it (a write lock first); renews the graph's revision. Returns nothing when its state had moved on.
// param: id string  the exchange's id
// param: from list  the statuses the move is legal from
// param: status string  completed or cancelled
// param: report string  the report (completed) or the reason (cancelled)
// param: at string  when (ISO time)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"id": "no-such-exchange", "from": ["planned"], "status": "completed", "report": "example", "at": "2026-01-01T00:00:00+00:00", "graph_revision": "example"}
MATCH (x:Exchange {id: $id})
SET x._lock = true
REMOVE x._lock
WITH x
WHERE x.status IN $from
SET x.status = $status, x.revision = coalesce(x.revision, 0) + 1,
    x.report = CASE WHEN $status = 'completed' THEN $report ELSE x.report END,
    x.reported_at = CASE WHEN $status = 'completed' THEN $at ELSE x.reported_at END,
    x.cancelled_reason = CASE WHEN $status = 'cancelled' THEN $report ELSE x.cancelled_reason END
WITH x
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN x.status AS status
