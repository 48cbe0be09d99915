// name: matches_propose
// description: A matching run's proposals in one transaction: the call's PROPOSED matches that neither side accepted yet become SUPERSEDED, and the new ones are made (MATCHES their application and host offer), except for an application that meanwhile got a match a side accepted. Renews the graph's revision.
// param: call_id string  the call
// param: run_id string  this run
// param: matches list  the new matches' properties (id, call_id, application_id, host_offer_id, sending_cluster_id, host_cluster_id, start, end, score, reasons, status PROPOSED, run_id, proposed_at, revision 0)
// param: graph_revision string  the graph's new revision token
// param: at string  when (ISO time)
// mode: write
// example: {"call_id": "no-such-call", "run_id": "example", "matches": [], "graph_revision": "example", "at": "2026-01-01T00:00:00+00:00"}
OPTIONAL MATCH (old:ExchangeMatch {call_id: $call_id})
WHERE old.status = 'PROPOSED' AND old.host_accepted_at IS NULL AND old.visitor_accepted_at IS NULL
WITH collect(old) AS olds
FOREACH (o IN olds | SET o.status = 'SUPERSEDED', o.superseded_by = $run_id, o.revision = coalesce(o.revision, 0) + 1)
WITH size(olds) AS superseded
UNWIND $matches AS m
MATCH (a:Application {id: m.application_id})
MATCH (h:HostOffer {id: m.host_offer_id})
OPTIONAL MATCH (a)<-[:MATCHES]-(k:ExchangeMatch)
WHERE k.status = 'ACCEPTED' OR (k.status = 'PROPOSED' AND (k.host_accepted_at IS NOT NULL OR k.visitor_accepted_at IS NOT NULL))
WITH superseded, m, a, h, count(k) AS kept
WHERE kept = 0
CREATE (x:ExchangeMatch {id: m.id})
SET x += m
MERGE (x)-[:MATCHES]->(a)
MERGE (x)-[:MATCHES]->(h)
WITH superseded, count(x) AS proposed
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = $at
RETURN superseded, proposed
