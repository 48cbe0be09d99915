// name: export_clusters
// description: Every cluster with what the clusters file format holds (its offers and seeks as taxonomy ids, custom competences by name), for `clusterkg export`.
// mode: read
// (each pattern comprehension names its own variables: FalkorDB 4.16 returns [] for a second one reusing a name)
MATCH (c:Cluster)
OPTIONAL MATCH (c)-[reg:REGISTERED_ON]->(:Platform)
RETURN c.id AS id, c.name AS name, c.acronym AS acronym, c.country AS country, c.nuts AS nuts, c.nuts_source AS nuts_source, c.postcode AS postcode, c.city AS city, c.website AS website,
       c.founded AS founded, c.members_total AS members_total, c.sme_members AS sme_members, c.large_members AS large_members,
       c.research_members AS research_members, c.excellence_label AS excellence_label, c.ecosystems AS ecosystems,
       [(c)-[:OFFERS]->(k:Competence) | CASE WHEN k.kind = 'custom' THEN k.name ELSE k.id END] AS offers,
       [(c)-[:SEEKS]->(j:Competence) | CASE WHEN j.kind = 'custom' THEN j.name ELSE j.id END] AS seeks,
       reg.profile_id AS eccp_profile_id, reg.since AS eccp_registered_since, c.description AS description,
       c.management_fte AS management_fte, c.cluster_programme AS cluster_programme, c.contact_name AS contact_name,
       c.contact_email AS contact_email, c.revision AS revision, c.edited_fields AS edited_fields,
       c.synthetic AS synthetic, c.source AS source
ORDER BY id
