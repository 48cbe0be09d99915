// name: partner_profiles
// description: Partner search among organisations through their score profiles (clusterkg.queries.vectors): organisations with the same offers and seeks share one profile, whose need, reciprocity, value-chain fit and overlap come from its precomputed lists, once a profile. The profiles are those linked to a competence the seeker seeks or covers (PROFILE_COVERS, PROFILE_SEEKS: every one that can match), or those the vector index proposed ($profile_ids, from score_profiles_nearest: approximate). The best profiles are opened until they hold $reach organisations (and every profile scoring as the last one opened): by the first member ids each keeps in id order (score_profiles_recount), merged and looked up to $look (then $look_more), and whole only when a profile cut short could hold a member before the last one taken; their members pass the filters; the first $take in score and id order (and as many more as the seeker has existing partners, whom the page may leave out), with every organisation that has an open request the seeker answers (and, when collaboration counts, those that worked with it or with its partners), are scored in full with the same terms, ties and order as partner_search. For non-negative weights with ties excluded, the page is partner_search's.
// label: seeker Cluster|Organisation|Posting
// param: seeker_id string  id of the seeking cluster, organisation or posting
// param: profile_ids list  the profiles to consider (score_profiles_nearest); null: every profile sharing a competence with the seeker
// param: reach integer  organisations the opened profiles hold at least
// param: take integer  members of the opened profiles scored in full
// param: look integer  members of the opened profiles looked up first by their first ids
// param: look_more integer  members looked up by their first ids when the first are not enough, before opening the profiles whole
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
// note: an id listed is looked up alone (`MATCH (b:Organisation {id: x})`): with the profile bound, `(b {id: x})-[:HAS_PROFILE]->(p)` was planned from p over all its members on FalkorDB 4.16 (3-13 s a search at l)
// note: long lists are never grouping keys (FalkorDB hashes them on every row: carrying the second round's ids through the first round's lookups took cluster seekers at m from 31 to 115 ms)
// note: aggregates never mix with a non-grouped variable (`ties + count(x)`): FalkorDB 4.16 then dropped every row or lost the variable
// example: {"seeker_id": "syn-c000000", "profile_ids": null, "reach": 200, "take": 60, "look": 240, "look_more": 1920, "categories": null, "countries": null, "exclude_countries": null, "ecosystems": null, "excellence_labels": null, "nuts_prefix": null, "exclude_own_country": false, "exclude_ties": true, "w_need": 1.0, "w_reciprocity": 0.6, "w_value_chain": 0.5, "w_overlap": 2.0, "w_tie": 1.0, "w_collaboration": 0.5, "exclude_ids": null, "w_posting": 1.0, "today": "2026-01-01", "skip": 0, "limit": 20}
MATCH (a:__seeker__ {id: $seeker_id})
WITH a, [(a)-[:SEEKS]->(sought:Competence) | sought.id] AS sought_ids,
     [(a)-[:OFFERS]->(:Competence)-[:BROADER*0..3]->(covered:Competence) | covered.id] AS covered_ids,
     [(a)-[:OFFERS]->(offered:Competence) | offered.id] AS offered_ids,
     [(a)-[:OFFERS]->(:Competence)-[sa:IN_STAGE]->(va:ValueChain) | [va.id, sa.stage_index]] AS seeker_stages
// existing partners the page leaves out take places among the first members: that many more are opened and taken
// (co-members of an organisation seeker's clusters, often thousands, are left out as the profiles are opened instead)
WITH a, offered_ids, seeker_stages, sought_ids, covered_ids,
     CASE WHEN $exclude_ties THEN size([(a)<-[:SENT_BY|HOSTED_BY|PARTICIPANT]-(:Exchange)-[:SENT_BY|HOSTED_BY|PARTICIPANT]->(co_participant:Organisation) | co_participant])
       + size([(a)-[:PARTNER_IN]->(:Partnership)<-[:PARTNER_IN]-(co_partner:Organisation) | co_partner])
       + size([(a)<-[:BETWEEN]-(:Meeting)-[:BETWEEN]->(met:Organisation) | met])
       + size([(a)-[:CONNECTED]-(connected:Organisation) | connected]) ELSE 0 END AS tied
