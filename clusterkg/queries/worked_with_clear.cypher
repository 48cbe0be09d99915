// name: worked_with_clear
// description: Remove the co-participation ties (WORKED_WITH) of these organisations or clusters, before they are counted again; ties between two clusters are left to cluster_ties_write.
// label: label Organisation|Cluster
// param: ids list  ids of the nodes whose participations changed
// mode: write
// example: {"ids": ["no-such-node"]}
UNWIND $ids AS anchor
MATCH (a:__label__ {id: anchor})-[w:WORKED_WITH]-(b)
WHERE NOT (a:Cluster AND b:Cluster)
DELETE w
