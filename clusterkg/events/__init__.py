"""B2B meeting schedules for networking events: who meets whom, when, at which table.

1. Attendees come from a file (or an Event in the graph). One linked to an
   organisation or cluster of the graph is scored with the graph's offers and
   seeks; others with the offers and seeks of the file.
2. Every pair is scored with the symmetric complementarity of
   clusterkg.scoring.profiles (the mean of both directions). A pair is a
   candidate when it has competence evidence (a need of one side met by the
   other), shares an available slot, is not avoided by either side, and passes
   the same-organisation / same-country settings. A pair that one side
   `wants` is always a candidate.
3. The meeting's weight in the objective is its score, plus `mutual_bonus`
   when each side meets a need of the other (mutual interest first), plus a
   want bonus larger than twice any other weight, so a wanted meeting is
   never traded for two others.
4. CP-SAT chooses meetings and slots maximising the total weight subject to:
   nobody in two meetings in a slot, nobody outside their slots, at most
   `max_meetings` each, at most `tables` meetings per slot, a pair meets once.
   Small instances are solved in one time-indexed model (exact when it says
   OPTIMAL). Large ones in two stages: which pairs meet (a b-matching), then
   when (the chosen pairs into slots); candidates are pruned to each
   attendee's best pairs. The reported bound is then the LP relaxation of the
   pair choice over *all* candidate pairs (scipy/HiGHS), which bounds every
   schedule, so the gap is honest.
5. A greedy baseline (best pair first, earliest common free slot) runs on the
   same candidates and is reported beside it.

The modules: `model` (settings and the types every step shares), `attendees`
(input rows -> attendees, through clusterkg.jobs.inputs), `pairs` (the
candidates), `greedy` (the baseline), `bound` (the LP relaxation), `solvers`
(the CP-SAT models and the choice between them), `plan` (the job end to end),
`exports` (CSV, XLSX, printable agendas).

It decides schedules only: it imports scoring/ and jobs/ below it, never
exchanges/, consortium/ or runner/.
"""
