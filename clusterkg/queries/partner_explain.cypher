// name: partner_explain
// description: Why each candidate complements the seeker, one row per reason: competence pairs (sought -> offered, narrower counting), value chains with the stage pairs of both sides, the candidate's region and cohesion category, existing ties (an accepted interest among them; a past meeting with how its two sides rated it), work together in EU projects (CORDIS) and the partners both worked with, and the candidates' open requests the seeker answers (postings). Competences and value chains are traversed from the page's candidates towards the seeker's lists; ties outward from the seeker.
// note: each item is a list whose fields depend on the part (clusterkg.matching.complementarity.EXPLAIN_ITEMS names them): lists cost the client a third of what maps cost to decode, and a chain comes once per candidate with its [seeker stage, partner stage] index pairs (about 50 rows a page became 20)
// note: from the candidates, not the seeker: outward from the seeker the value-chain branch visits every offer of every cluster in the seeker's chains (at scale m, explanations of 20 candidates took 12.8 ms for clusters and 73 ms for organisations; from the candidates 4.4 and 3.5 ms)
// label: seeker Cluster|Organisation|Posting
// label: candidate Cluster|Organisation
// param: seeker_id string  id of the seeker
// param: candidate_ids list  ids of the candidates to explain
// param: today string  today's date (ISO): a published posting is open up to its deadline
// mode: read
// example: {"seeker_id": "syn-c000000", "candidate_ids": ["syn-c000001", "syn-c000002", "syn-c000010", "syn-c000049"], "today": "2026-01-01"}
MATCH (a:__seeker__ {id: $seeker_id})
WITH a, [(a)-[:SEEKS]->(sought:Competence) | sought] AS sought, [(a)-[:OFFERS]->(offered:Competence) | offered] AS offered,
     [(a)-[:OFFERS]->(:Competence)-[sa:IN_STAGE]->(va:ValueChain) | [va.id, sa.stage_index]] AS seeker_stages
CALL {
  WITH a, sought
  MATCH (b:__candidate__)-[:OFFERS]->(d:Competence)-[:BROADER*0..3]->(c:Competence)
  WHERE b.id IN $candidate_ids AND c IN sought
  RETURN b.id AS id, 'need_fit' AS part, [c.id, c.name, c.kind, d.id, d.name, d.kind] AS item
  UNION ALL
  WITH a, offered
  MATCH (b:__candidate__)-[:SEEKS]->(c:Competence)<-[:BROADER*0..3]-(d:Competence)
  WHERE b.id IN $candidate_ids AND d IN offered
  RETURN b.id AS id, 'reciprocity' AS part, [c.id, c.name, c.kind, d.id, d.name, d.kind] AS item
  UNION ALL
  WITH a, seeker_stages
  MATCH (b:__candidate__)-[:OFFERS]->(:Competence)-[sb:IN_STAGE]->(v:ValueChain)
  WHERE b.id IN $candidate_ids
  WITH b, v, sb.stage_index AS partner_stage, [x IN seeker_stages WHERE x[0] = v.id AND x[1] <> sb.stage_index | x[1]] AS seeker_side
  UNWIND seeker_side AS seeker_stage
  WITH b, v, seeker_stage, partner_stage
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
  OPTIONAL MATCH (m)<-[r:RATED]-()
  WITH b, m, e, avg(r.rating) AS rating, max(CASE WHEN r.follow_up THEN 1 ELSE 0 END) AS follow_up
  RETURN DISTINCT b.id AS id, 'meeting' AS part,
         [coalesce(e.name, m.event_id), toString(e.start), m.time, rating, follow_up] AS item
  UNION ALL
  WITH a
  MATCH (a)-[w:WORKED_WITH]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN b.id AS id, 'worked_with' AS part, [w.projects, w.via] AS item
  UNION ALL
  WITH a
  MATCH (a)-[:PARTICIPATED_IN]->(p:Project)<-[:PARTICIPATED_IN]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  RETURN DISTINCT b.id AS id, 'project' AS part, [p.id, p.acronym] AS item
  UNION ALL
  WITH a
  MATCH (a)-[:WORKED_WITH]-(partner)-[:WORKED_WITH]-(b:__candidate__)
  WHERE b.id IN $candidate_ids AND b <> a
  RETURN DISTINCT b.id AS id, 'shared_partner' AS part, [partner.id, partner.name] AS item
  UNION ALL
  WITH a
  MATCH (a)-[t:CONNECTED]-(b:__candidate__)
  WHERE b.id IN $candidate_ids
  OPTIONAL MATCH (p:Posting {id: t.posting_id})
  RETURN DISTINCT b.id AS id, 'connected' AS part, [coalesce(p.title, t.posting_id)] AS item
  UNION ALL
  WITH a
  MATCH (b:__candidate__)<-[:POSTED_BY]-(p:Posting)-[:SEEKS]->(c:Competence)<-[:BROADER*0..3]-(d:Competence)<-[:OFFERS]-(a)
  WHERE b.id IN $candidate_ids AND p.status = 'PUBLISHED' AND p.deadline >= $today
    AND (size(coalesce(p.target_categories, [])) = 0 OR a.category IN p.target_categories)
    AND (size(coalesce(p.target_countries, [])) = 0 OR a.country IN p.target_countries)
  RETURN DISTINCT b.id AS id, 'posting' AS part, [p.id, p.title, p.kind, p.deadline, c.id, c.name, d.id, d.name] AS item
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
