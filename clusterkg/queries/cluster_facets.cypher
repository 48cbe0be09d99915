// name: cluster_facets
// description: How many of the clusters matching the filters (the same as cluster_list's) are in each country, cohesion category, ecosystem and excellence label: the directory's facets.
// param: countries list  NUTS-0 codes (null: any)
// param: categories list  cohesion categories (null: any)
// param: ecosystems list  ecosystem ids (null: any)
// param: excellence_labels list  bronze/silver/gold (null: any)
// param: nuts_prefix string  located in this NUTS region or below (null: anywhere)
// param: synthetic boolean  only synthetic (true) or only real (false) clusters (null: both)
// param: ids list  only these clusters (null: any)
// mode: read
// example: {"countries": null, "categories": ["less_developed"], "ecosystems": null, "excellence_labels": null, "nuts_prefix": null, "synthetic": null, "ids": null}
MATCH (c:Cluster)
WHERE ($countries IS NULL OR c.country IN $countries)
  AND ($categories IS NULL OR c.category IN $categories)
  AND ($ecosystems IS NULL OR any(e IN c.ecosystems WHERE e IN $ecosystems))
  AND ($excellence_labels IS NULL OR c.excellence_label IN $excellence_labels)
  AND ($nuts_prefix IS NULL OR c.nuts STARTS WITH $nuts_prefix)
  AND ($synthetic IS NULL OR c.synthetic = $synthetic)
  AND ($ids IS NULL OR c.id IN $ids)
WITH c
UNWIND [['country', c.country], ['category', coalesce(c.category, 'unknown')], ['excellence_label', coalesce(c.excellence_label, 'none')]]
       + [e IN coalesce(c.ecosystems, []) | ['ecosystem', e]] AS facet
RETURN facet[0] AS dimension, facet[1] AS value, count(*) AS count
ORDER BY dimension, count DESC, value
