// name: party_clusters
// description: The clusters that speak for a party of the programme: a cluster itself, or the clusters an organisation is a member of (their editors act for it).
// param: id string  a cluster or organisation id
// mode: read
// example: {"id": "syn-c000000"}
MATCH (c:Cluster {id: $id})
RETURN [c.id] AS clusters, 'cluster' AS kind
UNION ALL
MATCH (o:Organisation {id: $id})
OPTIONAL MATCH (o)-[:MEMBER_OF]->(k:Cluster)
RETURN collect(k.id) AS clusters, o.kind AS kind
