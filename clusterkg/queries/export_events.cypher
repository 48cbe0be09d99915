// name: export_events
// description: Every event in the events file format, for `clusterkg export`.
// mode: read
MATCH (e:Event)
RETURN e.id AS id, e.name AS name, e.start AS start, e.end AS end, e.city AS city, e.nuts AS nuts, e.nuts_source AS nuts_source,
       e.country AS country, e.postcode AS postcode, e.organiser AS organiser, e.synthetic AS synthetic, e.source AS source
ORDER BY id
