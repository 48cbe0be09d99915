// name: list_by_label
// description: All nodes of a small label (ecosystems, value chains, calls, partnerships, competences, exchanges), ordered by id, a page at a time.
// label: label Ecosystem|ValueChain|Call|Partnership|Competence|Exchange
// param: skip integer  nodes to skip
// param: limit integer  nodes per page
// mode: read
// example: {"skip": 0, "limit": 20}
MATCH (n:__label__)
RETURN n.id AS id, n {.*} AS node
ORDER BY id
SKIP $skip LIMIT $limit
