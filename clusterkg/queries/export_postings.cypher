// name: export_postings
// description: Every posting with what the postings file format holds, for `clusterkg export` (its interests stay private to the two clusters and are not exported).
// mode: read
MATCH (p:Posting)-[:POSTED_BY]->(c:Cluster)
RETURN p.id AS id, c.id AS cluster_id, p.kind AS kind, p.title AS title, p.text AS text, p.competences AS competences,
       p.value_chains AS value_chains, p.ecosystems AS ecosystems, p.target_categories AS target_categories,
       p.target_countries AS target_countries, p.deadline AS deadline, p.status AS status, p.created_at AS created_at,
       p.published_at AS published_at, p.updated_at AS updated_at, p.closed_at AS closed_at, p.by AS by, p.revision AS revision, p.synthetic AS synthetic,
       p.source AS source
ORDER BY id
