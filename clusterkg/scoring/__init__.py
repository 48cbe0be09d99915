"""Complementarity: who complements whom, and why (DESIGN.md §5).

`complementarity` is partner search in Cypher (the score, its weights and
filters, the explanations), `profiles` scores in-memory profiles of the jobs'
inputs with the same weights, `reference` is the in-memory reference that the
tests and benchmarks check the Cypher against.

It decides scores only: it imports the layers below it (graph, schema,
queries), never loaders/, jobs/ or any job package.
"""
