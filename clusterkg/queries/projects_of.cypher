// name: projects_of
// description: EU projects (CORDIS) of clusters or organisations: a cluster's own participations and its members', with who took part, role and EU contribution; newest first.
// label: label Organisation|Cluster
// param: ids list  ids of clusters or organisations
// mode: read
// example: {"ids": ["cordis-999000001", "syn-c000000"]}
MATCH (n:__label__)<-[:MEMBER_OF*0..1]-(who)-[r:PARTICIPATED_IN]->(p:Project)
WHERE n.id IN $ids
RETURN n.id AS id, p.id AS project_id, p.acronym AS acronym, p.title AS title, p.programme AS programme,
       p.start AS start, p.end AS end, who.id AS participant_id, who.name AS participant, r.role AS role,
       r.ec_contribution AS ec_contribution
ORDER BY id, start DESC, project_id, participant_id
