// name: event_list
// description: Events, the latest first, with their dates and number of attendees: the overview's links to each event's figures.
// param: id string  one event (null: all)
// param: limit integer  events to return
// mode: read
// example: {"id": null, "limit": 10}
MATCH (e:Event)
WHERE $id IS NULL OR e.id = $id
OPTIONAL MATCH (e)<-[a:ATTENDS]-()
WITH e, count(a) AS attendees
RETURN e.id AS id, e.name AS name, toString(e.start) AS start, toString(e.end) AS end, attendees
ORDER BY start DESC, id
LIMIT $limit
