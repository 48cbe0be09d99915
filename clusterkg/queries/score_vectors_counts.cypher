// name: score_vectors_counts
// description: Record how many organisations and score profiles the graph holds after a refresh (partner search reads them instead of counting). Returns nothing.
// param: organisations integer  organisations in the graph
// param: profiles integer  score profiles in the graph
// mode: write
// example: {"organisations": -1, "profiles": -1}
// example-rows: none
MATCH (s:SchemaInfo {id: 'score_vectors'})
WHERE $organisations >= 0
SET s.organisations = $organisations, s.profiles = $profiles
