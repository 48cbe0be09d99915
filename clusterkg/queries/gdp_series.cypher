// name: gdp_series
// description: GDP per head in PPS of NUTS-2 regions by year (Eurostat nama_10r_2gdp): as % of the EU-27 average and absolute.
// param: codes list  NUTS-2 codes
// mode: read
// example: {"codes": ["ITF5", "DE30"]}
MATCH (r:Region)-[:HAS_GDP]->(g:GdpObservation)
WHERE r.nuts IN $codes
RETURN r.nuts AS nuts, g.year AS year, g.pps_index_eu27 AS pps_index, g.pps_per_head AS pps_per_head
ORDER BY nuts, year
