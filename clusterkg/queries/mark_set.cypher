// name: mark_set
// description: An attendee's mark on another at an event (MUST_MEET, NO_THANKS, or none: the mark removed), one per pair and event; renews the graph's revision. Returns nothing when either does not attend the event.
// param: event_id string  the event
// param: from_id string  the attendee marking
// param: to_id string  the attendee marked
// param: mark string  MUST_MEET, NO_THANKS, or null to remove
// param: at string  when (ISO time)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"event_id": "no-such-event", "from_id": "no-such-party", "to_id": "no-such-party", "mark": null, "at": "2026-01-01T00:00:00+00:00", "graph_revision": "example"}
MATCH (e:Event {id: $event_id})
MATCH (a)-[:ATTENDS]->(e)
WHERE a.id = $from_id
MATCH (b)-[:ATTENDS]->(e)
WHERE b.id = $to_id
OPTIONAL MATCH (a)-[old:MARKED {event_id: $event_id}]->(b)
DELETE old
WITH DISTINCT a, b
FOREACH (_ IN CASE WHEN $mark IS NULL THEN [] ELSE [1] END |
  CREATE (a)-[:MARKED {event_id: $event_id, mark: $mark, at: $at}]->(b))
WITH a
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN a.id AS id
