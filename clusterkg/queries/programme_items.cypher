// name: programme_items
// description: Applications, host offers or exchange matches by id, or all of a call's (ids null), with all their properties: what the programme's steps read before they write.
// label: label Application|HostOffer|ExchangeMatch
// param: ids list  ids (null: every one of the call)
// param: call_id string  the call (null: any)
// mode: read
// example: {"ids": null, "call_id": "COS-CLUSTER-2020-3-03"}
// example-rows: none
MATCH (n:__label__)
WHERE ($ids IS NULL OR n.id IN $ids) AND ($call_id IS NULL OR n.call_id = $call_id)
RETURN properties(n) AS item
ORDER BY n.id
