"""Every query of the library runs on the embedded FalkorDB, in every label combination."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterkg import queries
from clusterkg.schema import NODES

CORDIS_EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "cordis" / "csv"


@pytest.fixture(scope="module")
def library_store(xs_graph):
    from clusterkg.loaders.cordis.load import load_cordis

    load_cordis(xs_graph, CORDIS_EXAMPLE)  # the collaboration queries need projects and ties to answer
    return xs_graph


CASES = [(q.name, labels) for q in queries.library().values() for labels in q.label_combinations()]


@pytest.mark.parametrize(
    "name, labels", CASES, ids=[f"{n}-{'-'.join(found.values()) or 'plain'}" for n, found in CASES]
)
def test_query_plans_and_runs(library_store, name, labels):
    query = queries.get(name)
    assert query.mode in ("read", "write") and query.description
    assert {p.name for p in query.params} == set(query.example), (
        f"{name}: the example must give every declared parameter"
    )
    text = query.text_for("falkordb", labels)
    assert "__" not in text.replace("__typename", ""), f"{name}: a label slot was left in the text"
    assert library_store.explain(text, query.example).lines
    if query.mode == "write":
        # a write's example is a guarded no-op (a revision or id that matches nothing): it runs, and changes nothing
        stats = queries.write(library_store, name, query.example, labels=labels)
        assert stats.returned == [] and stats.nodes_created == stats.relationships_created == 0, (name, stats)
        return
    result = queries.run(library_store, name, query.example, labels=labels)
    if query.example_has_rows and labels == {slot: choices[0] for slot, choices in query.labels.items()}:
        assert result.rows, f"{name} returned no rows for its example"


def test_label_slots_only_take_declared_schema_labels():
    query = queries.get("entities_by_id")
    assert all(label in NODES for choices in query.labels.values() for label in choices)
    with pytest.raises(Exception, match="must be one of"):
        query.text_for("falkordb", {"label": "Cluster) DETACH DELETE (n"})
