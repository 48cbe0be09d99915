// name: score_vector_slots
// description: Every competence with its slot in the score vectors (null before it has one) and the BROADER steps from it: what the vectors are laid out by (clusterkg.queries.vectors).
// mode: read
// example: {}
MATCH (c:Competence)
RETURN c.id AS id, c.vector_slot AS slot, [(c)-[:BROADER]->(broader:Competence) | broader.id] AS broader
ORDER BY id
