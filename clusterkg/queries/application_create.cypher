// name: application_create
// description: A ClusterXchange application in one transaction: the Application (SUBMITTED), SENT_BY its cluster, PARTICIPANT its organisation (made from the name and kind when it is new to the graph), APPLIED_UNDER its partnership; renews the graph's revision. Returns nothing when the cluster or the partnership does not exist.
// param: application map  the Application's properties (id, call_id, partnership_id, sending_cluster_id, organisation_id, participant_name, participant_kind, topics, earliest, latest, days, status, submitted_at, by, revision)
// param: new_organisation map  an organisation to create for the participant ({id, name, kind, country, category}), or null
// param: graph_revision string  the graph's new revision token
// mode: write
// example: {"application": {"id": "example", "sending_cluster_id": "no-such-cluster", "partnership_id": "no-such-partnership", "organisation_id": "no-such-organisation"}, "new_organisation": null, "graph_revision": "example"}
MATCH (c:Cluster {id: $application.sending_cluster_id})
MATCH (p:Partnership {id: $application.partnership_id})
FOREACH (o IN CASE WHEN $new_organisation IS NULL THEN [] ELSE [$new_organisation] END |
  MERGE (n:Organisation {id: o.id})
  ON CREATE SET n.name = o.name, n.kind = o.kind, n.country = o.country, n.category = o.category, n.source = 'programme',
                n.synthetic = false
  MERGE (n)-[:MEMBER_OF]->(c))
WITH c, p
MATCH (o:Organisation {id: $application.organisation_id})
CREATE (a:Application {id: $application.id})
SET a += $application
MERGE (a)-[:SENT_BY]->(c)
MERGE (a)-[:PARTICIPANT]->(o)
MERGE (a)-[:APPLIED_UNDER]->(p)
WITH a
MERGE (s:SchemaInfo {id: 'revision'})
SET s.revision = $graph_revision, s.changed_at = a.submitted_at
RETURN a.id AS id