// the candidate profiles: those sharing a competence with the seeker, or those the vector index proposed
OPTIONAL MATCH (a)-[:SEEKS]->(:Competence)<-[:PROFILE_COVERS]-(needed:ScoreProfile)
WHERE $profile_ids IS NULL
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, collect(DISTINCT needed) AS needed
OPTIONAL MATCH (a)-[:OFFERS]->(:Competence)-[:BROADER*0..3]->(:Competence)<-[:PROFILE_SEEKS]-(seeking:ScoreProfile)
WHERE $profile_ids IS NULL
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, needed, collect(DISTINCT seeking) AS seeking
OPTIONAL MATCH (proposed:ScoreProfile)
WHERE proposed.id IN coalesce($profile_ids, [])
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, needed, seeking, collect(proposed) AS proposed
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, needed + [x IN seeking WHERE NOT x IN needed] + proposed AS found
// one row at least, so that the open requests below are looked for even when no profile matches
UNWIND CASE WHEN size(found) = 0 THEN [null] ELSE found END AS node
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, node.id AS profile_id, node.members AS members,
     size([s IN sought_ids WHERE s IN coalesce(node.covers, [])]) AS need,
     size([s IN coalesce(node.seeks, []) WHERE s IN covered_ids]) AS reciprocity,
     size([o IN coalesce(node.offers, []) WHERE o IN offered_ids]) AS shared, size(coalesce(node.offers, [])) AS candidate_offers,
     [i IN range(0, size(coalesce(node.stage_chains, [])) - 1) | [node.stage_chains[i], node.stage_indexes[i]]] AS partner_stages
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, profile_id, members, need, reciprocity, shared, candidate_offers, partner_stages,
     reduce(chains = [], x IN seeker_stages |
       CASE WHEN NOT x[0] IN chains AND any(y IN partner_stages WHERE y[0] = x[0] AND y[1] <> x[1]) THEN chains + [x[0]] ELSE chains END) AS chains
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, need + reciprocity > 0 AS matches, profile_id, members,
     $w_need * need + $w_reciprocity * reciprocity
       + $w_value_chain * reduce(total = 0.0, chain IN chains | total +
           CASE WHEN any(x IN seeker_stages WHERE x[0] = chain AND any(y IN partner_stages WHERE y[0] = chain AND abs(x[1] - y[1]) = 1))
                THEN 1.0 ELSE 0.5 END)
       - $w_overlap * CASE WHEN size(offered_ids) + candidate_offers - shared = 0 THEN 0.0
                          ELSE toFloat(shared) / (size(offered_ids) + candidate_offers - shared) END AS profile_score
ORDER BY profile_score DESC
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, collect(CASE WHEN matches THEN profile_id END) AS profile_ids,
     collect(CASE WHEN matches THEN profile_score END) AS scores, collect(CASE WHEN matches THEN coalesce(members, 0) END) AS sizes
// open the best profiles until they hold $reach organisations, and every profile scoring as the last one opened
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, profile_ids, scores,
     reduce(cut = [0, -1], i IN range(0, size(profile_ids) - 1) |
       CASE WHEN cut[0] >= $reach + tied THEN cut ELSE [cut[0] + coalesce(sizes[i], 0), i] END) AS cut
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids,
     CASE WHEN cut[1] < 0 THEN [] ELSE [i IN range(0, size(profile_ids) - 1) WHERE scores[i] >= scores[cut[1]] | [profile_ids[i], scores[i]]] END AS opened
