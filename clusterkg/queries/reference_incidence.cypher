// name: reference_incidence
// description: Every (cluster or organisation, competence) pair of one relationship type: who offers or seeks what.
// label: label Cluster|Organisation
// type: rel OFFERS|SEEKS
// mode: read
MATCH (n:__label__)-[:__rel__]->(c:Competence)
RETURN n.id AS n, c.id AS c
