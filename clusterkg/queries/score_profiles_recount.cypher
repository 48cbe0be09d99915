// name: score_profiles_recount
// description: Count the members of up to $batch score profiles marked for a recount; delete those left without members. Returns the profiles done.
// param: batch integer  profiles a call
// mode: write
// example: {"batch": 0}
// example-rows: none
MATCH (p:ScoreProfile {recount: true})
WITH p LIMIT $batch
OPTIONAL MATCH (p)<-[link:HAS_PROFILE]-(:Organisation)
WITH p, p.id AS id, count(link) AS members
SET p.members = members, p.recount = null
WITH p, id, members
FOREACH (empty IN CASE WHEN members = 0 THEN [p] ELSE [] END | DETACH DELETE empty)
RETURN id
