// name: score_profiles_assign
// description: Give up to $batch organisations marked stale their score profile: the one whose id spells the slots of what they offer and seek (a new one is created, stale until its vector is computed). Their old and new profiles are marked for a recount of their members; an organisation that offers and seeks nothing gets none (it can only be a partner through a posting). Returns the organisations done.
// param: slots integer  slots in a vector half
// param: batch integer  organisations a call
// mode: write
// example: {"slots": 0, "batch": 0}
// example-rows: none
MATCH (m:StaleProfile)
WITH m, m.id AS id LIMIT $batch
DELETE m
WITH id
OPTIONAL MATCH (n:Organisation {id: id})
OPTIONAL MATCH (n)-[old:HAS_PROFILE]->(previous:ScoreProfile)
SET previous.recount = true
DELETE old
WITH DISTINCT id, n
WITH id, n, [(n)-[:OFFERS]->(o:Competence) | o.vector_slot] AS offer_slots, [(n)-[:SEEKS]->(s:Competence) | s.vector_slot] AS seek_slots
WITH id, n, offer_slots, seek_slots,
     reduce(key = 'o', i IN range(0, $slots - 1) | CASE WHEN i IN offer_slots THEN key + ',' + toString(i) ELSE key END)
       + reduce(key = '|s', i IN range(0, $slots - 1) | CASE WHEN i IN seek_slots THEN key + ',' + toString(i) ELSE key END) AS profile_id
FOREACH (x IN CASE WHEN n IS NOT NULL AND size(offer_slots) + size(seek_slots) > 0 THEN [n] ELSE [] END |
  MERGE (p:ScoreProfile {id: profile_id})
  ON CREATE SET p.stale = true
  SET p.recount = true
  MERGE (x)-[:HAS_PROFILE]->(p))
RETURN id
