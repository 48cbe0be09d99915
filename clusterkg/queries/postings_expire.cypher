// name: postings_expire
// description: Mark EXPIRED the published postings whose deadline has passed (they stay visible; their owners may renew them), bumping each one's revision; renews the graph's revision when any expired. One row per posting it expired.
// param: today string  today's date (ISO)
// param: graph_revision string  the graph's new revision token
// param: at string  when (ISO time)
// mode: write
// example: {"today": "1900-01-01", "graph_revision": "example", "at": "1900-01-01T00:00:00+00:00"}
MATCH (p:Posting)
WHERE p.status = 'PUBLISHED' AND p.deadline < $today
SET p.status = 'EXPIRED', p.updated_at = $at, p.revision = coalesce(p.revision, 0) + 1
WITH p
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN p.id AS id
