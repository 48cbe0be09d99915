// name: broader_of
// description: Each competence's broader competences, nearest first (up to 3 BROADER steps): where it sits in the hierarchy.
// param: ids list  competence ids
// mode: read
// example: {"ids": ["c-battery-raw-materials", "c-cell-chemistry"]}
MATCH p = (c:Competence)-[:BROADER*1..3]->(b:Competence)
WHERE c.id IN $ids
RETURN c.id AS id, b.id AS broader_id, b.name AS broader_name, b.kind AS broader_kind, length(p) AS steps
ORDER BY id, steps
