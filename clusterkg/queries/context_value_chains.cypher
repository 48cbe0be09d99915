// name: context_value_chains
// description: Every value chain with its ordered stages (what loaders check a competence's stage against).
// mode: read
MATCH (v:ValueChain)
RETURN v.id AS id, v.stages AS stages
