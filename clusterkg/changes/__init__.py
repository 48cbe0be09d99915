"""The write side: edits of a cluster's profile, validated, reviewed by the rules or a moderator, recorded, reversible.

`fields` says what an edit may change and checks each value (a field error
names the field as the API does); `rules` reads the publication rules, which
are data (clusterkg/data/rules/publication.json); `records` is a change as it
is stored and shown; `service` runs an edit, a review and a revert, each one
guarded write of a named query (`change_publish`, `change_submit`,
`change_decide`): the change, its history entry and the revisions commit
together or not at all. It imports loaders/ (value rules), queries/ and
accounts/ below it, never graphql/, web/ or cli/, which call it.
"""
