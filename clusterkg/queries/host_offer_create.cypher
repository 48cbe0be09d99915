// name: host_offer_create
// description: A cluster's offer to host ClusterXchange visitors under a call (HostOffer, HOSTED_BY the cluster); renews the graph's revision. Returns nothing when the cluster does not exist.
// param: offer map  the HostOffer's properties (id, call_id, cluster_id, capacity, available_from, available_to, offers, status, at, by)
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"offer": {"id": "example", "cluster_id": "no-such-cluster"}, "graph_revision": "example"}
MATCH (c:Cluster {id: $offer.cluster_id})
CREATE (h:HostOffer {id: $offer.id})
SET h += $offer
MERGE (h)-[:HOSTED_BY]->(c)
WITH h
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = h.at
RETURN h.id AS id
