// name: value_chains_of
// description: The value chains a cluster offers or seeks competences in.
// param: id string  the cluster's id
// mode: read
// example: {"id": "syn-c000000"}
MATCH (c:Cluster {id: $id})-[:OFFERS|SEEKS]->(:Competence)-[:IN_STAGE]->(v:ValueChain)
RETURN DISTINCT v.id AS id
ORDER BY id
