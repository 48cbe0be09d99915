// name: context_clusters
// description: Every cluster with its place and ecosystems (what members, partnerships and exchanges refer to).
// mode: read
MATCH (c:Cluster)
RETURN c.id AS id, c.nuts AS nuts, c.country AS country, c.category AS category, c.ecosystems AS ecosystems
