// name: region_partners
// description: NUTS-2 regions ranked by how their clusters' competences complement those of the clusters in a given region: what the region's clusters seek that the other region's offer (need), the reverse (reciprocity), minus the Jaccard overlap of offers; for interregional and smart-specialisation partnership planning.
// param: nuts string  the region (any NUTS level); its clusters are those located in it or below
// param: categories list  cohesion categories of the partner regions (null: any)
// param: w_need float  weight of a sought competence offered in the partner region
// param: w_reciprocity float  weight of a competence the partner region seeks that the region offers
// param: w_overlap float  penalty weight of the Jaccard overlap of the two regions' offers
// param: limit integer  regions to return
// mode: read
// example: {"nuts": "ITC", "categories": null, "w_need": 1.0, "w_reciprocity": 0.6, "w_overlap": 2.0, "limit": 10}
MATCH (home:Cluster)
WHERE home.nuts STARTS WITH $nuts
WITH collect(home) AS homes
UNWIND homes AS h
OPTIONAL MATCH (h)-[:OFFERS]->(ho:Competence)
WITH homes, collect(DISTINCT ho.id) AS home_offers
UNWIND homes AS h
OPTIONAL MATCH (h)-[:SEEKS]->(hs:Competence)
WITH home_offers, collect(DISTINCT hs.id) AS home_seeks
MATCH (other:Cluster)
WHERE size(other.nuts) >= 4 AND NOT other.nuts STARTS WITH $nuts
  AND ($categories IS NULL OR other.category IN $categories)
MATCH (other)-[r:OFFERS|SEEKS]->(c:Competence)
WITH home_offers, home_seeks, left(other.nuts, 4) AS region, type(r) AS relation, c.id AS competence
WITH home_offers, home_seeks, region,
     collect(DISTINCT CASE WHEN relation = 'OFFERS' AND competence IN home_seeks THEN competence END) AS needed,
     collect(DISTINCT CASE WHEN relation = 'SEEKS' AND competence IN home_offers THEN competence END) AS reciprocal,
     collect(DISTINCT CASE WHEN relation = 'OFFERS' THEN competence END) AS region_offers
WHERE size(needed) + size(reciprocal) > 0
WITH region, needed, reciprocal,
     size([x IN region_offers WHERE x IN home_offers]) AS shared,
     size(home_offers) + size(region_offers) - size([y IN region_offers WHERE y IN home_offers]) AS union_size
WITH region, needed, reciprocal,
     CASE WHEN union_size = 0 THEN 0.0 ELSE toFloat(shared) / union_size END AS overlap
RETURN region, $w_need * size(needed) + $w_reciprocity * size(reciprocal) - $w_overlap * overlap AS score,
       needed, reciprocal, overlap
ORDER BY score DESC, region
LIMIT $limit
