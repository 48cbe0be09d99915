// name: exchange_links
// description: Participant, sending and host cluster, and partnership of exchanges.
// param: ids list  exchange ids
// mode: read
// example: {"ids": ["syn-x000000"]}
MATCH (x:Exchange)
WHERE x.id IN $ids
OPTIONAL MATCH (x)-[:PARTICIPANT]->(o:Organisation)
OPTIONAL MATCH (x)-[:SENT_BY]->(s:Cluster)
OPTIONAL MATCH (x)-[:HOSTED_BY]->(h:Cluster)
OPTIONAL MATCH (x)-[:UNDER]->(p:Partnership)
RETURN x.id AS id, o.id AS participant_id, s.id AS sender_id, h.id AS host_id, p.id AS partnership_id
