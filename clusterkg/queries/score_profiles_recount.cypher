// name: score_profiles_recount
// description: Count the members of up to $batch score profiles marked for a recount (or kept from before profiles listed their first members), and keep the ids of their first $first members in id order: partner_profiles opens a big profile by these instead of sorting all its members. first_until is the last id kept when the list is cut short (null: it holds every member). Deletes the profiles left without members. Returns the profiles done.
// param: batch integer  profiles a call
// param: first integer  member ids kept per profile
// mode: write
// note: ORDER BY … LIMIT inside CALL: one profile's members at a time, not a batch's
// example: {"batch": 0, "first": 512}
// example-rows: none
MATCH (p:ScoreProfile)
WHERE p.recount = true OR p.first_members IS NULL
WITH p LIMIT $batch
OPTIONAL MATCH (p)<-[link:HAS_PROFILE]-(:Organisation)
WITH p, count(link) AS members
CALL {
  WITH p
  OPTIONAL MATCH (p)<-[:HAS_PROFILE]-(o:Organisation)
  WITH o.id AS member_id
  ORDER BY member_id ASC
  LIMIT $first
  RETURN collect(member_id) AS first
}
WITH p, p.id AS id, members, first,
     reduce(last = null, x IN first | CASE WHEN last IS NULL OR x > last THEN x ELSE last END) AS last
SET p.members = members, p.recount = null, p.first_members = first,
    p.first_until = CASE WHEN members > size(first) THEN last ELSE null END
WITH p, id, members
FOREACH (empty IN CASE WHEN members = 0 THEN [p] ELSE [] END | DETACH DELETE empty)
RETURN id
