// name: meetings_replace
// description: A new schedule of an event in one transaction: its meetings that are not fixed are deleted (with any ratings), and the new ones made (BETWEEN the two parties, AT the event); fixed meetings stay where they are. Renews the graph's revision; returns how many it made (no row when it made none).
// param: event_id string  the event
// param: meetings list  the new meetings ({id, from_id, to_id, slot, time, table, score, reasons, request_id, fixed, synthetic})
// param: graph_revision string  the graph's new revision token
// param: at string  when (ISO time)
// mode: write
// example: {"event_id": "no-such-event", "meetings": [], "graph_revision": "example", "at": "2026-01-01T00:00:00+00:00"}
MATCH (e:Event {id: $event_id})
SET e._lock = true
REMOVE e._lock
WITH e
OPTIONAL MATCH (old:Meeting {event_id: $event_id})
WHERE NOT coalesce(old.fixed, false)
DETACH DELETE old
WITH DISTINCT e
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
WITH e
UNWIND $meetings AS m
OPTIONAL MATCH (ao:Organisation {id: m.from_id})
OPTIONAL MATCH (ac:Cluster {id: m.from_id})
OPTIONAL MATCH (bo:Organisation {id: m.to_id})
OPTIONAL MATCH (bc:Cluster {id: m.to_id})
WITH e, m, coalesce(ao, ac) AS a, coalesce(bo, bc) AS b
WHERE a IS NOT NULL AND b IS NOT NULL
MERGE (x:Meeting {id: m.id})
SET x.event_id = $event_id, x.slot = m.slot, x.time = m.time, x.table = m.table, x.score = m.score,
    x.reasons = m.reasons, x.request_id = m.request_id, x.fixed = m.fixed, x.synthetic = m.synthetic, x.source = 'schedule'
MERGE (x)-[:BETWEEN]->(a)
MERGE (x)-[:BETWEEN]->(b)
MERGE (x)-[:AT]->(e)
WITH e, count(x) AS made
RETURN made