// open them by the first members each keeps in id order (score_profiles_recount), not by all their members: a
// profile's list, cut to $look + tied, holds every member up to its last id (a horizon: first_until when the profile
// has more; '' for a profile from before the lists); the lists are merged in score and id order and looked up to
// their $look + tied-th entry (a horizon too). The members taken are certain when no member past a horizon could
// come before the last one taken, or when nothing was cut. Else the same again to $look_more + tied (a strict
// filter), and else the profiles are opened whole.
UNWIND CASE WHEN size(opened) = 0 THEN [null] ELSE opened END AS chosen
OPTIONAL MATCH (p:ScoreProfile {id: chosen[0]})
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, chosen, p.first_until AS until,
     coalesce(p.first_members, []) AS listed, p IS NOT NULL AND p.first_members IS NULL AS unlisted
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, chosen, listed[0..$look + tied] AS listed,
     CASE WHEN unlisted THEN '' WHEN size(listed) > $look + tied THEN listed[$look + tied - 1] ELSE until END AS until
UNWIND CASE WHEN size(listed) = 0 THEN [null] ELSE listed END AS member_id
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, chosen[1] AS profile_score, until, member_id
ORDER BY profile_score DESC, member_id ASC
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened,
     collect(DISTINCT CASE WHEN until IS NOT NULL THEN [profile_score, until] END) AS horizons,
     collect(CASE WHEN member_id IS NOT NULL THEN [profile_score, member_id] END) AS listed
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened,
     horizons + CASE WHEN size(listed) > $look + tied THEN [listed[$look + tied - 1]] ELSE [] END AS horizons,
     listed[0..$look + tied] AS looked
// (no check that an id listed is still the profile's: a change of membership marks both profiles for a recount, and
// profiles answer only when nothing is marked; a deleted organisation is not found)
UNWIND CASE WHEN size(looked) = 0 THEN [null] ELSE looked END AS entry
OPTIONAL MATCH (b:Organisation {id: entry[1]})
WHERE b <> a
  AND NOT ($exclude_ties AND (b)-[:MEMBER_OF]->(:Cluster)<-[:MEMBER_OF]-(a))
  AND ($categories IS NULL OR b.category IN $categories)
  AND ($countries IS NULL OR b.country IN $countries)
  AND ($exclude_countries IS NULL OR NOT b.country IN $exclude_countries)
  AND ($ecosystems IS NULL OR any(e IN b.ecosystems WHERE e IN $ecosystems))
  AND ($excellence_labels IS NULL OR b.excellence_label IN $excellence_labels)
  AND ($nuts_prefix IS NULL OR b.nuts STARTS WITH $nuts_prefix)
  AND (NOT $exclude_own_country OR b.country <> a.country)
  AND ($exclude_ids IS NULL OR NOT b.id IN $exclude_ids)
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, horizons, entry, b
ORDER BY entry[0] DESC, entry[1] ASC
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, horizons,
     collect(CASE WHEN b IS NOT NULL THEN entry END) AS found
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, horizons, found, found[0..$take + tied] AS first
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, found, size(first) = $take + tied
       AND all(c IN horizons WHERE c[0] < first[size(first) - 1][0]
               OR (c[0] = first[size(first) - 1][0] AND c[1] >= first[size(first) - 1][1])) AS certain
UNWIND CASE WHEN certain OR size(opened) = 0 THEN [null] ELSE opened END AS chosen
OPTIONAL MATCH (p:ScoreProfile {id: chosen[0]})
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, found, certain, chosen, p.first_until AS until,
     coalesce(p.first_members, []) AS listed, p IS NOT NULL AND p.first_members IS NULL AS unlisted
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, found, certain, chosen, listed[0..$look_more + tied] AS listed,
     CASE WHEN unlisted THEN '' WHEN size(listed) > $look_more + tied THEN listed[$look_more + tied - 1]
          ELSE until END AS until
UNWIND CASE WHEN size(listed) = 0 THEN [null] ELSE listed END AS member_id
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, found, certain, chosen[1] AS profile_score, until,
     member_id
