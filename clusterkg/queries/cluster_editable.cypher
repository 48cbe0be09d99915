// name: cluster_editable
// description: What an edit of a cluster can change, as it is now: its properties and revision, its offers, seeks, ecosystems and members (with their kinds, for the triple-helix rule).
// param: id string  the cluster's id
// FalkorDB 4.16 answers [] for a second pattern comprehension that reuses the first one's variable name: one name each.
// mode: read
// example: {"id": "syn-c000000"}
MATCH (c:Cluster {id: $id})
RETURN properties(c) AS properties, coalesce(c.revision, 0) AS revision,
       [(c)-[:OFFERS]->(offered:Competence) | offered.id] AS offers,
       [(c)-[:SEEKS]->(sought:Competence) | sought.id] AS seeks,
       [(c)-[:ACTIVE_IN]->(ecosystem:Ecosystem) | ecosystem.id] AS ecosystems,
       [(member:Organisation)-[:MEMBER_OF]->(c) | member.id] AS members,
       [(kinded:Organisation)-[:MEMBER_OF]->(c) | kinded.kind] AS member_kinds
