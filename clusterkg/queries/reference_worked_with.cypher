// name: reference_worked_with
// description: Every co-participation tie (WORKED_WITH, from CORDIS) with the labels of its two ends and its number of projects: what the in-memory reference score reads.
// mode: read
MATCH (a)-[w:WORKED_WITH]->(b)
RETURN CASE WHEN a:Cluster THEN 'Cluster' ELSE 'Organisation' END AS a_label, a.id AS a,
       CASE WHEN b:Cluster THEN 'Cluster' ELSE 'Organisation' END AS b_label, b.id AS b, w.projects AS projects
