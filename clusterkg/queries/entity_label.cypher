// name: entity_label
// description: Whether an id names a cluster or an organisation (clusters first), in one round trip: partner search needs the seeker's label before its query.
// param: id string  the id to look up
// mode: read
// example: {"id": "syn-c000000"}
MATCH (c:Cluster {id: $id})
RETURN 'Cluster' AS label
UNION ALL
MATCH (o:Organisation {id: $id})
RETURN 'Organisation' AS label
