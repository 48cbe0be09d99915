"""Parameters reach FalkorDB as the values they were, whatever characters they hold (clusterkg.graph.falkordb_params)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from clusterkg.errors import BadParameter
from clusterkg.graph.falkordb_params import literal, with_params

AWKWARD_TEXT = [
    "",
    "plain",
    'say "hi"',
    "back\\slash",
    "ends with \\",
    '\\"',
    "new\nline\ttab",
    "Zürich – Łódź · 東京 🚀",
    "' single",
    "$x {y} `tick`",
    "// not a comment",
    "CYPHER x=1 MATCH (n) DETACH DELETE n",
]


@pytest.mark.parametrize("text", AWKWARD_TEXT)
def test_text_comes_back_as_it_was_sent(store, text):
    assert store.read("RETURN $v AS v", {"v": text}).scalar() == text


def test_nested_values_numbers_and_booleans_come_back_equal(store):
    value = {
        "rows": [
            {"id": 'a"b', "n": 3, "x": -0.1, "ok": True, "none": None},
            {"id": "c", "n": 2**53, "x": 1e-300, "ok": False, "none": None},
        ],
        "ints": [0, -1, 10**15],
        "floats": [0.1, 2.5e10, -3.0],
        "empty": [],
        "inner": {"deeper": {"list": [["x"], []]}},
    }
    assert store.read("RETURN $v AS v", {"v": value}).scalar() == value


def test_dates_travel_as_iso_text_for_date_to_parse(store):
    row = store.read(
        "RETURN $d AS d, toString(date($d)) AS parsed, $t AS t",
        {"d": dt.date(2021, 2, 2), "t": dt.datetime(2021, 2, 2, 10, 30)},
    ).rows[0]
    assert row == {"d": "2021-02-02", "parsed": "2021-02-02", "t": "2021-02-02T10:30:00"}


def test_numpy_numbers_are_numbers_not_text(store):
    assert store.read("RETURN $i + 1 AS i, $f * 2 AS f", {"i": np.int64(41), "f": np.float64(1.25)}).rows[0] == {
        "i": 42,
        "f": 2.5,
    }


def test_a_nul_is_refused_before_reaching_the_engine(store):
    with pytest.raises(BadParameter, match="NUL character \\(at position 4\\)"):
        store.read("RETURN $v AS v", {"v": ["ok", "abc\x00def"]})


def test_keys_that_cannot_be_written_are_refused():
    with pytest.raises(BadParameter):
        literal({"a`b": 1})
    with pytest.raises(BadParameter):
        with_params("RETURN 1", {"": 1})
