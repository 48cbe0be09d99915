"""ClusterXchange assignment (DESIGN.md §6): applicants to hosts, cross-border, maximising complementarity under the call's quotas.

`model` holds the settings, parties and options; `assignment` builds the
parties from validated rows, solves (HiGHS, CP-SAT as the fallback, a greedy
baseline) and reports the quotas met; `exports` writes its files.

It imports scoring/ and jobs/ below it, never events/, consortium/ or runner/.
"""
