// name: context_clusters
// description: Every cluster with its place and ecosystems (what members, partnerships and exchanges refer to), and the fields edited on clusterkg (which a load keeps).
// mode: read
MATCH (c:Cluster)
RETURN c.id AS id, c.nuts AS nuts, c.country AS country, c.category AS category, c.ecosystems AS ecosystems,
       c.edited_fields AS edited_fields
