// name: entity_label
// description: Whether an id names a cluster, an organisation or a posting (clusters first), in one round trip: partner search needs the seeker's label before its query.
// param: id string  the id to look up
// mode: read
// example: {"id": "syn-c000000"}
MATCH (c:Cluster {id: $id})
RETURN 'Cluster' AS label
UNION ALL
MATCH (o:Organisation {id: $id})
RETURN 'Organisation' AS label
UNION ALL
MATCH (p:Posting {id: $id})
RETURN 'Posting' AS label
