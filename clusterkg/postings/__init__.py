"""Partner postings: what a cluster offers or seeks for a time, expressions of interest, and who hears of them.

`fields` checks what an editor writes (kinds, limits, a deadline ahead);
`records` is a posting as the graph keeps it, with its status as of today (a
published posting past its deadline is EXPIRED, whether or not the hourly
sweep has written it yet); `service` creates, edits, closes, renews and finds
postings, each write one guarded named query that bumps the posting's
revision; `private` keeps what only the two clusters concerned may see
(expressions of interest, who follows what, saved searches) in SQLite in the
data dir, out of the graph analysts read; `interests` runs the interest flow
(an accepted interest becomes a CONNECTED tie in the graph, which partner
search's "existing ties" sees); `notices` decides who hears of what and
queues the e-mails in clusterkg.notify's outbox. It imports changes/ (value
checks), accounts/, notify/, queries/ below it, never graphql/, web/ or cli/.
"""
