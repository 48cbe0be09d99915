// name: export_members
// description: One row per membership (organisation, cluster) in the members file format, for `clusterkg export`: one page of organisations (in id order, after $after) at a time, so that five million members stream through a bounded memory.
// param: after string  the last organisation id of the previous page ('' for the first)
// param: limit integer  organisations a page
// mode: read
// example: {"after": "", "limit": 100}
MATCH (o:Organisation)
WHERE o.id > $after
WITH o ORDER BY o.id LIMIT $limit
MATCH (o)-[:MEMBER_OF]->(c:Cluster)
RETURN o.id AS organisation_id, o.name AS name, o.kind AS kind, c.id AS cluster_id, o.nuts AS nuts, o.nuts_source AS nuts_source,
       o.postcode AS postcode, CASE WHEN o.postcode IS NULL THEN null ELSE o.country END AS country,
       [(o)-[:OFFERS]->(k:Competence) | CASE WHEN k.kind = 'custom' THEN k.name ELSE k.id END] AS offers,
       [(o)-[:SEEKS]->(j:Competence) | CASE WHEN j.kind = 'custom' THEN j.name ELSE j.id END] AS seeks,
       o.synthetic AS synthetic, o.source AS source
ORDER BY organisation_id, cluster_id
