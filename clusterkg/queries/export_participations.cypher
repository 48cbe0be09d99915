// name: export_participations
// description: Every participation in an EU project (CORDIS) as `clusterkg export` writes it back, in CORDIS's organization.csv columns, plus the node's clusterkg id (clusterkgId), so that a load of the export links the same organisations and clusters.
// mode: read
MATCH (n)-[r:PARTICIPATED_IN]->(p:Project)
WHERE n:Organisation OR n:Cluster
RETURN p.id AS projectID, p.acronym AS projectAcronym, n.pic AS organisationID, n.vat AS vatNumber, n.name AS name,
       n.short_name AS shortName, n.sme AS SME, n.activity_type AS activityType, n.postcode AS postCode, n.city AS city,
       n.country AS country, CASE WHEN n.nuts_source = 'nuts' THEN n.nuts ELSE null END AS nutsCode,
       n.website AS organizationURL, r.order AS order, r.role AS role, r.ec_contribution AS ecContribution,
       r.net_ec_contribution AS netEcContribution, r.total_cost AS totalCost, r.ended AS endOfParticipation,
       n.id AS clusterkgId, n.synthetic AS synthetic
ORDER BY projectID, order, organisationID
