// name: partner_search
// description: Complementary partners of a seeker (clusterkg.scoring.complementarity documents the score): candidates with need fit (what the seeker seeks that the candidate offers, narrower competences counting for broader ones sought) or reciprocity, scored with value-chain fit at different stages, minus offer overlap and existing ties, plus (or minus) the weight of having worked together in EU projects (CORDIS) or being one partner apart, plus the weight of an open request of the candidate that the seeker answers (a posting). A posting may be the seeker: its competences stand for a profile's. Candidates whose score bounds keep them off the page are not scored in full (exact). Returns score components; explanations come from partner_explain.
// label: seeker Cluster|Organisation|Posting
// label: candidate Cluster|Organisation
// param: seeker_id string  id of the seeking cluster or organisation
// param: categories list  cohesion categories of the candidate's region (null: any)
// param: countries list  candidate countries (null: any)
// param: exclude_countries list  countries to leave out (null: none)
// param: ecosystems list  candidate active in one of these ecosystem ids (null: any)
// param: excellence_labels list  bronze/silver/gold (null: any)
// param: nuts_prefix string  candidate located in this NUTS region or below (null: anywhere)
// param: exclude_own_country boolean  leave out candidates of the seeker's country
// param: exclude_ids list  candidates to leave out, e.g. a posting's own cluster (null: none)
// param: exclude_ties boolean  leave out existing partners (shared partnership, past exchange, same cluster, a past meeting, connected by an accepted interest)
// param: w_need float  weight of a sought competence covered
// param: w_reciprocity float  weight of a competence the candidate seeks that the seeker offers
// param: w_value_chain float  weight of a shared value chain at different stages (adjacent 1.0, others 0.5)
// param: w_overlap float  penalty weight of the Jaccard overlap of offers
// param: w_tie float  penalty of an existing tie (when ties are not excluded)
// param: w_collaboration float  weight of having worked together in EU projects (1.0) or being a partner's partner (0.5); negative to find new partners, 0 to ignore
// param: w_posting float  weight of an open request of the candidate (REQUEST, RD_REQUEST) that asks for what the seeker offers
// param: today string  today's date (ISO): a published posting is open up to its deadline
// param: skip integer  results to skip
// param: limit integer  results to return
// mode: read
// note: pattern comprehensions never share variable names (FalkorDB 4.16 gave wrong counts when two reused one)
// example: {"seeker_id": "syn-c000000", "categories": null, "countries": null, "exclude_countries": null, "ecosystems": null, "excellence_labels": null, "nuts_prefix": null, "exclude_own_country": false, "exclude_ties": true, "w_need": 1.0, "w_reciprocity": 0.6, "w_value_chain": 0.5, "w_overlap": 2.0, "w_tie": 1.0, "w_collaboration": 0.5, "exclude_ids": null, "w_posting": 1.0, "today": "2026-01-01", "skip": 0, "limit": 20}
MATCH (a:__seeker__ {id: $seeker_id})
WITH a, size([(a)-[:OFFERS]->(seeker_offer:Competence) | seeker_offer.id]) AS seeker_offers,
     size(reduce(chains = [], chain IN [(a)-[:OFFERS]->(:Competence)-[:IN_STAGE]->(seeker_chain:ValueChain) | seeker_chain.id] |
       CASE WHEN chain IN chains THEN chains ELSE chains + [chain] END)) AS seeker_chains
