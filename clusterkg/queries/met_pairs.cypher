// name: met_pairs
// description: Pairs among these organisations and clusters that have met (a Meeting between them, at any event), with how often.
// param: ids list  organisation and cluster ids
// param: event_id string  the event being planned: its own meetings do not count (null: every meeting counts)
// mode: read
// example: {"ids": ["syn-c000000", "syn-c000001"], "event_id": null}
// example-rows: none
MATCH (x)<-[:BETWEEN]-(m:Meeting)-[:BETWEEN]->(y)
WHERE x.id IN $ids AND y.id IN $ids AND x.id < y.id AND NOT (m)-[:AT]->(:Event {id: $event_id})
RETURN x.id AS a, y.id AS b, count(DISTINCT m) AS meetings
ORDER BY a, b
