// name: match_accept
// description: One side (HOST or VISITOR) accepts a proposed match, in one transaction with a write lock first: when the other side had accepted already, the match is ACCEPTED, its application MATCHED, and the Exchange is made (planned; SENT_BY, HOSTED_BY, PARTICIPANT, UNDER the application's partnership, FROM_MATCH). Returns nothing when the match is not PROPOSED or this side accepted already.
// param: id string  the match's id
// param: side string  HOST or VISITOR
// param: at string  when (ISO time)
// param: exchange map  the Exchange to make if both have accepted ({id, topic, days})
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"id": "no-such-match", "side": "HOST", "at": "2026-01-01T00:00:00+00:00", "exchange": {"id": "example", "topic": null, "days": 3}, "graph_revision": "example"}
MATCH (m:ExchangeMatch {id: $id})
SET m._lock = true
REMOVE m._lock
WITH m
WHERE m.status = 'PROPOSED'
  AND (($side = 'HOST' AND m.host_accepted_at IS NULL) OR ($side = 'VISITOR' AND m.visitor_accepted_at IS NULL))
SET m.host_accepted_at = CASE WHEN $side = 'HOST' THEN $at ELSE m.host_accepted_at END,
    m.visitor_accepted_at = CASE WHEN $side = 'VISITOR' THEN $at ELSE m.visitor_accepted_at END,
    m.revision = coalesce(m.revision, 0) + 1
WITH m, (m.host_accepted_at IS NOT NULL AND m.visitor_accepted_at IS NOT NULL) AS both
SET m.status = CASE WHEN both THEN 'ACCEPTED' ELSE m.status END,
    m.exchange_id = CASE WHEN both THEN $exchange.id ELSE m.exchange_id END
WITH m, both
MATCH (m)-[:MATCHES]->(a:Application)
MATCH (s:Cluster {id: m.sending_cluster_id})
MATCH (h:Cluster {id: m.host_cluster_id})
OPTIONAL MATCH (a)-[:PARTICIPANT]->(o:Organisation)
OPTIONAL MATCH (a)-[:APPLIED_UNDER]->(p:Partnership)
FOREACH (_ IN CASE WHEN both THEN [1] ELSE [] END |
  SET a.status = 'MATCHED', a.revision = coalesce(a.revision, 0) + 1
  MERGE (x:Exchange {id: $exchange.id})
  SET x.start = date(m.start), x.end = date(m.end), x.days = $exchange.days, x.status = 'planned', x.topic = $exchange.topic,
      x.cross_border = true, x.call_id = m.call_id, x.match_id = m.id, x.revision = 0, x.source = 'programme',
      x.synthetic = false
  MERGE (x)-[:SENT_BY]->(s)
  MERGE (x)-[:HOSTED_BY]->(h)
  MERGE (x)-[:FROM_MATCH]->(m))
WITH m, both, o, p
OPTIONAL MATCH (x:Exchange {id: $exchange.id})
FOREACH (_ IN CASE WHEN both AND o IS NOT NULL THEN [1] ELSE [] END | MERGE (x)-[:PARTICIPANT]->(o))
FOREACH (_ IN CASE WHEN both AND p IS NOT NULL THEN [1] ELSE [] END | MERGE (x)-[:UNDER]->(p))
WITH m
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN m.status AS status, m.exchange_id AS exchange_id
