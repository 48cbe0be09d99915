// name: competences_of
// description: What clusters or organisations offer and seek.
// label: label Cluster|Organisation
// param: ids list  ids of the clusters or organisations
// mode: read
// example: {"ids": ["syn-c000001"]}
MATCH (n:__label__)-[r:OFFERS|SEEKS]->(c:Competence)
WHERE n.id IN $ids
RETURN n.id AS id, type(r) AS relation, c {.id, .name, .kind} AS competence
ORDER BY id, relation, competence.id
