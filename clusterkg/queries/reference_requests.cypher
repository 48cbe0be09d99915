// name: reference_requests
// description: The open requests (REQUEST, RD_REQUEST postings published, deadline not passed) of the entities of one label, with what each asks for and whom it is open to: the in-memory reference score's postings term (clusterkg.scoring.reference).
// label: label Cluster|Organisation
// param: today string  today's date (ISO)
// mode: read
// example: {"today": "2026-01-01"}
MATCH (p:Posting)-[:POSTED_BY]->(b:__label__)
WHERE p.status = 'PUBLISHED' AND p.deadline >= $today
MATCH (p)-[:SEEKS]->(c:Competence)
RETURN b.id AS owner, p.id AS posting, collect(c.id) AS competences, coalesce(p.target_categories, []) AS categories,
       coalesce(p.target_countries, []) AS countries
ORDER BY posting
