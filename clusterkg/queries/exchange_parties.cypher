// name: exchange_parties
// description: An exchange's status and its sending and host clusters (whose editors may close it).
// param: id string  the exchange's id
// mode: read
// example: {"id": "syn-x000000"}
MATCH (x:Exchange {id: $id})
OPTIONAL MATCH (x)-[:SENT_BY]->(s:Cluster)
OPTIONAL MATCH (x)-[:HOSTED_BY]->(h:Cluster)
RETURN x.id AS id, x.status AS status, s.id AS sending_cluster_id, h.id AS host_cluster_id, x.report AS report