CALL {
  WITH a
  MATCH (a)-[:SEEKS]->(c:Competence)<-[:BROADER*0..3]-(:Competence)<-[:OFFERS]-(b:__candidate__)
  WHERE b <> a
    AND ($categories IS NULL OR b.category IN $categories)
    AND ($countries IS NULL OR b.country IN $countries)
    AND ($exclude_countries IS NULL OR NOT b.country IN $exclude_countries)
    AND ($ecosystems IS NULL OR any(e IN b.ecosystems WHERE e IN $ecosystems))
    AND ($excellence_labels IS NULL OR b.excellence_label IN $excellence_labels)
    AND ($nuts_prefix IS NULL OR b.nuts STARTS WITH $nuts_prefix)
    AND (NOT $exclude_own_country OR b.country <> a.country)
    AND ($exclude_ids IS NULL OR NOT b.id IN $exclude_ids)
  WITH b, count(DISTINCT c) AS n
  RETURN b, n AS need, 0 AS reciprocity, 0 AS shared, 0 AS ties, 0 AS together, 0 AS apart, 0 AS requests
  UNION ALL
  WITH a
  MATCH (a)-[:OFFERS]->(:Competence)-[:BROADER*0..3]->(c:Competence)<-[:SEEKS]-(b:__candidate__)
  WHERE b <> a
    AND ($categories IS NULL OR b.category IN $categories)
    AND ($countries IS NULL OR b.country IN $countries)
    AND ($exclude_countries IS NULL OR NOT b.country IN $exclude_countries)
    AND ($ecosystems IS NULL OR any(e IN b.ecosystems WHERE e IN $ecosystems))
    AND ($excellence_labels IS NULL OR b.excellence_label IN $excellence_labels)
    AND ($nuts_prefix IS NULL OR b.nuts STARTS WITH $nuts_prefix)
    AND (NOT $exclude_own_country OR b.country <> a.country)
    AND ($exclude_ids IS NULL OR NOT b.id IN $exclude_ids)
  WITH b, count(DISTINCT c) AS n
  RETURN b, 0 AS need, n AS reciprocity, 0 AS shared, 0 AS ties, 0 AS together, 0 AS apart, 0 AS requests
  UNION ALL
  // offers in common, among the candidates that pass the filters: the overlap penalty, and its bound below
  WITH a
  MATCH (a)-[:OFFERS]->(c:Competence)<-[:OFFERS]-(b:__candidate__)
  WHERE b <> a
    AND ($categories IS NULL OR b.category IN $categories)
    AND ($countries IS NULL OR b.country IN $countries)
    AND ($exclude_countries IS NULL OR NOT b.country IN $exclude_countries)
    AND ($ecosystems IS NULL OR any(e IN b.ecosystems WHERE e IN $ecosystems))
    AND ($excellence_labels IS NULL OR b.excellence_label IN $excellence_labels)
    AND ($nuts_prefix IS NULL OR b.nuts STARTS WITH $nuts_prefix)
    AND (NOT $exclude_own_country OR b.country <> a.country)
    AND ($exclude_ids IS NULL OR NOT b.id IN $exclude_ids)
  WITH b, count(DISTINCT c) AS n
  RETURN b, 0 AS need, 0 AS reciprocity, n AS shared, 0 AS ties, 0 AS together, 0 AS apart, 0 AS requests
  UNION ALL
  // existing ties, found outward from the seeker: shared partnerships, past exchanges, shared clusters, past meetings
  WITH a
  MATCH (a)-[:PARTNER_IN]->(p:Partnership)<-[:PARTNER_IN]-(b:__candidate__)
  WITH b, count(DISTINCT p) AS n
  RETURN b, 0 AS need, 0 AS reciprocity, 0 AS shared, n AS ties, 0 AS together, 0 AS apart, 0 AS requests
  UNION ALL
  WITH a
  MATCH (a)<-[:SENT_BY|HOSTED_BY|PARTICIPANT]-(x:Exchange)-[:SENT_BY|HOSTED_BY|PARTICIPANT]->(b:__candidate__)
  WITH b, count(DISTINCT x) AS n
  RETURN b, 0 AS need, 0 AS reciprocity, 0 AS shared, n AS ties, 0 AS together, 0 AS apart, 0 AS requests
  UNION ALL
  WITH a
  MATCH (a)-[:MEMBER_OF]->(k:Cluster)<-[:MEMBER_OF]-(b:__candidate__)
  WITH b, count(DISTINCT k) AS n
  RETURN b, 0 AS need, 0 AS reciprocity, 0 AS shared, n AS ties, 0 AS together, 0 AS apart, 0 AS requests
  UNION ALL
  WITH a
  MATCH (a)<-[:BETWEEN]-(m:Meeting)-[:BETWEEN]->(b:__candidate__)
  WITH b, count(DISTINCT m) AS n
  RETURN b, 0 AS need, 0 AS reciprocity, 0 AS shared, n AS ties, 0 AS together, 0 AS apart, 0 AS requests
  UNION ALL
  // worked together in EU projects (CORDIS): one WORKED_WITH a pair, with the number of projects
  WITH a
  MATCH (a)-[w:WORKED_WITH]-(b:__candidate__)
  RETURN b, 0 AS need, 0 AS reciprocity, 0 AS shared, 0 AS ties, w.projects AS together, 0 AS apart, 0 AS requests
  UNION ALL
  // one partner apart (a partner's partner): two hops, so looked for only when its weight counts
  // (an empty UNWIND ends the branch before any traversal; a WHERE on the import is refused in CALL)
  WITH a
  UNWIND CASE WHEN $w_collaboration <> 0.0 THEN [a] ELSE [] END AS seeker
  MATCH (seeker)-[:WORKED_WITH]-(partner)-[:WORKED_WITH]-(b:__candidate__)
  WHERE b <> seeker
  WITH b, count(DISTINCT partner) AS n
  RETURN b, 0 AS need, 0 AS reciprocity, 0 AS shared, 0 AS ties, 0 AS together, n AS apart, 0 AS requests
  UNION ALL
  // connected by an accepted expression of interest in a posting (clusterkg.postings): an existing tie
  WITH a
  MATCH (a)-[t:CONNECTED]-(b:__candidate__)
  WITH b, count(DISTINCT t) AS n
  RETURN b, 0 AS need, 0 AS reciprocity, 0 AS shared, n AS ties, 0 AS together, 0 AS apart, 0 AS requests
  UNION ALL
  // open requests of the candidates that the seeker answers: it offers what they ask for (or a narrower
  // competence), and is among those they are open to (their target categories and countries, if any)
  WITH a
  MATCH (a)-[:OFFERS]->(:Competence)-[:BROADER*0..3]->(:Competence)<-[:SEEKS]-(p:Posting)-[:POSTED_BY]->(b:__candidate__)
  WHERE b <> a AND p.status = 'PUBLISHED' AND p.deadline >= $today
    AND (size(coalesce(p.target_categories, [])) = 0 OR a.category IN p.target_categories)
    AND (size(coalesce(p.target_countries, [])) = 0 OR a.country IN p.target_countries)
    AND ($categories IS NULL OR b.category IN $categories)
    AND ($countries IS NULL OR b.country IN $countries)
    AND ($exclude_countries IS NULL OR NOT b.country IN $exclude_countries)
    AND ($ecosystems IS NULL OR any(e IN b.ecosystems WHERE e IN $ecosystems))
    AND ($excellence_labels IS NULL OR b.excellence_label IN $excellence_labels)
    AND ($nuts_prefix IS NULL OR b.nuts STARTS WITH $nuts_prefix)
    AND (NOT $exclude_own_country OR b.country <> a.country)
    AND ($exclude_ids IS NULL OR NOT b.id IN $exclude_ids)
  WITH b, count(DISTINCT p) AS n
  RETURN b, 0 AS need, 0 AS reciprocity, 0 AS shared, 0 AS ties, 0 AS together, 0 AS apart, n AS requests
}
WITH a, seeker_offers, seeker_chains, b, sum(need) AS need, sum(reciprocity) AS reciprocity, sum(shared) AS shared, sum(ties) AS ties,
     sum(together) AS together, sum(apart) AS apart, sum(requests) AS requests
