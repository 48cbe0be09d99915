// name: collaboration_hubs
// description: The most connected organisations of the EU project network (CORDIS co-participation) in each cohesion category of their region: distinct partners and shared projects.
// param: per_category integer  how many organisations per category
// mode: read
// example: {"per_category": 5}
MATCH (o:Organisation)-[w:WORKED_WITH]-(other)
WITH o, count(DISTINCT other) AS partners, sum(w.projects) AS shared_projects
ORDER BY partners DESC, o.id
WITH coalesce(o.category, 'unknown') AS category,
     collect([o.id, o.name, o.country, partners, shared_projects])[..$per_category] AS top
UNWIND top AS hub
RETURN category, hub[0] AS id, hub[1] AS name, hub[2] AS country, hub[3] AS partners, hub[4] AS projects
ORDER BY category, partners DESC, id