ORDER BY profile_score DESC, member_id ASC
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, found, certain,
     collect(DISTINCT CASE WHEN until IS NOT NULL THEN [profile_score, until] END) AS horizons,
     collect(CASE WHEN member_id IS NOT NULL THEN [profile_score, member_id] END) AS listed
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, found, certain,
     horizons + CASE WHEN size(listed) > $look_more + tied THEN [listed[$look_more + tied - 1]] ELSE [] END AS horizons,
     CASE WHEN certain THEN [] ELSE listed[$look + tied..$look_more + tied] END AS looked
UNWIND CASE WHEN size(looked) = 0 THEN [null] ELSE looked END AS entry
OPTIONAL MATCH (b:Organisation {id: entry[1]})
WHERE b <> a
  AND NOT ($exclude_ties AND (b)-[:MEMBER_OF]->(:Cluster)<-[:MEMBER_OF]-(a))
  AND ($categories IS NULL OR b.category IN $categories)
  AND ($countries IS NULL OR b.country IN $countries)
  AND ($exclude_countries IS NULL OR NOT b.country IN $exclude_countries)
  AND ($ecosystems IS NULL OR any(e IN b.ecosystems WHERE e IN $ecosystems))
  AND ($excellence_labels IS NULL OR b.excellence_label IN $excellence_labels)
  AND ($nuts_prefix IS NULL OR b.nuts STARTS WITH $nuts_prefix)
  AND (NOT $exclude_own_country OR b.country <> a.country)
  AND ($exclude_ids IS NULL OR NOT b.id IN $exclude_ids)
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, found, certain, horizons, entry, b
ORDER BY entry[0] DESC, entry[1] ASC
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, found, certain, horizons,
     collect(CASE WHEN b IS NOT NULL THEN entry END) AS found_more
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, certain, horizons, (found + found_more)[0..$take + tied] AS taken
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, opened, taken,
     certain OR CASE WHEN size(taken) < $take + tied THEN size(horizons) = 0
                     ELSE all(c IN horizons WHERE c[0] < taken[size(taken) - 1][0]
                              OR (c[0] = taken[size(taken) - 1][0] AND c[1] >= taken[size(taken) - 1][1])) END AS certain
// else every member of the opened profiles, filtered and sorted
UNWIND CASE WHEN certain OR size(opened) = 0 THEN [null] ELSE opened END AS chosen
OPTIONAL MATCH (p:ScoreProfile {id: chosen[0]})
OPTIONAL MATCH (p)<-[:HAS_PROFILE]-(b:Organisation)
WHERE b <> a
  AND NOT ($exclude_ties AND (b)-[:MEMBER_OF]->(:Cluster)<-[:MEMBER_OF]-(a))
  AND ($categories IS NULL OR b.category IN $categories)
  AND ($countries IS NULL OR b.country IN $countries)
  AND ($exclude_countries IS NULL OR NOT b.country IN $exclude_countries)
  AND ($ecosystems IS NULL OR any(e IN b.ecosystems WHERE e IN $ecosystems))
  AND ($excellence_labels IS NULL OR b.excellence_label IN $excellence_labels)
  AND ($nuts_prefix IS NULL OR b.nuts STARTS WITH $nuts_prefix)
  AND (NOT $exclude_own_country OR b.country <> a.country)
  AND ($exclude_ids IS NULL OR NOT b.id IN $exclude_ids)
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, certain, taken, b, chosen[1] AS profile_score
ORDER BY profile_score DESC, b.id ASC
WITH a, tied, offered_ids, seeker_stages, sought_ids, covered_ids, certain, taken, collect(b.id) AS every
WITH a, offered_ids, seeker_stages, sought_ids, covered_ids,
     CASE WHEN certain THEN [x IN taken | x[1]] ELSE every[0..$take + tied] END AS members
