// name: context_ids
// description: The ids of every partnership or call (what loaded rows may refer to).
// label: label Partnership|Call
// mode: read
MATCH (n:__label__)
RETURN n.id AS id
