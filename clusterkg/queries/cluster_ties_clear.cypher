// name: cluster_ties_clear
// description: Remove the WORKED_WITH ties between these clusters and other clusters, before they are counted again.
// param: ids list  cluster ids
// mode: write
// example: {"ids": ["no-such-cluster"]}
UNWIND $ids AS cluster_id
MATCH (k:Cluster {id: cluster_id})-[w:WORKED_WITH]-(:Cluster)
DELETE w