WHERE (need > 0 OR reciprocity > 0 OR requests > 0) AND NOT ($exclude_ties AND ties > 0)
WITH a, seeker_offers, seeker_chains, b, need, reciprocity, shared, ties, together, requests,
     CASE WHEN together > 0 THEN 1.0 WHEN apart > 0 THEN 0.5 ELSE 0.0 END AS collaboration,
     CASE WHEN requests > 0 THEN 1.0 ELSE 0.0 END AS posting
// Only candidates that can reach the page are scored in full. The value-chain fit is 0 to 1 per
// chain of the seeker, and the overlap at most shared / seeker_offers (the union holds the seeker's
// offers): so each candidate's score lies in [lower, upper], and one whose upper bound is below the
// page's last lower bound cannot be on the page. Exact, for non-negative weights (else nothing is cut).
WITH a, seeker_offers, seeker_chains, b, need, reciprocity, shared, ties, together, collaboration, requests, posting,
     $w_need * need + $w_reciprocity * reciprocity - CASE WHEN ties > 0 THEN $w_tie ELSE 0.0 END
       + $w_collaboration * collaboration + $w_posting * posting AS base
WITH a, seeker_offers, b, need, reciprocity, shared, ties, together, collaboration, requests, posting,
     base + $w_value_chain * seeker_chains AS upper,
     base - $w_overlap * CASE WHEN seeker_offers = 0 THEN 0.0 ELSE toFloat(shared) / seeker_offers END AS lower
