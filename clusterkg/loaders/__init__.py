"""Files -> validated records -> batched, idempotent writes, with a row-level report and a journal.

Readers (CSV, XLSX, JSON), record models, checks against the graph, write
plans, the journal of loads, reference data, the synthetic generator and the
export. Labels and property names come from schema/ only; every value is a
parameter. It imports graph/, schema/ and queries/, never scoring/, the jobs
or the front ends.
"""
