// name: entities_by_id
// description: Nodes of one label by id, with all their properties (the batch behind the API's DataLoaders).
// label: label Cluster|Organisation|Partnership|Exchange|Call|Ecosystem|Competence|ValueChain|Posting|MeetingRequest|Event|Project
// param: ids list  ids to fetch
// mode: read
// example: {"ids": ["syn-c000001", "syn-c000002"]}
MATCH (n:__label__)
WHERE n.id IN $ids
RETURN n.id AS id, n {.*} AS node
