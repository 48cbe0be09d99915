// name: export_projects
// description: Every EU project (CORDIS) as `clusterkg export` writes it back, in CORDIS's project.csv columns.
// mode: read
MATCH (p:Project)
RETURN p.id AS id, p.acronym AS acronym, p.status AS status, p.title AS title, toString(p.start) AS startDate,
       toString(p.end) AS endDate, p.total_cost AS totalCost, p.ec_contribution AS ecMaxContribution,
       p.legal_basis AS legalBasis, p.topics AS topics, p.programme AS frameworkProgramme, p.call AS masterCall,
       p.funding_scheme AS fundingScheme, p.scivoc AS scivoc, p.synthetic AS synthetic
ORDER BY id