// the candidates a profile cannot rank: open requests the seeker answers, and (when its weight counts) work together
OPTIONAL MATCH (a)-[:OFFERS]->(:Competence)-[:BROADER*0..3]->(:Competence)<-[:SEEKS]-(request:Posting)-[:POSTED_BY]->(asker:Organisation)
WHERE request.status = 'PUBLISHED' AND request.deadline >= $today
WITH a, offered_ids, seeker_stages, sought_ids, covered_ids, members, collect(DISTINCT asker) AS askers
OPTIONAL MATCH (a)-[:WORKED_WITH]-(worker:Organisation)
WHERE $w_collaboration <> 0.0
WITH a, offered_ids, seeker_stages, sought_ids, covered_ids, members, askers, collect(DISTINCT worker) AS workers
OPTIONAL MATCH (a)-[:WORKED_WITH]-()-[:WORKED_WITH]-(second:Organisation)
WHERE $w_collaboration <> 0.0
WITH a, offered_ids, seeker_stages, sought_ids, covered_ids, members, askers, workers, collect(DISTINCT second) AS second
WITH a, offered_ids, seeker_stages, sought_ids, covered_ids, members, askers, workers + second AS workers
// by id, matched again: a node taken out of a collected list lost its links on FalkorDB 4.16 (it matched others')
UNWIND members + [x IN askers + workers WHERE NOT x.id IN members | x.id] AS candidate_id
WITH DISTINCT a, offered_ids, seeker_stages, sought_ids, covered_ids, candidate_id
MATCH (b:Organisation {id: candidate_id})
WHERE b <> a
  AND ($categories IS NULL OR b.category IN $categories)
  AND ($countries IS NULL OR b.country IN $countries)
  AND ($exclude_countries IS NULL OR NOT b.country IN $exclude_countries)
  AND ($ecosystems IS NULL OR any(e IN b.ecosystems WHERE e IN $ecosystems))
  AND ($excellence_labels IS NULL OR b.excellence_label IN $excellence_labels)
  AND ($nuts_prefix IS NULL OR b.nuts STARTS WITH $nuts_prefix)
  AND (NOT $exclude_own_country OR b.country <> a.country)
  AND ($exclude_ids IS NULL OR NOT b.id IN $exclude_ids)
// each candidate's profile terms from its profile's lists (none: it offers and seeks nothing)
// (a pattern comprehension: an OPTIONAL MATCH here gave organisations without a profile another row's on FalkorDB 4.16)
WITH a, offered_ids, seeker_stages, sought_ids, covered_ids, b,
     head([(b)-[:HAS_PROFILE]->(bp:ScoreProfile) | [bp.covers, bp.seeks, bp.offers, bp.stage_chains, bp.stage_indexes]]) AS profile
WITH a, offered_ids, seeker_stages, covered_ids, b,
     size([s IN sought_ids WHERE s IN coalesce(profile[0], [])]) AS need,
     size([s IN coalesce(profile[1], []) WHERE s IN covered_ids]) AS reciprocity,
     size([o IN coalesce(profile[2], []) WHERE o IN offered_ids]) AS shared, size(coalesce(profile[2], [])) AS candidate_offers,
     [i IN range(0, size(coalesce(profile[3], [])) - 1) | [profile[3][i], profile[4][i]]] AS partner_stages
OPTIONAL MATCH (b)<-[:POSTED_BY]-(open_request:Posting)-[:SEEKS]->(asked:Competence)
WHERE open_request.status = 'PUBLISHED' AND open_request.deadline >= $today AND asked.id IN covered_ids
  AND (size(coalesce(open_request.target_categories, [])) = 0 OR a.category IN open_request.target_categories)
  AND (size(coalesce(open_request.target_countries, [])) = 0 OR a.country IN open_request.target_countries)
