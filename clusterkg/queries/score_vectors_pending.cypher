// name: score_vectors_pending
// description: How much a refresh has to do: organisations marked stale, profiles without their vector (a refresh's progress bars).
// mode: read
// example: {}
OPTIONAL MATCH (m:StaleProfile)
WITH count(m) AS organisations
OPTIONAL MATCH (p:ScoreProfile {stale: true})
RETURN organisations, count(p) AS profiles
