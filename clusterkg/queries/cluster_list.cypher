// name: cluster_list
// description: Clusters matching the filters, ordered by id, a page at a time, with the total count.
// param: countries list  NUTS-0 codes (null: any)
// param: categories list  cohesion categories (null: any)
// param: ecosystems list  ecosystem ids (null: any)
// param: excellence_labels list  bronze/silver/gold (null: any)
// param: nuts_prefix string  located in this NUTS region or below (null: anywhere)
// param: synthetic boolean  only synthetic (true) or only real (false) clusters (null: both)
// param: ids list  only these clusters, e.g. a full-text search's hits (null: any)
// param: skip integer  clusters to skip
// param: limit integer  clusters per page
// mode: read
// example: {"countries": ["IT", "ES"], "categories": null, "ecosystems": null, "excellence_labels": null, "nuts_prefix": null, "synthetic": null, "ids": null, "skip": 0, "limit": 10}
MATCH (c:Cluster)
WHERE ($countries IS NULL OR c.country IN $countries)
  AND ($categories IS NULL OR c.category IN $categories)
  AND ($ecosystems IS NULL OR any(e IN c.ecosystems WHERE e IN $ecosystems))
  AND ($excellence_labels IS NULL OR c.excellence_label IN $excellence_labels)
  AND ($nuts_prefix IS NULL OR c.nuts STARTS WITH $nuts_prefix)
  AND ($synthetic IS NULL OR c.synthetic = $synthetic)
  AND ($ids IS NULL OR c.id IN $ids)
WITH c ORDER BY c.id
WITH collect(c.id) AS ids
RETURN size(ids) AS total, ids[$skip..$skip + $limit] AS page
