// name: clusters_of_participants
// description: The clusters whose co-participation ties change with these participants: the clusters they are members of, and those among them that are clusters themselves.
// param: ids list  ids of organisations or clusters that took part in projects
// mode: read
// example: {"ids": ["syn-c000000"]}
UNWIND $ids AS participant
MATCH (k:Cluster)
WHERE k.id = participant
RETURN k.id AS id
UNION
UNWIND $ids AS participant
MATCH (:Organisation {id: participant})-[:MEMBER_OF]->(k:Cluster)
RETURN k.id AS id
