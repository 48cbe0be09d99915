// name: region_profile
// description: One region with its parents, cohesion category (with the index it was derived from), typologies and source.
// param: nuts string  NUTS 2024 code of the region, e.g. ITF51
// mode: read
// example: {"nuts": "ITF51"}
MATCH (r:Region {nuts: $nuts})
OPTIONAL MATCH (r)-[:PART_OF*1..3]->(parent:Region)
WITH r, parent ORDER BY parent.level
WITH r, collect(parent.nuts + ' ' + parent.name) AS parents
OPTIONAL MATCH (s:Source {id: r.source})
RETURN r.nuts AS nuts, r.name AS name, r.level AS level, r.country AS country, parents,
       r.category AS category, r.category_source AS category_source, r.category_region AS category_region,
       r.category_index AS category_index, r.category_2014_2020 AS category_2014_2020,
       r.urban_rural AS urban_rural, r.coastal AS coastal, r.island AS island, r.mountain AS mountain,
       r.aliases AS nuts_2021_aliases, s.title AS source
