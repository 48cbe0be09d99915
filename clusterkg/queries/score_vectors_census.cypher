// name: score_vectors_census
// description: How many organisations and score profiles the graph holds (what a refresh records for partner search).
// mode: read
// example: {}
MATCH (o:Organisation)
WITH count(o) AS organisations
MATCH (p:ScoreProfile)
RETURN organisations, count(p) AS profiles
