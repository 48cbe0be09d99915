// name: countries_by_code
// description: Countries by NUTS-0 code.
// param: codes list  country codes (EL for Greece)
// mode: read
// example: {"codes": ["IT", "EL"]}
MATCH (c:Country)
WHERE c.code IN $codes
RETURN c.code AS code, c {.*} AS country
