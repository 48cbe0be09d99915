// name: call_by_id
// description: A funding call with all its properties (budget, deadline, eligible countries, consortium rules and their sources).
// param: id string  the call's id
// mode: read
// example: {"id": "COS-CLUSTER-2020-3-03"}
MATCH (c:Call {id: $id})
RETURN properties(c) AS call
