// name: exchanges_of
// description: Exchanges clusters sent or hosted.
// param: ids list  cluster ids
// mode: read
// example: {"ids": ["syn-c000000", "syn-c000004"]}
MATCH (x:Exchange)-[r:SENT_BY|HOSTED_BY]->(c:Cluster)
WHERE c.id IN $ids
RETURN c.id AS id, type(r) AS relation, x.id AS exchange_id
ORDER BY id, relation, exchange_id
