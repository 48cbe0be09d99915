// name: consortium_candidates
// description: What the consortium builder weighs of each shortlisted cluster: place, label, age, size, ECCP registration, offers and seeks.
// param: ids list  cluster ids
// mode: read
// example: {"ids": ["syn-c000000", "syn-c000001"]}
UNWIND $ids AS id
MATCH (c:Cluster {id: id})
OPTIONAL MATCH (c)-[reg:REGISTERED_ON]->(:Platform {id: 'eccp'})
RETURN c.id AS id, c.name AS name, c.country AS country, c.nuts AS nuts, c.category AS category,
       c.excellence_label AS excellence_label, c.founded AS founded, c.members_total AS members_total, count(reg) > 0 AS registered,
       [(c)-[:OFFERS]->(o:Competence) | o.id] AS offers, [(c)-[:SEEKS]->(s:Competence) | s.id] AS seeks
