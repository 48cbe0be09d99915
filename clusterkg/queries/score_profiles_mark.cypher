// name: score_profiles_mark
// description: Mark these organisations' score profiles stale (their offers or seeks are about to change); a refresh assigns them again. Written before the change, so a crash in between leaves them stale, never wrong.
// param: ids list  organisation ids
// mode: write
// example: {"ids": []}
// example-rows: none
UNWIND $ids AS id
MERGE (m:StaleProfile {id: id})
