// name: meeting_request_create
// description: One attendee asks another to meet at an event (both attend it): a PENDING MeetingRequest, REQUESTED from, to and at the event, unless one from the same attendee to the same one is pending or accepted already; renews the graph's revision. Returns nothing otherwise.
// param: request map  the MeetingRequest's properties (id, event_id, from_id, to_id, status PENDING, message, at, by)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"request": {"id": "example", "event_id": "no-such-event", "from_id": "no-such-party", "to_id": "no-such-party"}, "graph_revision": "example"}
MATCH (e:Event {id: $request.event_id})
MATCH (a)-[:ATTENDS]->(e)
WHERE a.id = $request.from_id
MATCH (b)-[:ATTENDS]->(e)
WHERE b.id = $request.to_id
SET e._lock = true
REMOVE e._lock
WITH e, a, b
OPTIONAL MATCH (a)<-[:REQUESTED {role: 'from'}]-(old:MeetingRequest {event_id: $request.event_id})-[:REQUESTED {role: 'to'}]->(b)
WHERE old.status IN ['PENDING', 'ACCEPTED']
WITH e, a, b, count(old) AS open
WHERE open = 0
CREATE (r:MeetingRequest {id: $request.id})
SET r += $request
MERGE (r)-[:REQUESTED {role: 'from'}]->(a)
MERGE (r)-[:REQUESTED {role: 'to'}]->(b)
MERGE (r)-[:REQUESTED {role: 'event'}]->(e)
WITH r
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = r.at
RETURN r.id AS id
