// name: cordis_unkeyed
// description: Organisations or clusters that have a name but no name_key yet (loaded before CORDIS matching existed, or by another kind): a page of them, to be keyed.
// label: label Organisation|Cluster
// param: limit integer  page size
// mode: read
// example: {"limit": 10}
// example-rows: none
MATCH (n:__label__)
WHERE n.name_key IS NULL AND n.name IS NOT NULL
RETURN n.id AS id, n.name AS name
ORDER BY id
LIMIT $limit