WITH a, offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, count(DISTINCT open_request) AS requests
WHERE need > 0 OR reciprocity > 0 OR requests > 0
// existing ties, each kind counted as partner_search counts it
OPTIONAL MATCH (b)-[:PARTNER_IN]->(tie_p:Partnership)<-[:PARTNER_IN]-(a)
WITH a, offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, requests,
     count(DISTINCT tie_p) AS partnerships
OPTIONAL MATCH (b)<-[:SENT_BY|HOSTED_BY|PARTICIPANT]-(tie_x:Exchange)-[:SENT_BY|HOSTED_BY|PARTICIPANT]->(a)
WITH a, offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, requests, partnerships,
     count(DISTINCT tie_x) AS exchanges
OPTIONAL MATCH (b)-[:MEMBER_OF]->(tie_k:Cluster)<-[:MEMBER_OF]-(a)
WITH a, offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, requests, partnerships, exchanges,
     count(DISTINCT tie_k) AS shared_clusters
OPTIONAL MATCH (b)<-[:BETWEEN]-(tie_m:Meeting)-[:BETWEEN]->(a)
WITH a, offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, requests, partnerships, exchanges,
     shared_clusters, count(DISTINCT tie_m) AS meetings
OPTIONAL MATCH (b)-[tie_c:CONNECTED]-(a)
WITH a, offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, requests, partnerships, exchanges,
     shared_clusters, meetings, count(DISTINCT tie_c) AS connections
WITH a, offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, requests,
     partnerships + exchanges + shared_clusters + meetings + connections AS ties
WHERE NOT ($exclude_ties AND ties > 0)
// worked together (CORDIS), or one partner apart when its weight counts
OPTIONAL MATCH (b)-[worked:WORKED_WITH]-(a)
WITH a, offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, requests, ties,
     coalesce(sum(worked.projects), 0) AS together
OPTIONAL MATCH (b)-[:WORKED_WITH]-(partner)-[:WORKED_WITH]-(a)
WHERE $w_collaboration <> 0.0 AND b <> a
WITH offered_ids, seeker_stages, b, need, reciprocity, shared, candidate_offers, partner_stages, requests, ties, together,
     count(DISTINCT partner) AS apart
WITH seeker_stages, partner_stages, b, need, reciprocity, requests, ties, together, shared, size(offered_ids) AS seeker_offers, candidate_offers,
     CASE WHEN together > 0 THEN 1.0 WHEN apart > 0 THEN 0.5 ELSE 0.0 END AS collaboration,
     CASE WHEN requests > 0 THEN 1.0 ELSE 0.0 END AS posting,
     reduce(chains = [], x IN seeker_stages |
       CASE WHEN NOT x[0] IN chains AND any(y IN partner_stages WHERE y[0] = x[0] AND y[1] <> x[1]) THEN chains + [x[0]] ELSE chains END) AS chains
WITH b, need, reciprocity, requests, ties, together, collaboration, posting,
     reduce(total = 0.0, chain IN chains | total +
       CASE WHEN any(x IN seeker_stages WHERE x[0] = chain AND any(y IN partner_stages WHERE y[0] = chain AND abs(x[1] - y[1]) = 1))
            THEN 1.0 ELSE 0.5 END) AS value_chain,
     CASE WHEN seeker_offers + candidate_offers - shared = 0 THEN 0.0
          ELSE toFloat(shared) / (seeker_offers + candidate_offers - shared) END AS overlap
WITH b, need, reciprocity, value_chain, ties, together, collaboration, requests, posting, overlap,
     $w_need * need + $w_reciprocity * reciprocity + $w_value_chain * value_chain - $w_overlap * overlap
       - CASE WHEN ties > 0 THEN $w_tie ELSE 0.0 END + $w_collaboration * collaboration + $w_posting * posting AS score
RETURN b.id AS id, score, need, reciprocity, value_chain, overlap, ties, together, collaboration, requests, posting
ORDER BY score DESC, id ASC
SKIP $skip LIMIT $limit
