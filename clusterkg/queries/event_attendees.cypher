// name: event_attendees
// description: The attendees of an event (ATTENDS), as the rows of an attendee file: what each offers and seeks there, and its slots.
// param: event_id string  the event's id
// mode: read
// example: {"event_id": "no-such-event"}
// example-rows: none
MATCH (o:Organisation)-[a:ATTENDS]->(e:Event {id: $event_id})
OPTIONAL MATCH (o)-[:MEMBER_OF]->(k:Cluster)
WITH o, a, min(k.id) AS cluster_id
RETURN o.id AS attendee_id, o.name AS name, o.name AS organisation, o.kind AS kind, o.id AS organisation_id, cluster_id,
       a.offers AS offers, a.seeks AS seeks, a.slots AS available_slots
ORDER BY attendee_id
