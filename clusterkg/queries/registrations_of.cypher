// name: registrations_of
// description: ECCP registrations of clusters (profile id and date).
// param: ids list  cluster ids
// mode: read
// example: {"ids": ["syn-c000001"]}
MATCH (c:Cluster)-[r:REGISTERED_ON]->(:Platform {id: 'eccp'})
WHERE c.id IN $ids
RETURN c.id AS id, r.profile_id AS profile_id, r.since AS since
