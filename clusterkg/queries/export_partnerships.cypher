// name: export_partnerships
// description: Every partnership with its call, coordinator and partners, in the partnerships file format, for `clusterkg export`.
// mode: read
MATCH (p:Partnership)
OPTIONAL MATCH (p)-[:FUNDED_BY]->(call:Call)
RETURN p.id AS id, p.name AS name, p.acronym AS acronym, p.kind AS kind, call.id AS call, p.start AS start, p.end AS end,
       p.eu_grant_eur AS eu_grant_eur,
       [(c:Cluster)-[r:PARTNER_IN]->(p) WHERE r.role = 'coordinator' | c.id] AS coordinators,
       [(m:Cluster)-[pr:PARTNER_IN]->(p) WHERE pr.role <> 'coordinator' OR pr.role IS NULL | m.id] AS partners,
       p.synthetic AS synthetic, p.source AS source
ORDER BY id
