// name: organisation_node_top
// description: The highest internal node id of an organisation (FalkorDB): a pass over every organisation pages by node id up to it (clusterkg.queries.ranges).
// mode: read
// engines: falkordb
// example: {}
MATCH (o:Organisation)
RETURN max(id(o)) AS top
