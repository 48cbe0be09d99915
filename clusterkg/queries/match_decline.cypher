// name: match_decline
// description: One side (HOST or VISITOR) declines a proposed match, with a reason (a write lock first); the pair is never proposed again. Renews the graph's revision. Returns nothing when the match is not PROPOSED.
// param: id string  the match's id
// param: side string  HOST or VISITOR
// param: by string  the account declining
// param: reason string  why (null: not said)
// param: at string  when (ISO time)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"id": "no-such-match", "side": "HOST", "by": "example", "reason": null, "at": "2026-01-01T00:00:00+00:00", "graph_revision": "example"}
MATCH (m:ExchangeMatch {id: $id})
SET m._lock = true
REMOVE m._lock
WITH m
WHERE m.status = 'PROPOSED'
SET m.status = 'DECLINED', m.declined_side = $side, m.declined_by = $by, m.reason = $reason, m.declined_at = $at,
    m.revision = coalesce(m.revision, 0) + 1
WITH m
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN m.status AS status
