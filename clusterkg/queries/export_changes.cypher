// name: export_changes
// description: Every change of a cluster's profile with what the changes file format holds (its history), for `clusterkg export`.
// mode: read
// example-rows: none
MATCH (ch:Change)-[:CHANGES]->(c:Cluster)
RETURN ch.id AS id, c.id AS cluster_id, ch.kind AS kind, ch.fields AS fields, ch.by AS by, ch.by_email AS by_email,
       ch.at AS at, ch.status AS status, ch.base_revision AS base_revision, ch.revision AS revision,
       ch.reviewed_by AS reviewed_by, ch.reviewed_at AS reviewed_at, ch.comment AS comment, ch.reverts AS reverts,
       ch.reverted_by AS reverted_by
ORDER BY id
