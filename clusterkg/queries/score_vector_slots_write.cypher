// name: score_vector_slots_write
// description: Give competences their slots in the score vectors, and record the layout (number of slots, the signature of the hierarchy) on SchemaInfo 'score_vectors'.
// param: rows list  [{id, slot}] for competences without a slot yet
// param: slots integer  slots in a vector half (the dimension is 2 * slots + 1)
// param: norm float  the squared norm of every vector (grows when an organisation covers and seeks more)
// param: signature string  hash of the BROADER steps and the slots: a change makes every vector stale
// mode: write
// example: {"rows": [], "slots": 0, "norm": 8.0, "signature": "example"}
// example-rows: none
FOREACH (r IN $rows | MERGE (c:Competence {id: r.id}) SET c.vector_slot = r.slot)
WITH 1 AS done
WHERE $slots > 0
MERGE (s:SchemaInfo {id: 'score_vectors'})
SET s.slots = $slots, s.norm = $norm, s.signature = $signature
