// name: context_ids
// description: The ids of every partnership, call, event, organisation or project (what loaded rows may refer to).
// label: label Partnership|Call|Event|Organisation|Project
// mode: read
MATCH (n:__label__)
RETURN n.id AS id
