// name: regions_by_nuts
// description: Regions by NUTS code, with cohesion category and typologies.
// param: codes list  NUTS codes
// mode: read
// example: {"codes": ["ITF5", "ITF51", "DE11"]}
MATCH (r:Region)
WHERE r.nuts IN $codes
RETURN r.nuts AS nuts, r {.*} AS region
