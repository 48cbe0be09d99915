MATCH (a:__seeker__ {id: $seeker_id})
WITH [(a)-[:SEEKS]->(sought:Competence) | sought.vector_slot] AS sought_slots,
     [(a)-[:OFFERS]->(:Competence)-[:BROADER*0..3]->(covered:Competence) | covered.vector_slot] AS covered_slots
WITH [i IN range(0, 2 * $slots - 1) | CASE WHEN i < $slots AND i IN sought_slots THEN $w_need
        WHEN i >= $slots AND (i - $slots) IN covered_slots THEN $w_reciprocity ELSE 0.0 END] + [0.000001] AS query_vector
CALL db.index.vector.queryNodes('scoreprofile_vector', $k, query_vector) YIELD node
RETURN node.id AS id
