"""CORDIS: the EU's record of its research projects and who took part, loaded as the official bulk files come.

CORDIS (the Community Research and Development Information Service) publishes
every FP7, Horizon 2020 and Horizon Europe project and its participants as
bulk files (`cordis-h2020projects-csv.zip`, `cordis-HORIZONprojects-json.zip`,
...) under CC BY 4.0: "(c) European Union, CORDIS". It is the one open source
of real organisations of the cluster ecosystem, and of who worked with whom.

    files.py          find `project` and `organization` (CSV or JSON) in a zip or a folder; stream their rows
    rows.py           one participation or project row: what the real files hold, normalised and checked
    places.py         where an organisation is: its NUTS code, else its postcode (TERCET), else its city
    identities.py     which organisation of the graph a participant is: PIC, then VAT, then name in its country
    collaboration.py  co-participation as weighted WORKED_WITH ties, between organisations and between clusters
    load.py           the load: validate (streamed), match, write in batches, journal, report

It is part of loaders/: it imports graph/, schema/, queries/ and the loaders'
shared modules, never scoring/, the jobs or the front ends.
"""
