// name: call_community
// description: The clusters of a call's community: partners (coordinators included) of the partnerships the call funded. An exchange whose sending cluster is not among them is "from outside the community" (README: "Running the programme").
// param: call_id string  the call
// mode: read
// example: {"call_id": "COS-CLUSTER-2020-3-03"}
MATCH (c:Cluster)-[:PARTNER_IN]->(:Partnership)-[:FUNDED_BY]->(:Call {id: $call_id})
RETURN DISTINCT c.id AS id
ORDER BY id
