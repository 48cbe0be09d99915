// name: count_nodes
// description: The number of nodes in the graph.
// mode: read
MATCH (n)
RETURN count(n) AS count
