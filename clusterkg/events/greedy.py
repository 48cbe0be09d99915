"""The greedy baseline every solver is reported against, and the placing of chosen pairs at tables."""

from __future__ import annotations

from collections import defaultdict

from clusterkg.events.model import Attendee, EventSettings, Meeting, Pair


def capacity(attendee: Attendee) -> int:
    return min(attendee.max_meetings, len(attendee.slots))


def assign_tables(chosen: list[tuple[Pair, int]], settings: EventSettings, attendees: list[Attendee]) -> list[Meeting]:
    by_slot: dict[int, list[Pair]] = defaultdict(list)
    for pair, slot in chosen:
        by_slot[slot].append(pair)
    meetings = []
    for slot in sorted(by_slot):
        for table, pair in enumerate(
            sorted(by_slot[slot], key=lambda p: (attendees[p.a].id, attendees[p.b].id)), start=1
        ):
            meetings.append(Meeting(slot, settings.slot_time(slot), table, pair))
    return meetings


def greedy_schedule(pairs: list[Pair], attendees: list[Attendee], settings: EventSettings) -> list[tuple[Pair, int]]:
    """Best pair first, into the earliest slot where both are free and a table is left."""
    busy: dict[int, set[int]] = defaultdict(set)
    count: dict[int, int] = defaultdict(int)
    per_slot: dict[int, int] = defaultdict(int)
    chosen = []
    for pair in pairs:
        if count[pair.a] >= attendees[pair.a].max_meetings or count[pair.b] >= attendees[pair.b].max_meetings:
            continue
        for slot in pair.slots:
            if per_slot[slot] < settings.tables and slot not in busy[pair.a] and slot not in busy[pair.b]:
                chosen.append((pair, slot))
                busy[pair.a].add(slot)
                busy[pair.b].add(slot)
                count[pair.a] += 1
                count[pair.b] += 1
                per_slot[slot] += 1
                break
    return chosen
