// name: taxonomy_stages
// description: Where each competence sits in a value chain: the chain, its ordered stages, and the stage's index.
// mode: read
MATCH (c:Competence)-[s:IN_STAGE]->(v:ValueChain)
RETURN c.id AS c, v.id AS v, v.name AS chain, v.stages AS stages, s.stage_index AS stage, size(v.stages) AS n
