// name: event_process
// description: What an event's schedule must respect, one row per item: marks (MUST_MEET, NO_THANKS), meeting requests with their status, and meetings already scheduled (with their request and whether they are fixed).
// param: event_id string  the event
// mode: read
// example: {"event_id": "syn-e0000"}
// example-rows: none
MATCH (a)-[m:MARKED {event_id: $event_id}]->(b)
RETURN 'mark' AS kind, a.id AS a, b.id AS b, m.mark AS status, null AS id, null AS slot, null AS table_no, null AS fixed
UNION ALL
MATCH (r:MeetingRequest {event_id: $event_id})-[:REQUESTED {role: 'from'}]->(a)
MATCH (r)-[:REQUESTED {role: 'to'}]->(b)
RETURN 'request' AS kind, a.id AS a, b.id AS b, r.status AS status, r.id AS id, null AS slot, null AS table_no, null AS fixed
UNION ALL
MATCH (m:Meeting {event_id: $event_id})-[:BETWEEN]->(a)
MATCH (m)-[:BETWEEN]->(b)
WHERE a.id < b.id
RETURN 'meeting' AS kind, a.id AS a, b.id AS b, m.request_id AS status, m.id AS id, m.slot AS slot, m.table AS table_no,
       coalesce(m.fixed, false) AS fixed
