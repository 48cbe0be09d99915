// name: score_profiles_nearest
// description: The $k score profiles (clusterkg.queries.vectors) whose vectors have the largest inner product with the seeker's query vector (w_need on what it seeks, w_reciprocity on what it covers: the need and reciprocity part of the score), from the engine's vector index: approximate. partner_profiles then scores them.
// label: seeker Cluster|Organisation|Posting
// param: seeker_id string  id of the seeking cluster, organisation or posting
// param: slots integer  slots in a vector half (SchemaInfo 'score_vectors')
// param: k integer  profiles to return
// param: w_need float  weight of a sought competence covered
// param: w_reciprocity float  weight of a competence the candidate seeks that the seeker offers
// mode: read
// note: the query vector carries 1e-6 in the last slot: a seeker with no competences would otherwise ask for the neighbours of a zero vector (cosine undefined)
// example: {"seeker_id": "syn-c000000", "slots": 160, "k": 10, "w_need": 1.0, "w_reciprocity": 0.6}
MATCH (a:__seeker__ {id: $seeker_id})
WITH [(a)-[:SEEKS]->(sought:Competence) | sought.vector_slot] AS sought_slots,
     [(a)-[:OFFERS]->(:Competence)-[:BROADER*0..3]->(covered:Competence) | covered.vector_slot] AS covered_slots
WITH [i IN range(0, 2 * $slots - 1) | CASE WHEN i < $slots AND i IN sought_slots THEN $w_need
        WHEN i >= $slots AND (i - $slots) IN covered_slots THEN $w_reciprocity ELSE 0.0 END] + [0.000001] AS query_vector
CALL db.idx.vector.queryNodes('ScoreProfile', 'vector', $k, vecf32(query_vector)) YIELD node
RETURN node.id AS id
