// name: score_profiles_mark_page
// description: Mark one page of organisations (in id order, after $after) stale: the layout changed (a new hierarchy, more slots). Returns the page's ids.
// param: after string  the last id of the previous page ('' for the first)
// param: batch integer  organisations a page
// mode: write
// example: {"after": "", "batch": 0}
// example-rows: none
MATCH (n:Organisation)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $batch
MERGE (m:StaleProfile {id: n.id})
RETURN n.id AS id
