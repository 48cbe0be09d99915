"""Parameters as FalkorDB takes them: a `CYPHER name=value …` header before the query text.

FalkorDB has no separate channel for parameters: the client writes them as
Cypher literals in front of the query, and the engine parses them as
parameters (never as query text). The falkordb client's own writer walks every
value through several isinstance checks and helpers, and clusterkg walked them
once more beforehand to fix dates and refuse NUL characters; for a loader's
5,000-row batches those two walks took a third of the load's time
(benchmarks/load_throughput.py). This writes the same literals in one walk,
dispatching on the exact type.

Rules beyond the client's: a date or datetime goes as ISO text (the client
would write `2021-02-02`, which Cypher reads as arithmetic) for `date()` to
parse; a NUL cannot travel in query text at all, so it is refused as bad input.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable, Mapping
from typing import Any

from clusterkg.errors import BadParameter


def with_params(query: str, params: Mapping[str, Any] | None) -> str:
    """`CYPHER a=1 b="x" <query>`, or the query alone when there are no parameters."""
    if not params:
        return query
    return "CYPHER " + " ".join(f"`{_name(name)}`={literal(value)}" for name, value in params.items()) + " " + query


def literal(value: Any) -> str:
    """A Cypher literal of a parameter value (str, numbers, booleans, None, dates, lists, maps)."""
    writer = _WRITERS.get(type(value))
    if writer is not None:
        return writer(value)
    return _other(value)


def _string(value: str) -> str:
    if "\x00" in value:  # the query text would end at the NUL and the engine would answer about a cut-off query
        raise BadParameter(
            f"a parameter value holds a NUL character (at position {value.index(chr(0)) + 1}): remove it"
        )
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _list(value: list[Any] | tuple[Any, ...]) -> str:
    return "[" + ",".join([literal(item) for item in value]) + "]"


def _map(value: Mapping[str, Any]) -> str:
    return "{" + ",".join([f"`{_name(key)}`:{literal(item)}" for key, item in value.items()]) + "}"


_KNOWN_NAMES: set[str] = set()


def _name(key: Any) -> str:
    """A parameter or map key; FalkorDB's header cannot escape a backtick inside one."""
    if key in _KNOWN_NAMES:
        return str(key)
    text = key.decode() if isinstance(key, bytes) else str(key)
    if not text or "`" in text:
        raise BadParameter(f"a parameter or map key must be non-empty and hold no backtick: {text!r}")
    if len(_KNOWN_NAMES) < 10_000:  # keys come from the schema; the cap keeps arbitrary map keys from growing it
        _KNOWN_NAMES.add(text)
    return text


def _other(value: Any) -> str:
    """Subclasses and the rarer types, by isinstance (the exact-type table handles the common ones)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(str(value))
    if isinstance(value, bytes):
        return _string(value.decode())
    if isinstance(value, numbers.Integral):  # int subclasses, numpy integers
        return repr(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, dt.date):  # datetimes too: a datetime is a date
        return _string(value.isoformat())
    if isinstance(value, Mapping):
        return _map(value)
    if isinstance(value, (list, tuple)):
        return _list(value)
    return _string(str(value))


_WRITERS: dict[type, Callable[[Any], str]] = {
    str: _string,
    int: repr,
    float: repr,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
    list: _list,
    tuple: _list,
    dict: _map,
    dt.date: lambda value: _string(value.isoformat()),
    dt.datetime: lambda value: _string(value.isoformat()),
}
