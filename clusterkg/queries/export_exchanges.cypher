// name: export_exchanges
// description: Every exchange with its participant, sending and host clusters and partnership, in the exchanges file format, for `clusterkg export`.
// mode: read
MATCH (x:Exchange)-[:PARTICIPANT]->(o:Organisation)
MATCH (x)-[:SENT_BY]->(s:Cluster)
MATCH (x)-[:HOSTED_BY]->(h:Cluster)
OPTIONAL MATCH (x)-[:UNDER]->(p:Partnership)
RETURN x.id AS id, o.id AS participant_id, o.name AS participant_name, o.kind AS participant_kind,
       s.id AS sending_cluster_id, h.id AS host_cluster_id, p.id AS partnership_id, x.start AS start, x.end AS end,
       x.topic AS topic, x.status AS status, x.synthetic AS synthetic, x.source AS source
ORDER BY id
