"""Who may write what: accounts, their roles and the clusters they edit, tokens kept only hashed, OIDC sign-in.

`store` keeps accounts in SQLite in the data dir (never in the graph, which
analysts read); `tokens` makes and checks bearer tokens (argon2, shown once);
`principal` is who a request speaks for, and what it may do; `oidc` maps an
identity provider's subject to an account. It imports the shared vocabulary
and graph/ (for the data dir's permissions) only, never changes/ or the front
ends, which ask it.
"""
