// name: change_decide
// description: Reject a pending change (the cluster is left as it is): guarded by its status, so a change is decided once. Returns nothing when it was not pending.
// param: id string  the change's id
// param: status string  the decision's status (REJECTED)
// param: reviewed_by string  the moderator's account id
// param: reviewed_at string  when (ISO, UTC)
// param: comment string  the moderator's comment, or null
// mode: write
// example: {"id": "example", "status": "REJECTED", "reviewed_by": "acc-example", "reviewed_at": "2026-01-01T00:00:00+00:00", "comment": null}
MATCH (ch:Change {id: $id})
WHERE ch.status = 'PENDING_REVIEW'
SET ch.status = $status, ch.reviewed_by = $reviewed_by, ch.reviewed_at = $reviewed_at, ch.comment = $comment
RETURN ch.id AS id
