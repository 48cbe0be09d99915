// name: partner_explain
// description: Why each candidate complements the seeker: competence pairs (sought -> offered, narrower counting), value chains with both sides' stages, the candidate's region and cohesion category, existing ties.
// label: seeker Cluster|Organisation
// label: candidate Cluster|Organisation
// param: seeker_id string  id of the seeker
// param: candidate_ids list  ids of the candidates to explain
// mode: read
// note: every pattern comprehension uses its own variable names: FalkorDB 4.16 returned [] for a second comprehension reusing c and d
// example: {"seeker_id": "syn-c000000", "candidate_ids": ["syn-c000001", "syn-c000002"]}
MATCH (a:__seeker__ {id: $seeker_id})
UNWIND $candidate_ids AS candidate_id
MATCH (b:__candidate__ {id: candidate_id})
OPTIONAL MATCH (b)-[:LOCATED_IN]->(r:Region)
RETURN b.id AS id,
  [(a)-[:SEEKS]->(c1:Competence)<-[:BROADER*0..3]-(d1:Competence)<-[:OFFERS]-(b) |
     {sought: {id: c1.id, name: c1.name, kind: c1.kind}, offered: {id: d1.id, name: d1.name, kind: d1.kind}}] AS need_fit,
  [(b)-[:SEEKS]->(c2:Competence)<-[:BROADER*0..3]-(d2:Competence)<-[:OFFERS]-(a) |
     {sought: {id: c2.id, name: c2.name, kind: c2.kind}, offered: {id: d2.id, name: d2.name, kind: d2.kind}}] AS reciprocity,
  [(a)-[:OFFERS]->(:Competence)-[sa:IN_STAGE]->(v:ValueChain)<-[sb:IN_STAGE]-(:Competence)<-[:OFFERS]-(b)
     WHERE sa.stage_index <> sb.stage_index |
     {chain: {id: v.id, name: v.name, stages: v.stages}, seeker_stage: sa.stage, seeker_stage_index: sa.stage_index,
      partner_stage: sb.stage, partner_stage_index: sb.stage_index}] AS value_chains,
  CASE WHEN r IS NULL THEN {nuts: b.nuts, name: null, level: null, category: b.category, category_source: null, country: b.country}
       ELSE {nuts: r.nuts, name: r.name, level: r.level, category: r.category, category_source: r.category_source, country: r.country} END AS region,
  [(a)-[:PARTNER_IN]->(p:Partnership)<-[:PARTNER_IN]-(b) | p.name] AS partnerships,
  [(a)<-[:SENT_BY|HOSTED_BY|PARTICIPANT]-(x:Exchange)-[:SENT_BY|HOSTED_BY|PARTICIPANT]->(b) | x.id] AS exchanges,
  [(a)-[:MEMBER_OF]->(k:Cluster)<-[:MEMBER_OF]-(b) | k.name] AS shared_clusters
