// name: context_countries
// description: Every country code (what loaders accept as a country-level location).
// mode: read
MATCH (c:Country)
RETURN c.code AS code
