// name: taxonomy_competences
// description: Every competence with its name and aliases, by id (what matching resolves terms against).
// mode: read
MATCH (c:Competence)
RETURN c.id AS id, c.name AS name, c.aliases AS aliases
ORDER BY id
