// name: context_organisations_present
// description: Which of the listed organisation ids the graph has: a load that names organisations (attendance, meetings) asks for the ones its rows name, not for every organisation of the graph.
// param: ids list  organisation ids
// mode: read
// example: {"ids": ["syn-o00000000"]}
MATCH (o:Organisation)
WHERE o.id IN $ids
RETURN o.id AS id
