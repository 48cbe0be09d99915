// name: score_profiles_clear
// description: Delete up to $batch score profiles with their HAS_PROFILE links (the layout changed: every organisation is assigned again). Returns the ids deleted.
// param: batch integer  profiles a call
// mode: write
// example: {"batch": 0}
// example-rows: none
MATCH (p:ScoreProfile)
WITH p, p.id AS id LIMIT $batch
DETACH DELETE p
RETURN id
