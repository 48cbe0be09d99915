"""Consortium proposals for a call: the lead's best partners under the call's rules, each proposal explained.

`model` holds the request, rules and proposals; `pool` builds the shortlist
from partner search; `search` is the exact branch and bound; `explain` says
what each member brings and seeks; `propose` runs it end to end; `exports`
writes Markdown, XLSX and JSON.

It imports scoring/ and jobs/ below it, never events/, exchanges/ or runner/.
"""
