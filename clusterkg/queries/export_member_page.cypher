// name: export_member_page
// description: The ids of the next page of organisations in id order (after $after), for `clusterkg export`: the members file is written a page at a time, so that five million members stream through a bounded memory. A page of organisations without memberships is a page all the same (the export goes on after it).
// param: after string  the last organisation id of the previous page ('' for the first)
// param: limit integer  organisations a page
// mode: read
// example: {"after": "", "limit": 100}
MATCH (o:Organisation)
WHERE o.id > $after
RETURN o.id AS id
ORDER BY id
LIMIT $limit
