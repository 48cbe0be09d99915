"""One home per default: the CLI and GraphQL ask the request dataclasses (and functions) for theirs.

    time_limit: float = typer.Option(default(EventSettings, "time_limit_s"), ...)
    time_limit_seconds: float = default(EventSettings, "time_limit_s")

so a default changed in clusterkg.matching changes every front end and the
GraphQL SDL with it; tests/test_defaults.py checks that they agree.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any


def default(owner: Any, name: str) -> Any:
    """The default of field `name` of a dataclass, or of parameter `name` of a function."""
    if dataclasses.is_dataclass(owner):
        declared = {f.name: f for f in dataclasses.fields(owner)}[name]
        if declared.default is not dataclasses.MISSING:
            return declared.default
        if declared.default_factory is not dataclasses.MISSING:
            return declared.default_factory()
        raise KeyError(f"{getattr(owner, '__name__', owner)}.{name} has no default")
    parameter = inspect.signature(owner).parameters[name]
    if parameter.default is inspect.Parameter.empty:
        raise KeyError(f"{owner.__name__}({name}) has no default")
    return parameter.default
