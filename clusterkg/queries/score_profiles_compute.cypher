// name: score_profiles_compute
// description: Compute up to $batch stale score profiles from one of their members: the competences offered and sought (ids), those covered (offered, or broader up to 3 BROADER steps: what need counts), the value-chain stages of the offers, and the vector; PROFILE_COVERS and PROFILE_SEEKS link it to those competences (how a search finds the profiles that share one with it). Slots 0..slots-1 hold what it covers, slots..2*slots-1 what it seeks; the last slot tops the squared norm up to $norm (the largest in the graph, with headroom), so that cosine similarity ranks by the inner product with a query vector (maximum inner product as nearest neighbour; a far larger norm would point every vector the same way). Returns the profiles done and their ones (above $norm: the norm must grow).
// param: slots integer  slots in a vector half
// param: norm float  the squared norm every vector is topped up to
// param: batch integer  profiles a call
// mode: write
// example: {"slots": 0, "norm": 8.0, "batch": 0}
// example-rows: none
MATCH (p:ScoreProfile {stale: true})
WITH p LIMIT $batch
MATCH (p)<-[:HAS_PROFILE]-(member:Organisation)
WITH p, min(member.id) AS member_id
MATCH (n:Organisation {id: member_id})
WITH p, n, [(n)-[:OFFERS]->(:Competence)-[:BROADER*0..3]->(covered:Competence) | covered] AS covered,
     [(n)-[:SEEKS]->(sought:Competence) | sought] AS sought, [(n)-[:OFFERS]->(offered:Competence) | offered] AS offered,
     [(n)-[:OFFERS]->(:Competence)-[stage:IN_STAGE]->(chain:ValueChain) | [chain.id, stage.stage_index]] AS stages
FOREACH (c IN covered | MERGE (p)-[:PROFILE_COVERS]->(c))
FOREACH (c IN sought | MERGE (p)-[:PROFILE_SEEKS]->(c))
WITH p, offered, sought, stages, reduce(ids = [], c IN covered | CASE WHEN c.id IN ids THEN ids ELSE ids + [c.id] END) AS covers,
     [c IN covered | c.vector_slot] AS cover_slots, [s IN sought | s.vector_slot] AS seek_slots
WITH p, offered, sought, stages, covers, [i IN range(0, 2 * $slots - 1) |
       CASE WHEN (i < $slots AND i IN cover_slots) OR (i >= $slots AND (i - $slots) IN seek_slots) THEN 1.0 ELSE 0.0 END] AS ones
WITH p, offered, sought, stages, covers, ones, reduce(total = 0.0, x IN ones | total + x) AS ones_count
SET p.offers = [o IN offered | o.id], p.seeks = [s IN sought | s.id], p.covers = covers,
    p.stage_chains = [x IN stages | x[0]], p.stage_indexes = [x IN stages | x[1]],
    p.vector = vecf32(ones + [sqrt(CASE WHEN $norm > ones_count THEN $norm - ones_count ELSE 0.0 END)]), p.stale = null
RETURN p.id AS id, ones_count AS ones
