// name: region_list
// description: Regions by level, country and cohesion category, ordered by code.
// param: level integer  NUTS level 1-3 (null: any)
// param: country string  NUTS-0 code (null: any)
// param: categories list  cohesion categories (null: any)
// param: skip integer  regions to skip
// param: limit integer  regions per page
// mode: read
// example: {"level": 2, "country": "PL", "categories": ["less_developed"], "skip": 0, "limit": 50}
MATCH (r:Region)
WHERE ($level IS NULL OR r.level = $level)
  AND ($country IS NULL OR r.country = $country)
  AND ($categories IS NULL OR r.category IN $categories)
RETURN r.nuts AS nuts, r {.*} AS region
ORDER BY nuts
SKIP $skip LIMIT $limit
