// name: meeting_parties
// description: A meeting's event (with its dates), its two parties, and who of them rated it already.
// param: id string  the meeting's id
// mode: read
// example: {"id": "syn-m000000"}
// example-rows: none
MATCH (m:Meeting {id: $id})-[:BETWEEN]->(p)
OPTIONAL MATCH (m)-[:AT]->(e:Event)
OPTIONAL MATCH (p)-[r:RATED]->(m)
RETURN m.id AS id, m.event_id AS event_id, toString(e.start) AS start, toString(e.end) AS end, p.id AS party,
       r.rating AS rating
ORDER BY party
