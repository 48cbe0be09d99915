// name: partner_explain
// description: Why each candidate complements the seeker, one row per reason: competence pairs (sought -> offered, narrower counting), value-chain stages of both sides, the candidate's region and cohesion category, existing ties. Traverses outward from the seeker like partner_search, restricted to the candidates of the page.
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
  RETURN b.id AS id, 'need_fit' AS part, {sought: {id: c.id, name: c.name, kind: c.kind}, offered: {id: d.id, name: d.name, kind: d.kind}} AS item
  UNION ALL
  WITH a
  MATCH (a)-[:OFFERS]->(d:Competence)-[:BROADER*0..3]->(c:Competence)<-[:SEEKS]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN b.id AS id, 'reciprocity' AS part, {sought: {id: c.id, name: c.name, kind: c.kind}, offered: {id: d.id, name: d.name, kind: d.kind}} AS item
  UNION ALL
  WITH a
  MATCH (a)-[:OFFERS]->(:Competence)-[sa:IN_STAGE]->(v:ValueChain)<-[sb:IN_STAGE]-(:Competence)<-[:OFFERS]-(b:__candidate__)
  WHERE b.id IN $candidate_ids AND sa.stage_index <> sb.stage_index
  RETURN DISTINCT b.id AS id, 'value_chain' AS part,
         {chain: {id: v.id, name: v.name, stages: v.stages}, seeker_stage: sa.stage, seeker_stage_index: sa.stage_index,
          partner_stage: sb.stage, partner_stage_index: sb.stage_index} AS item
  UNION ALL
  WITH a
  MATCH (a)-[:PARTNER_IN]->(p:Partnership)<-[:PARTNER_IN]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN DISTINCT b.id AS id, 'partnership' AS part, {name: p.name} AS item
  UNION ALL
  WITH a
  MATCH (a)<-[:SENT_BY|HOSTED_BY|PARTICIPANT]-(x:Exchange)-[:SENT_BY|HOSTED_BY|PARTICIPANT]->(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN DISTINCT b.id AS id, 'exchange' AS part, {name: x.id} AS item
  UNION ALL
  WITH a
  MATCH (a)-[:MEMBER_OF]->(k:Cluster)<-[:MEMBER_OF]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN DISTINCT b.id AS id, 'shared_cluster' AS part, {name: k.name} AS item
  UNION ALL
  WITH a
  MATCH (a)<-[:BETWEEN]-(m:Meeting)-[:BETWEEN]->(b:__candidate__)
  WHERE b.id IN $candidate_ids
  OPTIONAL MATCH (m)-[:AT]->(e:Event)
  RETURN DISTINCT b.id AS id, 'meeting' AS part, {name: coalesce(e.name, m.event_id), date: toString(e.start), time: m.time} AS item
  UNION ALL
  WITH a
  MATCH (b:__candidate__)
  WHERE b.id IN $candidate_ids
  OPTIONAL MATCH (b)-[:LOCATED_IN]->(r:Region)
  RETURN b.id AS id, 'region' AS part,
         CASE WHEN r IS NULL THEN {nuts: b.nuts, name: null, level: null, category: b.category, category_source: null, country: b.country}
              ELSE {nuts: r.nuts, name: r.name, level: r.level, category: r.category, category_source: r.category_source, country: r.country} END AS item
}
RETURN id, part, item
