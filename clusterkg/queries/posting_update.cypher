// name: posting_update
// description: Change a posting in one transaction, guarded by the revision its editor read (a write lock first, so two editors never both pass): sets the properties, replaces its competences, value chains or ecosystems when asked, bumps its revision and renews the graph's; returns nothing when the revision is stale.
// param: id string  the posting's id
// param: revision int  the revision the change was made against
// param: properties map  property -> new value (status, deadline, title, ..., updated_at)
// param: replace_competences boolean  replace SEEKS and OFFERS by the two lists below
// param: seeks list  competence ids the posting seeks (a request's)
// param: offers list  competence ids the posting offers (an offer's)
// param: replace_value_chains boolean  replace FOR_CHAIN by value_chains
// param: value_chains list  value chain ids
// param: replace_ecosystems boolean  replace FOR_ECOSYSTEM by ecosystems
// param: ecosystems list  ecosystem ids
// param: graph_revision string  the graph's new revision token
// param: at string  when (ISO time)
// mode: write
// example: {"id": "no-such-posting", "revision": -1, "properties": {}, "replace_competences": false, "seeks": [], "offers": [], "replace_value_chains": false, "value_chains": [], "replace_ecosystems": false, "ecosystems": [], "graph_revision": "example", "at": "2026-01-01T00:00:00+00:00"}
MATCH (p:Posting {id: $id})
SET p._lock = true
REMOVE p._lock
WITH p
WHERE coalesce(p.revision, 0) = $revision
SET p += $properties
SET p.revision = $revision + 1
WITH p
OPTIONAL MATCH (p)-[r:SEEKS|OFFERS|FOR_CHAIN|FOR_ECOSYSTEM]->()
WHERE ($replace_competences AND type(r) IN ['SEEKS', 'OFFERS'])
   OR ($replace_value_chains AND type(r) = 'FOR_CHAIN')
   OR ($replace_ecosystems AND type(r) = 'FOR_ECOSYSTEM')
DELETE r
WITH DISTINCT p
FOREACH (x IN $seeks | MERGE (k:Competence {id: x}) MERGE (p)-[:SEEKS]->(k))
FOREACH (x IN $offers | MERGE (k:Competence {id: x}) MERGE (p)-[:OFFERS]->(k))
FOREACH (x IN $value_chains | MERGE (v:ValueChain {id: x}) MERGE (p)-[:FOR_CHAIN]->(v))
FOREACH (x IN $ecosystems | MERGE (e:Ecosystem {id: x}) MERGE (p)-[:FOR_ECOSYSTEM]->(e))
WITH p
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN p.revision AS revision, p.status AS status
