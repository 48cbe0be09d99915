// name: regions_never_worked_with
// description: NUTS-2 regions whose organisations take part in EU projects (CORDIS) but never worked with one in the given region: untapped partners, the regions with most participants first.
// param: nuts string  a NUTS-2 region (e.g. ITF5)
// param: limit integer  how many regions
// mode: read
// example: {"nuts": "EL30", "limit": 20}
OPTIONAL MATCH (mine:Organisation)-[:WORKED_WITH]-(other:Organisation)
WHERE mine.nuts STARTS WITH $nuts AND other.nuts IS NOT NULL
WITH collect(DISTINCT substring(other.nuts, 0, 4)) AS reached
MATCH (o:Organisation)-[:PARTICIPATED_IN]->(:Project)
WHERE o.nuts IS NOT NULL AND NOT substring(o.nuts, 0, 4) IN reached AND NOT o.nuts STARTS WITH $nuts
WITH substring(o.nuts, 0, 4) AS region, count(DISTINCT o) AS participants
MATCH (r:Region {nuts: region})
RETURN region AS nuts, r.name AS name, r.category AS category, participants
ORDER BY participants DESC, nuts
LIMIT $limit
