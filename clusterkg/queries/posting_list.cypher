// name: posting_list
// description: Postings matching the filters (their own kind, competences, value chains, ecosystems and words; their cluster's country, cohesion category, NUTS region and ecosystems; whom they are open to), a page at a time, with the total count. A published posting past its deadline counts as EXPIRED; drafts only for the clusters named in editable.
// param: today string  today's date (ISO): what has expired
// param: statuses list  PUBLISHED, CLOSED, EXPIRED, DRAFT
// param: editable list  cluster ids whose drafts may be listed (the signed-in editor's)
// param: kinds list  OFFER, REQUEST, RD_REQUEST (null: any)
// param: countries list  the posting cluster's NUTS-0 code (null: any)
// param: categories list  the posting cluster's cohesion category (null: any)
// param: nuts_prefix string  the posting cluster is in this NUTS region or below (null: anywhere)
// param: ecosystems list  ecosystem ids of the posting or of its cluster (null: any)
// param: value_chains list  value chain ids of the posting (null: any)
// param: competences list  competence ids: the competences asked for, with their broader and narrower ones (null: any)
// param: open_to_categories list  postings open to these categories: naming one of them, or none (null: any)
// param: open_to_countries list  postings open to these countries: naming one of them, or none (null: any)
// param: cluster_ids list  postings of these clusters (null: any)
// param: synthetic boolean  only synthetic (true) or only real (false) postings (null: both)
// param: text string  lower-case words the title or text contains (null: any)
// param: ids list  only these postings (null: any)
// param: sort string  DEADLINE (soonest first), NEWEST or TITLE
// param: skip integer  postings to skip
// param: limit integer  postings per page
// mode: read
// example: {"today": "2026-01-01", "statuses": ["PUBLISHED"], "editable": [], "kinds": ["REQUEST", "RD_REQUEST"], "countries": null, "categories": null, "nuts_prefix": null, "ecosystems": null, "value_chains": null, "competences": null, "open_to_categories": null, "open_to_countries": null, "cluster_ids": null, "synthetic": null, "text": null, "ids": null, "sort": "DEADLINE", "skip": 0, "limit": 10}
MATCH (p:Posting)-[:POSTED_BY]->(c:Cluster)
WITH p, c, CASE WHEN p.status = 'PUBLISHED' AND p.deadline < $today THEN 'EXPIRED' ELSE p.status END AS status
WHERE status IN $statuses
  AND (status <> 'DRAFT' OR c.id IN $editable)
  AND ($kinds IS NULL OR p.kind IN $kinds)
  AND ($countries IS NULL OR c.country IN $countries)
  AND ($categories IS NULL OR c.category IN $categories)
  AND ($nuts_prefix IS NULL OR c.nuts STARTS WITH $nuts_prefix)
  AND ($ecosystems IS NULL OR any(e IN coalesce(p.ecosystems, []) + coalesce(c.ecosystems, []) WHERE e IN $ecosystems))
  AND ($value_chains IS NULL OR any(v IN coalesce(p.value_chains, []) WHERE v IN $value_chains))
  AND ($competences IS NULL OR any(k IN coalesce(p.competences, []) WHERE k IN $competences))
  AND ($open_to_categories IS NULL OR size(coalesce(p.target_categories, [])) = 0
       OR any(x IN p.target_categories WHERE x IN $open_to_categories))
  AND ($open_to_countries IS NULL OR size(coalesce(p.target_countries, [])) = 0
       OR any(x IN p.target_countries WHERE x IN $open_to_countries))
  AND ($cluster_ids IS NULL OR c.id IN $cluster_ids)
  AND ($synthetic IS NULL OR coalesce(p.synthetic, false) = $synthetic)
  AND ($text IS NULL OR toLower(p.title) CONTAINS $text OR toLower(coalesce(p.text, '')) CONTAINS $text)
  AND ($ids IS NULL OR p.id IN $ids)
WITH p
ORDER BY CASE WHEN $sort = 'DEADLINE' THEN p.deadline ELSE '' END,
         CASE WHEN $sort = 'NEWEST' THEN coalesce(p.published_at, p.created_at, '') ELSE '' END DESC,
         toLower(p.title), p.id
WITH collect(p.id) AS ids
RETURN size(ids) AS total, ids[$skip..$skip + $limit] AS page
