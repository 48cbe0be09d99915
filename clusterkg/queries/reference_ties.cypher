// name: reference_ties
// description: Every tie group and its members: partnerships (clusters), exchanges (clusters and organisations), clusters (member organisations) and meetings (their two parties), as (group, member) pairs.
// label: label Cluster|Organisation
// mode: read
MATCH (c:__label__)-[:PARTNER_IN]->(p:Partnership)
RETURN 'partnership' AS kind, p.id AS g, c.id AS m
UNION ALL
MATCH (x:Exchange)-[:SENT_BY|HOSTED_BY|PARTICIPANT]->(n:__label__)
RETURN DISTINCT 'exchange' AS kind, x.id AS g, n.id AS m
UNION ALL
MATCH (o:__label__)-[:MEMBER_OF]->(k:Cluster)
RETURN 'cluster' AS kind, k.id AS g, o.id AS m
UNION ALL
MATCH (meeting:Meeting)-[:BETWEEN]->(n:__label__)
RETURN 'meeting' AS kind, meeting.id AS g, n.id AS m
UNION ALL
MATCH (a:__label__)-[t:CONNECTED]->(b:__label__)
UNWIND [a.id, b.id] AS m
RETURN 'connected' AS kind, a.id + ' ' + b.id + ' ' + t.posting_id AS g, m
