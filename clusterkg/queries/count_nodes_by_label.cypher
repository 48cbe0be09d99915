// name: count_nodes_by_label
// description: Number of nodes per label, largest first.
// mode: read
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY count DESC, label
