// name: meeting_rate
// description: A party rates a meeting it had (RATED: 1-5 and whether a follow-up is planned), once; renews the graph's revision. Returns nothing when the party was not in the meeting or rated it already.
// param: meeting_id string  the meeting
// param: party_id string  the rating party (one of the two)
// param: rating int  1 to 5
// param: follow_up boolean  a follow-up is planned
// param: by string  the account rating
// param: at string  when (ISO time)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"meeting_id": "no-such-meeting", "party_id": "no-such-party", "rating": 5, "follow_up": false, "by": "example", "at": "2026-01-01T00:00:00+00:00", "graph_revision": "example"}
MATCH (m:Meeting {id: $meeting_id})-[:BETWEEN]->(p {id: $party_id})
SET m._lock = true
REMOVE m._lock
WITH m, p
OPTIONAL MATCH (p)-[old:RATED]->(m)
WITH m, p, count(old) AS rated
WHERE rated = 0
CREATE (p)-[r:RATED {rating: $rating, follow_up: $follow_up, at: $at, by: $by}]->(m)
WITH r
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN r.rating AS rating
