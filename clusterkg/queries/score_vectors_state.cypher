// name: score_vectors_state
// description: The layout of the score profiles' vectors (slots, squared norm, signature; null before the first refresh), how many organisations and profiles the last refresh found, and whether some profile is not current (an organisation marked stale, a profile without its vector or member count): then partner search waits for a refresh and the exact query answers.
// mode: read
// note: the counts are the refresh's: counting 494,444 organisations under OPTIONAL MATCH took 25 ms a search at scale m
// example: {}
OPTIONAL MATCH (s:SchemaInfo {id: 'score_vectors'})
OPTIONAL MATCH (m:StaleProfile)
WITH s, m LIMIT 1
OPTIONAL MATCH (p:ScoreProfile {stale: true})
WITH s, m, p LIMIT 1
OPTIONAL MATCH (q:ScoreProfile {recount: true})
WITH s, m, p, q LIMIT 1
RETURN s.slots AS slots, s.norm AS norm, s.signature AS signature, coalesce(s.organisations, 0) AS organisations,
       coalesce(s.profiles, 0) AS profiles, m IS NOT NULL OR p IS NOT NULL OR q IS NOT NULL AS stale
