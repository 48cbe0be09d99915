// name: competence_family
// description: Competences with their broader and narrower ones (up to 3 BROADER steps each way): what a search for one of them also finds (a posting for a broader competence answers a narrower one, and a narrower one is part of the broader).
// param: ids list  competence ids
// mode: read
// example: {"ids": ["ket-advanced-materials", "c-anode-materials"]}
MATCH (k:Competence)
WHERE k.id IN $ids
OPTIONAL MATCH (k)-[:BROADER*1..3]->(up:Competence)
WITH k, collect(DISTINCT up.id) AS broader
OPTIONAL MATCH (down:Competence)-[:BROADER*1..3]->(k)
RETURN k.id AS id, broader, collect(DISTINCT down.id) AS narrower
ORDER BY id
