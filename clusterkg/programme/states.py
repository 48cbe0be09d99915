"""The programme's state machines: the legal moves, and the CONFLICT that names the current state."""

from __future__ import annotations

from clusterkg.errors import Conflict

APPLICATION = {
    "SUBMITTED": ("VALIDATED", "REJECTED", "WITHDRAWN"),
    "VALIDATED": ("MATCHED", "WITHDRAWN"),
    "REJECTED": (),
    "MATCHED": (),
    "WITHDRAWN": (),
}
MATCH = {"PROPOSED": ("ACCEPTED", "DECLINED", "SUPERSEDED"), "ACCEPTED": (), "DECLINED": (), "SUPERSEDED": ()}
EXCHANGE = {
    "planned": ("completed", "cancelled"),
    "ongoing": ("completed", "cancelled"),
    "completed": (),
    "cancelled": (),
}
MEETING_REQUEST = {"PENDING": ("ACCEPTED", "DECLINED"), "ACCEPTED": (), "DECLINED": ()}
MACHINES = {"application": APPLICATION, "match": MATCH, "exchange": EXCHANGE, "meeting request": MEETING_REQUEST}


def sources(machine: dict[str, tuple[str, ...]], target: str) -> list[str]:
    """The states from which `target` may be reached (a guarded write's WHERE)."""
    return sorted(state for state, moves in machine.items() if target in moves)


def refuse(what: str, item_id: str, current: str | None, target: str) -> Conflict:
    machine = MACHINES[what]
    allowed = sources(machine, target)
    return Conflict(
        f"{what} '{item_id}' is {current or 'unknown'}: it can become {target} only from "
        f"{' or '.join(allowed) if allowed else 'no state'}",
        current=current,
    )


def check_move(what: str, item_id: str, current: str, target: str) -> None:
    if target not in MACHINES[what].get(current, ()):
        raise refuse(what, item_id, current, target)
