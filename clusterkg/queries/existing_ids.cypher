// name: existing_ids
// description: Which of the given ids name a node of the label (a check before a job uses them).
// label: label Cluster|Organisation|Partnership|Exchange|Event|Call|Competence|ValueChain|Ecosystem
// param: ids list  ids to check
// mode: read
// example: {"ids": ["syn-c000000", "no-such-id"]}
UNWIND $ids AS id
MATCH (n:__label__ {id: id})
RETURN n.id AS id
