// name: change_by_id
// description: One change with all its properties.
// param: id string  the change's id
// mode: read
// example: {"id": "example"}
// example-rows: none
MATCH (ch:Change {id: $id})
RETURN properties(ch) AS change
