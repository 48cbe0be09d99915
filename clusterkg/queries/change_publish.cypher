// name: change_publish
// description: Publish an edit of a cluster in one transaction: guarded by the revision the editor read (a write lock first, so two editors never both pass), it sets the properties, adds and removes offers, seeks, ecosystems and members, records the Change (who, when, before, after), bumps the cluster's revision and renews the graph's; it returns nothing when the revision is stale.
// param: cluster_id string  the cluster's id
// param: revision int  the revision the change was made against
// param: properties map  property -> new value (null removes it), including edited_fields and ecosystems
// param: add_offers list  competence ids to add to OFFERS
// param: remove_offers list  competence ids to remove from OFFERS
// param: add_seeks list  competence ids to add to SEEKS
// param: remove_seeks list  competence ids to remove from SEEKS
// param: add_ecosystems list  ecosystem ids to add to ACTIVE_IN
// param: remove_ecosystems list  ecosystem ids to remove from ACTIVE_IN
// param: new_organisations list  organisations the change creates ({id, name, kind, country, category, ecosystems}: placed as the loaders place a member without a place of its own)
// param: add_members list  organisation ids to make members
// param: remove_members list  organisation ids no longer members
// param: change map  the Change node's properties (id, status PUBLISHED, fields as JSON, by, at, ...)
// param: reverts string  the id of the change this one reverts (null: none)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"cluster_id": "syn-c000000", "revision": -1, "properties": {}, "add_offers": [], "remove_offers": [], "add_seeks": [], "remove_seeks": [], "add_ecosystems": [], "remove_ecosystems": [], "new_organisations": [], "add_members": [], "remove_members": [], "change": {"id": "example"}, "reverts": null, "graph_revision": "example"}
MATCH (c:Cluster {id: $cluster_id})
SET c._lock = true
REMOVE c._lock
WITH c
WHERE coalesce(c.revision, 0) = $revision
SET c += $properties
SET c.revision = $revision + 1
FOREACH (x IN $add_offers | MERGE (k:Competence {id: x}) MERGE (c)-[:OFFERS]->(k))
FOREACH (x IN $add_seeks | MERGE (k:Competence {id: x}) MERGE (c)-[:SEEKS]->(k))
FOREACH (x IN $add_ecosystems | MERGE (e:Ecosystem {id: x}) MERGE (c)-[:ACTIVE_IN]->(e))
FOREACH (m IN $new_organisations |
  MERGE (o:Organisation {id: m.id})
  ON CREATE SET o.name = m.name, o.kind = m.kind, o.country = m.country, o.category = m.category,
                o.ecosystems = m.ecosystems, o.source = 'edit', o.synthetic = false)
FOREACH (x IN $add_members | MERGE (o:Organisation {id: x}) MERGE (o)-[:MEMBER_OF]->(c))
WITH c
OPTIONAL MATCH (c)-[r:OFFERS|SEEKS|ACTIVE_IN]->(t)
WHERE (type(r) = 'OFFERS' AND t.id IN $remove_offers)
   OR (type(r) = 'SEEKS' AND t.id IN $remove_seeks)
   OR (type(r) = 'ACTIVE_IN' AND t.id IN $remove_ecosystems)
DELETE r
WITH DISTINCT c
OPTIONAL MATCH (o:Organisation)-[m:MEMBER_OF]->(c)
WHERE o.id IN $remove_members
DELETE m
WITH DISTINCT c
MERGE (ch:Change {id: $change.id})
SET ch += $change
SET ch.revision = c.revision
MERGE (ch)-[:CHANGES]->(c)
WITH c, ch
OPTIONAL MATCH (old:Change {id: $reverts})
SET old.status = 'REVERTED', old.reverted_by = ch.id
WITH DISTINCT c
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $change.at
RETURN c.revision AS revision
