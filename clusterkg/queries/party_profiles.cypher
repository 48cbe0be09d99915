// name: party_profiles
// description: What each given cluster or organisation offers and seeks (competence ids), with its place and kind (the matching jobs' parties).
// label: label Cluster|Organisation
// param: ids list  ids
// mode: read
// example: {"ids": ["syn-c000000", "syn-c000001"]}
UNWIND $ids AS id
MATCH (n:__label__ {id: id})
RETURN n.id AS id, n.name AS name, n.country AS country, n.category AS category, n.kind AS kind,
       [(n)-[:OFFERS]->(o:Competence) | o.id] AS offers, [(n)-[:SEEKS]->(s:Competence) | s.id] AS seeks
