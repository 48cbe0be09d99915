// name: event_progress
// description: An event's meetings as a process, by attendee kind (the organisation's kind, or cluster): attendees, meeting requests made and accepted, meetings scheduled, held (the event's last day has passed) and rated, the sum of ratings and the follow-ups planned. One row per kind and measure.
// param: event_id string  the event
// param: today string  today's date (ISO): meetings of an event that has ended were held
// mode: read
// example: {"event_id": "syn-e0000", "today": "2026-01-01"}
MATCH (e:Event {id: $event_id})<-[:ATTENDS]-(p)
RETURN CASE WHEN 'Cluster' IN labels(p) THEN 'cluster' ELSE coalesce(p.kind, 'other') END AS kind, 'attendees' AS measure,
       count(p) AS n
UNION ALL
MATCH (r:MeetingRequest {event_id: $event_id})-[:REQUESTED {role: 'from'}]->(p)
RETURN CASE WHEN 'Cluster' IN labels(p) THEN 'cluster' ELSE coalesce(p.kind, 'other') END AS kind, 'requested' AS measure,
       count(r) AS n
UNION ALL
MATCH (r:MeetingRequest {event_id: $event_id})-[:REQUESTED {role: 'from'}]->(p)
WHERE r.status = 'ACCEPTED'
RETURN CASE WHEN 'Cluster' IN labels(p) THEN 'cluster' ELSE coalesce(p.kind, 'other') END AS kind, 'accepted' AS measure,
       count(r) AS n
UNION ALL
MATCH (m:Meeting {event_id: $event_id})-[:BETWEEN]->(p)
RETURN CASE WHEN 'Cluster' IN labels(p) THEN 'cluster' ELSE coalesce(p.kind, 'other') END AS kind, 'scheduled' AS measure,
       count(DISTINCT m) AS n
UNION ALL
MATCH (e:Event {id: $event_id})<-[:AT]-(m:Meeting)-[:BETWEEN]->(p)
WHERE e.end < date($today)
RETURN CASE WHEN 'Cluster' IN labels(p) THEN 'cluster' ELSE coalesce(p.kind, 'other') END AS kind, 'held' AS measure,
       count(DISTINCT m) AS n
UNION ALL
MATCH (m:Meeting {event_id: $event_id})<-[r:RATED]-(p)
RETURN CASE WHEN 'Cluster' IN labels(p) THEN 'cluster' ELSE coalesce(p.kind, 'other') END AS kind, 'rated' AS measure,
       count(r) AS n
UNION ALL
MATCH (m:Meeting {event_id: $event_id})<-[r:RATED]-(p)
RETURN CASE WHEN 'Cluster' IN labels(p) THEN 'cluster' ELSE coalesce(p.kind, 'other') END AS kind, 'rating_sum' AS measure,
       sum(r.rating) AS n
UNION ALL
MATCH (m:Meeting {event_id: $event_id})<-[r:RATED]-(p)
WHERE r.follow_up
RETURN CASE WHEN 'Cluster' IN labels(p) THEN 'cluster' ELSE coalesce(p.kind, 'other') END AS kind, 'follow_ups' AS measure,
       count(r) AS n
