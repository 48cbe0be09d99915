"""Which node of the graph a CORDIS participant is.

A participant is matched to an organisation (or a cluster) already in the
graph by its clusterkg id (a column only clusterkg's own export writes), by its PIC, then by its VAT number, then by its normalised name in the
same country; a participant that matches nothing becomes a new organisation
(`cordis-<PIC>`). A node that already carries a PIC is only ever matched by
that PIC: a load never merges two PICs into one node, nor gives one PIC two
nodes. The counts per rule are the load's match report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from clusterkg import queries
from clusterkg.graph.store import GraphStore, chunked
from clusterkg.loaders.cordis.rows import ParticipationRow, name_key

LABELS = ("Organisation", "Cluster")
RULES = ("id", "pic", "vat", "name", "new")
KEY_PAGE = 20_000


@dataclass(frozen=True)
class Identity:
    label: str  # Organisation or Cluster
    id: str
    rule: str  # pic, vat, name or new


@dataclass
class Identities:
    """PIC -> node, grown chunk by chunk; `matched` counts distinct PICs per rule."""

    by_pic: dict[str, Identity] = field(default_factory=dict)
    claimed: set[tuple[str, str]] = field(default_factory=set)  # (label, id) given to a PIC in this load
    matched: Counter[str] = field(default_factory=Counter)

    def resolve(self, store: GraphStore, rows: Iterable[ParticipationRow]) -> None:
        """Find the node of every PIC of these rows not resolved yet."""
        wanted: dict[str, ParticipationRow] = {}
        for row in rows:
            if row.pic not in self.by_pic:
                wanted.setdefault(row.pic, row)
        if not wanted:
            return
        found: dict[str, list[dict[str, Any]]] = {rule: [] for rule in RULES[:-1]}
        params = {
            "ids": sorted({r.node_id for r in wanted.values() if r.node_id}),
            "pics": sorted(wanted),
            "vats": sorted({r.vat for r in wanted.values() if r.vat}),
            "keys": sorted({name_key(r.name) for r in wanted.values()}),
        }
        for label in LABELS:
            for hit in queries.run(store, "cordis_identities", params, labels={"label": label}).rows:
                found[hit["rule"]].append({**hit, "label": label})
        by_value: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for rule, hits in found.items():
            for hit in sorted(hits, key=lambda h: (h["label"] != "Organisation", h["id"])):  # organisations first
                by_value.setdefault((rule, hit["value"]), []).append(hit)
        for pic in sorted(wanted):
            row = wanted[pic]
            self.by_pic[pic] = self._choose(row, by_value)
            self.matched[self.by_pic[pic].rule] += 1

    def _choose(self, row: ParticipationRow, by_value: dict[tuple[str, str], list[dict[str, Any]]]) -> Identity:
        for rule, value in (("id", row.node_id), ("pic", row.pic), ("vat", row.vat), ("name", name_key(row.name))):
            if not value:
                continue
            for hit in by_value.get((rule, value), []):
                node = (hit["label"], hit["id"])
                if rule == "id" and hit["pic"] not in (None, row.pic):
                    continue  # that node is another PIC's
                if rule not in ("id", "pic") and (hit["pic"] is not None or node in self.claimed):
                    continue  # that node is another PIC's
                if rule == "name" and hit["country"] not in (None, row.country):
                    continue  # the same name in another country is another organisation
                self.claimed.add(node)
                return Identity(hit["label"], hit["id"], rule)
        return Identity("Organisation", row.organisation_id, "new")


def key_names(store: GraphStore, on_page: Callable[[int], None] | None = None) -> int:
    """Give every organisation and cluster that lacks it its name_key (once; later loads keep it current)."""
    keyed = 0
    for label in LABELS:
        while True:
            page = queries.run(store, "cordis_unkeyed", {"limit": KEY_PAGE}, labels={"label": label}).rows
            if not page:
                break
            rows = [{"id": r["id"], "key": name_key(str(r["name"]))} for r in page]
            for batch in chunked(rows, 5000):
                queries.write(store, "cordis_set_name_keys", {"rows": list(batch)}, labels={"label": label})
            keyed += len(rows)
            if on_page:
                on_page(len(rows))
    return keyed
