// name: call_facts
// description: The dated facts of calls (what each call stated, when, and which later statement superseded it), oldest first.
// param: ids list  call ids
// mode: read
// example: {"ids": ["COS-CLUSTER-2018-03-02"]}
MATCH (c:Call)-[:STATED]->(f:CallFact)
WHERE c.id IN $ids
RETURN c.id AS id, f.fact AS fact, f.value AS value, f.stated_on AS stated_on, f.superseded_on AS superseded_on, f.source_url AS source_url, f.note AS note
ORDER BY id, fact, stated_on
