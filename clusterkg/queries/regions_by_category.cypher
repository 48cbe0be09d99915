// name: regions_by_category
// description: NUTS-2 regions per 2021-2027 cohesion category and how the category was set (official or derived), per country.
// param: country string  NUTS-0 country code, e.g. IT (null for all countries)
// mode: read
// example: {"country": "IT"}
MATCH (r:Region)
WHERE r.level = 2 AND r.category IS NOT NULL AND ($country IS NULL OR r.country = $country)
RETURN r.country AS country, r.category AS category, r.category_source AS category_source, count(*) AS regions
ORDER BY country, category, category_source
