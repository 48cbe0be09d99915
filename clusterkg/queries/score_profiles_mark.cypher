// name: score_profiles_mark
// description: Mark these organisations' score profiles stale (their offers or seeks are about to change, or they are about to go); a refresh assigns them again. Their present profiles are marked for a recount too, so that one whose member goes without an assignment (deleted) still has its count and first members listed again. Written before the change, so a crash in between leaves them stale, never wrong.
// param: ids list  organisation ids
// mode: write
// example: {"ids": []}
// example-rows: none
UNWIND $ids AS id
MERGE (m:StaleProfile {id: id})
WITH id
OPTIONAL MATCH (:Organisation {id: id})-[:HAS_PROFILE]->(present:ScoreProfile)
FOREACH (profile IN CASE WHEN present IS NULL THEN [] ELSE [present] END | SET profile.recount = true)
