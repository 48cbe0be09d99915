"""What every job's files share: the synthetic banner and the JSON report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def synthetic_note(subject: str) -> str:
    """The banner a file carries when any of its input rows is synthetic: `subject` is what was invented (attendees, clusters)."""
    return f"SYNTHETIC DATA: the {subject} are invented for a demo; none is real."


def write_json(path: Path, data: Any) -> None:
    """A report or result as indented JSON; dates and other values JSON lacks are written as text."""
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
