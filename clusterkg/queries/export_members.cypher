// name: export_members
// description: One row per membership (organisation, cluster) of the listed organisations, in the members file format, for `clusterkg export` (a page of ids from export_member_page at a time).
// param: ids list  organisation ids
// mode: read
// example: {"ids": ["syn-o00000000"]}
MATCH (o:Organisation)
WHERE o.id IN $ids
MATCH (o)-[:MEMBER_OF]->(c:Cluster)
RETURN o.id AS organisation_id, o.name AS name, o.kind AS kind, c.id AS cluster_id, o.nuts AS nuts, o.nuts_source AS nuts_source,
       o.postcode AS postcode, CASE WHEN o.postcode IS NULL THEN null ELSE o.country END AS country,
       [(o)-[:OFFERS]->(k:Competence) | CASE WHEN k.kind = 'custom' THEN k.name ELSE k.id END] AS offers,
       [(o)-[:SEEKS]->(j:Competence) | CASE WHEN j.kind = 'custom' THEN j.name ELSE j.id END] AS seeks,
       o.synthetic AS synthetic, o.source AS source
ORDER BY organisation_id, cluster_id
