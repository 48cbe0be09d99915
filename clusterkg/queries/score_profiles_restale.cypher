// name: score_profiles_restale
// description: Mark every score profile stale (the norm grew: every vector is computed again; the profiles are few). Returns nothing.
// param: norm float  the new squared norm (recorded by score_vector_slots_write)
// mode: write
// example: {"norm": -1.0}
// example-rows: none
MATCH (p:ScoreProfile)
WHERE $norm > 0
SET p.stale = true
