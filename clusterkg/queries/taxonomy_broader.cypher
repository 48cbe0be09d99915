// name: taxonomy_broader
// description: Every BROADER step of the competence hierarchy (narrower d -> broader c).
// mode: read
MATCH (d:Competence)-[:BROADER]->(c:Competence)
RETURN d.id AS d, c.id AS c