ORDER BY lower DESC
// one row: every candidate as [b, need, reciprocity, shared, ties, upper, together, collaboration, requests, posting], best lower
// bound first (lists cost less than maps here; grouping on the seeker's lists instead of on one row cost 3 us a candidate)
WITH a, seeker_offers, collect([b, need, reciprocity, shared, ties, upper, together, collaboration, requests, posting]) AS found, collect(lower) AS lowers
WITH a, seeker_offers, found,
     CASE WHEN $w_value_chain < 0 OR $w_overlap < 0 OR $w_tie < 0 OR $w_posting < 0 OR size(lowers) <= $skip + $limit THEN null
          ELSE lowers[$skip + $limit - 1] - 0.000000001 END AS threshold
// the seeker's stages once, on the one row left
WITH seeker_offers, found, threshold, [(a)-[:OFFERS]->(:Competence)-[sa:IN_STAGE]->(va:ValueChain) | [va.id, sa.stage_index]] AS seeker_stages
UNWIND found AS candidate
WITH seeker_stages, seeker_offers, candidate WHERE threshold IS NULL OR candidate[5] >= threshold
WITH seeker_stages, seeker_offers, candidate[0] AS b, candidate[1] AS need, candidate[2] AS reciprocity, candidate[3] AS shared, candidate[4] AS ties,
     candidate[6] AS together, candidate[7] AS collaboration, candidate[8] AS requests, candidate[9] AS posting
// the candidates' offers and stages in one traversal over all of them (per-record pattern
// comprehensions cost ~17 us each on FalkorDB: 36 ms against 12 ms p50 at scale m)
OPTIONAL MATCH (b)-[:OFFERS]->(candidate_offer:Competence)
OPTIONAL MATCH (candidate_offer)-[sb:IN_STAGE]->(vb:ValueChain)
WITH seeker_stages, seeker_offers, b, need, reciprocity, shared, ties, together, collaboration, requests, posting,
     count(DISTINCT candidate_offer) AS candidate_offers,
     collect(CASE WHEN vb IS NULL THEN null ELSE [vb.id, sb.stage_index] END) AS partner_stages
// value-chain fit per candidate, from two short lists of [chain, stage] (not a traversal per chain member)
WITH seeker_stages, seeker_offers, candidate_offers, partner_stages, b, need, reciprocity, shared, ties, together, collaboration,
     requests, posting, reduce(chains = [], x IN seeker_stages |
       CASE WHEN NOT x[0] IN chains AND any(y IN partner_stages WHERE y[0] = x[0] AND y[1] <> x[1]) THEN chains + [x[0]] ELSE chains END) AS chains
WITH b, need, reciprocity, shared, ties, together, collaboration, requests, posting, seeker_offers, candidate_offers,
     reduce(total = 0.0, chain IN chains | total +
       CASE WHEN any(x IN seeker_stages WHERE x[0] = chain AND any(y IN partner_stages WHERE y[0] = chain AND abs(x[1] - y[1]) = 1))
            THEN 1.0 ELSE 0.5 END) AS value_chain
WITH b, need, reciprocity, value_chain, ties, together, collaboration, requests, posting,
     CASE WHEN seeker_offers + candidate_offers - shared = 0 THEN 0.0
          ELSE toFloat(shared) / (seeker_offers + candidate_offers - shared) END AS overlap
WITH b, need, reciprocity, value_chain, ties, together, collaboration, requests, posting, overlap,
     $w_need * need + $w_reciprocity * reciprocity + $w_value_chain * value_chain - $w_overlap * overlap
       - CASE WHEN ties > 0 THEN $w_tie ELSE 0.0 END + $w_collaboration * collaboration + $w_posting * posting AS score
RETURN b.id AS id, score, need, reciprocity, value_chain, overlap, ties, together, collaboration, requests, posting
ORDER BY score DESC, id ASC
SKIP $skip LIMIT $limit
