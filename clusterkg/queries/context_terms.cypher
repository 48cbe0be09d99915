// name: context_terms
// description: Ids, names and aliases of the ecosystems or competences (what loaders resolve a file's terms against).
// label: label Ecosystem|Competence
// mode: read
MATCH (n:__label__)
RETURN n.id AS id, n.name AS name, n.aliases AS aliases
