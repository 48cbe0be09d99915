// name: cluster_editable
// description: What an edit of a cluster can change, as it is now: its properties and revision, its offers, seeks, ecosystems and members (with their kinds, for the triple-helix rule).
// param: id string  the cluster's id
// mode: read
// example: {"id": "syn-c000000"}
MATCH (c:Cluster {id: $id})
RETURN properties(c) AS properties, coalesce(c.revision, 0) AS revision,
       [(c)-[:OFFERS]->(k:Competence) | k.id] AS offers,
       [(c)-[:SEEKS]->(k:Competence) | k.id] AS seeks,
       [(c)-[:ACTIVE_IN]->(e:Ecosystem) | e.id] AS ecosystems,
       [(o:Organisation)-[:MEMBER_OF]->(c) | o.id] AS members,
       [(o:Organisation)-[:MEMBER_OF]->(c) | o.kind] AS member_kinds
