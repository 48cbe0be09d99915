// name: reference_entities
// description: Every cluster or organisation with the properties partner-search filters read (for the in-memory reference of the score).
// label: label Cluster|Organisation
// mode: read
MATCH (n:__label__)
RETURN n.id AS id, n.country AS country, n.category AS category, n.ecosystems AS ecosystems, n.excellence_label AS excellence_label, n.nuts AS nuts
ORDER BY id
