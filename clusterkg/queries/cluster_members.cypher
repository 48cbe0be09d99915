// name: cluster_members
// description: A page of the member organisations of clusters (ordered by id), with each cluster's total.
// param: ids list  cluster ids
// param: skip integer  members to skip
// param: limit integer  members per page
// mode: read
// example: {"ids": ["syn-c000001"], "skip": 0, "limit": 5}
MATCH (c:Cluster)<-[:MEMBER_OF]-(o:Organisation)
WHERE c.id IN $ids
WITH c, o ORDER BY o.id
WITH c, collect(o.id) AS members
RETURN c.id AS id, size(members) AS total, members[$skip..$skip + $limit] AS page
