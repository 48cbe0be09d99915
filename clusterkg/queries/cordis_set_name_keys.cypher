// name: cordis_set_name_keys
// description: Store the normalised name (name_key) that CORDIS participants are matched by.
// label: label Organisation|Cluster
// param: rows list  [{id, key}]
// mode: write
// example: {"rows": [{"id": "no-such-node", "key": "x"}]}
UNWIND $rows AS row
MATCH (n:__label__ {id: row.id})
SET n.name_key = row.key
