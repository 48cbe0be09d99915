// name: frequent_partners_of
// description: Who clusters or organisations worked with most in EU projects (CORDIS co-participation), most projects first.
// label: label Organisation|Cluster
// param: ids list  ids of clusters or organisations
// mode: read
// example: {"ids": ["cordis-999000001", "syn-c000000"]}
MATCH (n:__label__)-[w:WORKED_WITH]-(partner)
WHERE n.id IN $ids
RETURN n.id AS id, partner.id AS partner_id, partner.name AS name,
       CASE WHEN partner:Cluster THEN 'CLUSTER' ELSE 'ORGANISATION' END AS kind, partner.country AS country,
       w.projects AS projects
ORDER BY id, projects DESC, partner_id
