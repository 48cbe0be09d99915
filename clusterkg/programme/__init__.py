"""Running the programme: ClusterXchange from application to exchange, meeting requests and ratings at events,
and progress against each call's targets.

`states` holds the state machines: which move is legal from which state, and
the CONFLICT that names the current state when it is not. `acting` says who
may act for whom: the editors of a cluster act for it and for its members,
and the coordinator cluster's editors act for a partnership. Then the steps:
`applications` (apply, offer to host, validate), `matching` (the existing
assignment run again over what is left, proposals accepted or declined by
each side, an Exchange made when both accept), `exchange_steps` (done with a
report, or cancelled), `meetings` (requests, marks, ratings), `schedule` (the
existing scheduler with the requests and marks, keeping what was accepted),
and `progress` (the call's and the event's figures, in Cypher).

Every step is one guarded named write: the graph refuses a move from a state
that changed since it was read, so two people never both pass, and a crash
between two steps (the host accepted, the visitor not yet) loses neither. It
imports events/ and exchanges/ (it runs their solvers), changes/, accounts/,
queries/ and jobs/ below it; never graphql/, web/ or cli/, which call it.
"""
