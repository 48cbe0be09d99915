// name: partner_explain
// description: Why each candidate complements the seeker, one row per reason: competence pairs (sought -> offered, narrower counting), value chains with the stage pairs of both sides, the candidate's region and cohesion category, existing ties. Traverses outward from the seeker like partner_search, restricted to the candidates of the page.
// note: each item is a list whose fields depend on the part (clusterkg.matching.complementarity.EXPLAIN_ITEMS names them): lists cost the client a third of what maps cost to decode, and a chain comes once per candidate with its [seeker stage, partner stage] index pairs (about 50 rows a page became 20)
// label: seeker Cluster|Organisation
// label: candidate Cluster|Organisation
// param: seeker_id string  id of the seeker
// param: candidate_ids list  ids of the candidates to explain
// mode: read
// example: {"seeker_id": "syn-c000000", "candidate_ids": ["syn-c000001", "syn-c000002", "syn-c000010", "syn-c000049"]}
MATCH (a:__seeker__ {id: $seeker_id})
CALL {
  WITH a
  MATCH (a)-[:SEEKS]->(c:Competence)<-[:BROADER*0..3]-(d:Competence)<-[:OFFERS]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN b.id AS id, 'need_fit' AS part, [c.id, c.name, c.kind, d.id, d.name, d.kind] AS item
  UNION ALL
  WITH a
  MATCH (a)-[:OFFERS]->(d:Competence)-[:BROADER*0..3]->(c:Competence)<-[:SEEKS]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN b.id AS id, 'reciprocity' AS part, [c.id, c.name, c.kind, d.id, d.name, d.kind] AS item
  UNION ALL
  WITH a
  MATCH (a)-[:OFFERS]->(:Competence)-[sa:IN_STAGE]->(v:ValueChain)<-[sb:IN_STAGE]-(:Competence)<-[:OFFERS]-(b:__candidate__)
  WHERE b.id IN $candidate_ids AND sa.stage_index <> sb.stage_index
  WITH b, v, sa.stage_index AS seeker_stage, sb.stage_index AS partner_stage
  ORDER BY seeker_stage, partner_stage  // the pairs in one order on every engine
  WITH b, v, collect(DISTINCT [seeker_stage, partner_stage]) AS pairs
  RETURN b.id AS id, 'value_chain' AS part, [v.id, v.name, v.stages, pairs] AS item
  UNION ALL
  WITH a
  MATCH (a)-[:PARTNER_IN]->(p:Partnership)<-[:PARTNER_IN]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN DISTINCT b.id AS id, 'partnership' AS part, [p.name] AS item
  UNION ALL
  WITH a
  MATCH (a)<-[:SENT_BY|HOSTED_BY|PARTICIPANT]-(x:Exchange)-[:SENT_BY|HOSTED_BY|PARTICIPANT]->(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN DISTINCT b.id AS id, 'exchange' AS part, [x.id] AS item
  UNION ALL
  WITH a
  MATCH (a)-[:MEMBER_OF]->(k:Cluster)<-[:MEMBER_OF]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN DISTINCT b.id AS id, 'shared_cluster' AS part, [k.name] AS item
  UNION ALL
  WITH a
  MATCH (a)<-[:BETWEEN]-(m:Meeting)-[:BETWEEN]->(b:__candidate__)
  WHERE b.id IN $candidate_ids
  OPTIONAL MATCH (m)-[:AT]->(e:Event)
  RETURN DISTINCT b.id AS id, 'meeting' AS part, [coalesce(e.name, m.event_id), toString(e.start), m.time] AS item
  UNION ALL
  WITH a
  MATCH (b:__candidate__)
  WHERE b.id IN $candidate_ids
  OPTIONAL MATCH (b)-[:LOCATED_IN]->(r:Region)
  RETURN b.id AS id, 'region' AS part,
         CASE WHEN r IS NULL THEN [b.nuts, null, null, b.category, null, b.country]
              ELSE [r.nuts, r.name, r.level, r.category, r.category_source, r.country] END AS item
}
RETURN id, part, item
