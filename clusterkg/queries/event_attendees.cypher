// name: event_attendees
// description: The attendees of an event (ATTENDS: organisations and clusters), as the rows of an attendee file: what each offers and seeks there, and its slots.
// param: event_id string  the event's id
// mode: read
// example: {"event_id": "no-such-event"}
// example-rows: none
MATCH (p)-[a:ATTENDS]->(e:Event {id: $event_id})
OPTIONAL MATCH (p)-[:MEMBER_OF]->(k:Cluster)
WITH p, a, min(k.id) AS home, 'Cluster' IN labels(p) AS is_cluster
RETURN p.id AS attendee_id, p.name AS name, p.name AS organisation, p.kind AS kind,
       CASE WHEN is_cluster THEN null ELSE p.id END AS organisation_id, CASE WHEN is_cluster THEN p.id ELSE home END AS cluster_id,
       p.country AS country, a.offers AS offers, a.seeks AS seeks, a.slots AS available_slots
ORDER BY attendee_id
