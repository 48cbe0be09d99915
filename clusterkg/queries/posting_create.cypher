// name: posting_create
// description: Publish (or keep as a draft) a new posting of a cluster in one transaction: the Posting node, POSTED_BY its cluster, SEEKS (a request's competences) or OFFERS (an offer's), FOR_CHAIN and FOR_ECOSYSTEM; renews the graph's revision. Returns nothing when the cluster does not exist.
// param: cluster_id string  the posting cluster's id
// param: posting map  the Posting's properties (id, kind, title, text, status, deadline, competences, ..., revision 0)
// param: seeks list  competence ids the posting seeks (a request's)
// param: offers list  competence ids the posting offers (an offer's)
// param: value_chains list  value chain ids
// param: ecosystems list  ecosystem ids
// param: graph_revision string  the graph's new revision token
// param: at string  when (ISO time)
// mode: write
// example: {"cluster_id": "no-such-cluster", "posting": {"id": "example"}, "seeks": [], "offers": [], "value_chains": [], "ecosystems": [], "graph_revision": "example", "at": "2026-01-01T00:00:00+00:00"}
MATCH (c:Cluster {id: $cluster_id})
CREATE (p:Posting {id: $posting.id})
SET p += $posting
MERGE (p)-[:POSTED_BY]->(c)
FOREACH (x IN $seeks | MERGE (k:Competence {id: x}) MERGE (p)-[:SEEKS]->(k))
FOREACH (x IN $offers | MERGE (k:Competence {id: x}) MERGE (p)-[:OFFERS]->(k))
FOREACH (x IN $value_chains | MERGE (v:ValueChain {id: x}) MERGE (p)-[:FOR_CHAIN]->(v))
FOREACH (x IN $ecosystems | MERGE (e:Ecosystem {id: x}) MERGE (p)-[:FOR_ECOSYSTEM]->(e))
WITH p
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN p.id AS id, p.revision AS revision
