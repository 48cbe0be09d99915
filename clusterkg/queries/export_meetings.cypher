// name: export_meetings
// description: Every meeting with its two parties in the meetings file format, for `clusterkg export`.
// mode: read
MATCH (m:Meeting)-[:BETWEEN]->(p)
WITH m, p.id AS party ORDER BY party
WITH m, collect(party) AS parties
RETURN m.id AS id, m.event_id AS event_id, parties[0] AS participant_a, parties[1] AS participant_b, m.slot AS slot, m.time AS time,
       m.table AS table, m.score AS score, m.reasons AS reasons, m.synthetic AS synthetic, m.source AS source
ORDER BY id
