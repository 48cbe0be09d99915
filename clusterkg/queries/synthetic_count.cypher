// name: synthetic_count
// description: How many of the given clusters or organisations are SYNTHETIC (results built on them must say so).
// label: label Cluster|Organisation
// param: ids list  ids
// mode: read
// example: {"ids": ["syn-c000000", "syn-c000001"]}
UNWIND $ids AS id
MATCH (n:__label__ {id: id})
WHERE n.synthetic = true
RETURN count(n) AS n
