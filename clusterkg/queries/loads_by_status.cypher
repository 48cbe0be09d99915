// name: loads_by_status
// description: The journal of loads with the given statuses (started = never committed: a killed loader, an engine that went away), oldest first, with the command that repeats each.
// param: statuses list  started, committed or rolled_back
// mode: read
// example: {"statuses": ["started", "committed"]}
MATCH (l:Load)
WHERE l.status IN $statuses
RETURN l.id AS id, l.kind AS kind, l.status AS status, l.files AS files, l.started_at AS started_at, l.committed_at AS committed_at,
       l.command AS command, l.pid AS pid, l.host AS host
ORDER BY started_at, id
