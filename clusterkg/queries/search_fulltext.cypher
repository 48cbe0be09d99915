// name: search_fulltext
// description: Full-text search over names (and descriptions of clusters), best first.
// label: label Cluster|Organisation|Region|Competence
// param: text string  plain words; a word ending in * matches as a prefix
// param: limit integer  hits to return
// mode: read
// example: {"text": "hydrogen", "limit": 5}
CALL db.idx.fulltext.queryNodes('__label__', $text) YIELD node, score
RETURN coalesce(node.id, node.nuts) AS id, score
ORDER BY score DESC, id
LIMIT $limit
