// name: export_attendance
// description: Every attendance (ATTENDS of organisations and clusters) in the attendance file format, for `clusterkg export`.
// mode: read
MATCH (p)-[a:ATTENDS]->(e:Event)
RETURN e.id AS event_id, p.id AS participant_id, a.role AS role, a.offers AS offers, a.seeks AS seeks, a.slots AS available_slots
ORDER BY event_id, participant_id
