// name: map_regions
// description: Every NUTS-2 region with what the overview map colours it by: cohesion category, GDP index, and its number of clusters (those in it or in one of its NUTS-3 regions).
// mode: read
OPTIONAL MATCH (c:Cluster)-[:LOCATED_IN]->(at:Region)
WITH left(at.nuts, 4) AS code, count(c) AS n
WITH collect([code, n]) AS counts
MATCH (r:Region {level: 2})
RETURN r.nuts AS nuts, coalesce(r.name_latin, r.name) AS name, r.category AS category, r.category_index AS gdp_index,
       reduce(total = 0, pair IN counts | CASE WHEN pair[0] = r.nuts THEN total + pair[1] ELSE total END) AS clusters
ORDER BY nuts
